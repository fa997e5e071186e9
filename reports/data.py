"""Report data, built apart from rendering: which rows, which numbers, which dates, which digits.

Generated text (numbers, scores, dates, years, page numbers) follows the chosen digit style;
text the organisation typed is reproduced exactly as typed, unless the style is "thai_all"
(its digits become Thai too, never inside a link or a tag).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from assessments.models import Assessment, Instrument, Issue, Question
from assessments.services import score_sheet
from assessments.thai import digits, thai_date, thai_digits_in_typed_text
from measures import evidence as evidence_files
from measures import services as measure_services
from measures.models import (
    OVERVIEW_STEP,
    STATUS_MARKS,
    ChecklistStatus,
    EvidenceFile,
    Measure,
    OitChecklistItem,
    ProgressStatus,
    StepProgress,
    numbered,
)
from measures.services import with_typed_titles

KINDS = {
    "o34": "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน และการวิเคราะห์ผลการประเมิน (o34)",
    "o35": "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส (o35)",
    "oit": "รายงานความก้าวหน้าการเปิดเผยข้อมูลสาธารณะ (OIT)",
}
BOX_DONE, BOX_TODO = "☑", "☐"


@dataclass
class ReportOptions:
    digits: str = "thai"  # "thai", "thai_all" (typed digits too) or "arabic"
    round_id: int | None = None
    grouping: str = "issues"  # o35: "issues" (a heading per issue) or "list" (one numbered list)
    number_column: bool = False  # a ลำดับ column instead of "1." before each measure
    intro_o34: str = ""  # the organisation's own introduction; blank: built from the data
    intro_o35: str = ""
    reporter_name: str = ""
    reporter_position: str = ""
    approver_name: str = ""
    approver_position: str = ""
    report_date: datetime.date | None = None

    def d(self, value):
        """Generated text in the chosen digits."""
        return digits(value, "arabic" if self.digits == "arabic" else "thai")

    def t(self, value):
        """Text the organisation typed: as typed, or with Thai digits when asked for."""
        value = value or ""
        return thai_digits_in_typed_text(value) if self.digits == "thai_all" else value

    def label(self, number, title):
        """A measure's first cell: "๑. มาตรการ…", or the title alone beside a ลำดับ column."""
        return self.t(title) if self.number_column else f"{number}. {self.t(title)}"


@dataclass
class Signature:
    label: str
    name: str
    position: str


@dataclass
class Report:
    kind: str
    title_lines: list
    organisation: object
    opts: ReportOptions
    date_text: str
    signatures: list
    body: dict = field(default_factory=dict)
    # Said on the preview and beside the report, never printed in it (ItaYear.unconfirmed_note).
    catalogue_note: str = ""

    @property
    def title(self):
        return " ".join(self.title_lines)


def period_text(measure, opts, style="long"):
    """The measure's period: free text if given, else its dates in Buddhist Era."""
    if measure.period_text:
        return [opts.t(measure.period_text)]
    if measure.period_start and measure.period_end:
        return [opts.d(thai_date(measure.period_start, style)), opts.d(thai_date(measure.period_end, style))]
    single = measure.period_start or measure.period_end
    return [opts.d(thai_date(single, style))] if single else []


def _score(value, opts):
    """A score with two decimals throughout ("96.00" beside "98.50", never "96"), as ITAS prints it."""
    if value is None:
        return "–"
    return opts.d(f"{value:.2f}")


def _base(kind, assessment, opts, title_lines):
    org = assessment.organisation
    report_date = opts.report_date or datetime.date.today()
    signatures = [
        Signature("ผู้รายงาน", opts.reporter_name, opts.reporter_position),
        Signature("ผู้อนุมัติ", opts.approver_name, opts.approver_position or org.executive_title),
    ]
    return Report(
        kind=kind,
        title_lines=[opts.d(line) for line in title_lines],
        organisation=org,
        opts=opts,
        date_text=opts.d(thai_date(report_date)),
        signatures=signatures,
        catalogue_note=assessment.ita_year.unconfirmed_note,
    )


def _measures(assessment):
    return list(Measure.objects.filter(assessment=assessment).for_report())


def item_title(question, opts):
    """What a report prints as an item's title: the catalogue's, else the title the organisation
    typed (`typed_title`, see measures.services.with_typed_titles), else nothing: the code stands
    alone. Never the catalogue's note that the title is unknown."""
    if question.title_known:
        return question.text
    return opts.t(getattr(question, "typed_title", None) or "")


def table_columns(columns, rows, grow):
    """The columns of a report table, without the optional ones that are empty in every row; the
    width they would have taken goes to the `grow` columns. columns: (key, label, width %,
    optional); returns [{"key", "label", "width"}] with widths that still add up to 100."""
    kept = [c for c in columns if not c[3] or any(row.get(c[0]) for row in rows)]
    spare = sum(c[2] for c in columns) - sum(c[2] for c in kept)
    growing = [c[0] for c in kept if c[0] in grow] or [c[0] for c in kept]
    return [
        {"key": key, "label": label, "width": round(width + (spare / len(growing) if key in growing else 0), 2)}
        for key, label, width, _ in kept
    ]


def _units(measure, opts):
    return [opts.t(u.name) for u in sorted(measure.units.all(), key=lambda u: (u.order, u.id))]


def o34(assessment: Assessment, opts: ReportOptions) -> Report:
    org, fy, ita = assessment.organisation, assessment.fiscal_year, assessment.ita_year.year
    report = _base(
        "o34",
        assessment,
        opts,
        [
            f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {fy}",
            "และ",
            f"การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. {ita}",
            org.full_title,
        ],
    )
    sheet = score_sheet(assessment)
    summary = []
    seen = set()
    for ind in sheet.indicators:
        first = ind.instrument not in seen
        seen.add(ind.instrument)
        summary.append(
            {
                "instrument": ind.instrument if first else "",
                "number": opts.d(ind.number),
                "name": ind.name,
                "score": _score(sheet.indicator_scores.get(ind.number), opts),
            }
        )
    analyses = {a.issue_id: a for a in assessment.analyses.all()}
    questions = Prefetch("questions", queryset=with_typed_titles(Question.objects.all(), assessment))
    issues = []
    for issue in Issue.objects.filter(ita_year=assessment.ita_year).prefetch_related(questions):
        rows, previous = [], None
        for q in sorted(issue.questions.all(), key=lambda q: q.order):
            rows.append(
                {
                    "instrument": q.instrument if q.instrument != previous else "",
                    "text": f"ข้อ {q.code} {item_title(q, opts)}".rstrip(),
                    "score": _score(sheet.question_scores.get(q.code), opts),
                    "weak": sheet.weak(q),
                }
            )
            previous = q.instrument
        a = analyses.get(issue.id)
        issues.append(
            {
                "heading": opts.d(f"ประเด็นที่ {issue.number} {issue.name}"),
                "rows": rows,
                "analysis": opts.t(a.analysis) if a else "",
                "improvement": opts.t(a.improvement) if a else "",
            }
        )
    all_measures = _measures(assessment)
    numbers = numbered(all_measures)
    measures = [
        {
            "number": opts.d(numbers[m.pk]),
            "title": opts.t(m.title),
            "label": opts.label(opts.d(numbers[m.pk]), m.title),
            "steps": [{"number": opts.d(i), "text": opts.t(s.text)} for i, s in enumerate(m.steps.all(), start=1)],
            "units": _units(m, opts),
            "period": period_text(m, opts),
            "period_free": bool(m.period_text),
            "follow_up": opts.t(m.follow_up),
        }
        for m in all_measures
    ]
    report.body = {
        "intro": _typed_intro(opts.intro_o34, opts) or _o34_intro(assessment, opts),
        "number_column": opts.number_column,
        "summary": summary,
        "issues": issues,
        "limitations": opts.t(assessment.limitations),
        "measures": measures,
        "has_follow_up": any(m["follow_up"] for m in measures),
        "headings": {
            "results": opts.d(f"1. ผลการประเมินคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {ita}"),
            "summary": opts.d(f"2. สรุปผลการประเมินรายตัวชี้วัด ประจำปีงบประมาณ พ.ศ. {ita}"),
            "issues": opts.d(f"3. การวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {ita} แยกเป็น {len(issues)} ประเด็น"),
            "limitations": opts.d("4. การวิเคราะห์ข้อจำกัดของหน่วยงาน"),
            "measures": opts.d(f"5. มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายใน{org.name} ประจำปีงบประมาณ พ.ศ. {fy}"),
        },
    }
    return report


def _typed_intro(text, opts) -> str:
    """The organisation's own introduction: its paragraphs as typed (one line break each)."""
    lines = (text or "").splitlines()  # \r\n from a browser's form, \n, \r: one break per paragraph
    return opts.t("\n".join(line.strip() for line in lines if line.strip()))


def _o34_intro(assessment, opts):
    """What the results say and nothing more: no score or level the organisation has not entered."""
    org, ita = assessment.organisation, assessment.ita_year.year
    text = f"จากผลการประเมิน ITA ในปีงบประมาณ พ.ศ. {opts.d(ita)} ของ{org.name} "
    if assessment.overall_score is None:  # no score entered: claim none
        return text + "มีรายละเอียดดังนี้"
    text += f"พบว่าคะแนนภาพรวมอยู่ที่ {_score(assessment.overall_score, opts)} คะแนน"
    return text + (f" และอยู่ในระดับ {assessment.level}" if assessment.level else "")


def _o35_intro(assessment, opts, as_of, statuses):
    """Says what was done as the rows say it: how many measures are done, under way, not started."""
    org, fy, ita = assessment.organisation, assessment.fiscal_year, assessment.ita_year.year
    text = (
        f"ตามที่{org.name} ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน"
        f"ของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. {opts.d(ita)} และได้กำหนดมาตรการส่งเสริม"
        f"คุณธรรมและความโปร่งใสภายในหน่วยงาน ในปีงบประมาณ พ.ศ. {opts.d(fy)} นั้น "
        f"จึงขอรายงานผลการดำเนินการตามมาตรการ" + (f" ข้อมูล ณ วันที่ {as_of}" if as_of else "")
    )
    if not statuses:
        return text + " ดังนี้"
    counts = [(label, sum(1 for s in statuses if s == value)) for value, label in ProgressStatus.choices]
    said = " ".join(f"{label} {opts.d(n)} มาตรการ" for label, n in reversed(counts) if n)
    return f"{text} จากทั้งหมด {opts.d(len(statuses))} มาตรการ {said} รายละเอียดดังนี้"


def default_intro(kind, assessment, opts) -> str:
    """The introduction a report writes when the organisation has not written its own."""
    if kind == "o34":
        return _o34_intro(assessment, opts)
    round_ = chosen_round(assessment, opts)
    status_of = {p.measure_id: p.status for p in round_.progress.all()} if round_ else {}
    statuses = [
        status_of.get(pk, ProgressStatus.NOT_STARTED) for pk in assessment.measures.values_list("pk", flat=True)
    ]
    as_of = opts.d(thai_date(round_.as_of)) if round_ else ""
    return _o35_intro(assessment, opts, as_of, statuses)


def chosen_round(assessment, opts):
    """The round chosen in the options, else the one being reported now (the earliest whose O26 is
    not yet published), never merely the last of the year."""
    return measure_services.reporting_round(assessment.rounds.all(), opts.round_id)


def future_round_warning(assessment, opts, today=None) -> str | None:
    """The Thai warning to confirm before approving or publishing an O26 of a round whose date is
    still ahead; None when the date has come (or for a year without rounds)."""
    return measure_services.future_round_warning(chosen_round(assessment, opts), today)


def as_of_line(round_, opts) -> str:
    """Printed above the O26 table whatever the introduction says."""
    if round_ is None:
        return ""
    return opts.d(f"{round_.name} ข้อมูล ณ วันที่ {thai_date(round_.as_of)}")


# The o35 columns a step may fill itself; (period, period_free) go together. "mark" (the status)
# and "evidence" print in the output's cell, so the three are per step together.
STEP_COLUMNS = ("period", "units", "output", "outcome", "evidence", "mark")
RESULT_CELL = ("output", "evidence", "mark")


def _step_rows(measure, row, opts, reported):
    """One row per step. A column that any step fills is printed per step (a step that leaves it
    empty prints an empty cell, never its neighbour's); a column no step fills keeps the measure's
    own value, printed once on the first row, as the paper reports do. When steps fill a column
    the measure has its own value for (its result, period, units), a first row "ภาพรวมของ
    มาตรการ" carries the measure's own: nothing typed is left out. `reported`: the measure has a
    result of its own in the round."""
    steps = []
    for i, step in enumerate(measure.steps.all(), start=1):
        result = step.in_round[0] if step.in_round else None
        steps.append(
            {
                "number": opts.d(i),
                "text": opts.t(step.text),
                "period": period_text(step, opts, "short"),
                "period_free": bool(step.period_text),
                "units": _units(step, opts),
                "output": opts.t(result.output) if result else "",
                "outcome": opts.t(result.outcome) if result else "",
                "status": ProgressStatus(result.status).label if result else "",
                "mark": STATUS_MARKS[result.status] if result else "",
                "evidence": result.evidence_links if result else [],
            }
        )
    per_step = {column for column in STEP_COLUMNS if any(step[column] for step in steps)}
    if per_step & set(RESULT_CELL):
        per_step |= set(RESULT_CELL)
    row["per_step"] = [column for column in STEP_COLUMNS if column in per_step]
    own = {column: row[column] for column in per_step if column != "mark" and row[column]}
    if steps and (own or ("mark" in per_step and reported)):
        summary = {column: type(row[column])() for column in STEP_COLUMNS} | own
        summary |= {"number": "", "text": OVERVIEW_STEP, "summary": True, "status": row["status"] if reported else ""}
        summary |= {"mark": row["mark"] if reported else "", "period_free": row["period_free"]}
        steps.insert(0, summary)
    for column in STEP_COLUMNS:
        if column not in per_step and steps:
            steps[0][column] = row[column]
    if steps and "period" not in per_step:  # the measure's period: printed as it is written
        steps[0]["period_free"] = row["period_free"]
    return steps


def o35(assessment: Assessment, opts: ReportOptions) -> Report:
    org, fy = assessment.organisation, assessment.fiscal_year
    round_ = chosen_round(assessment, opts)
    report = _base(
        "o35",
        assessment,
        opts,
        [
            f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {fy}",
            org.full_title,
        ],
    )
    measures = list(
        Measure.objects.filter(assessment=assessment)
        .for_report()
        .prefetch_related(
            "progress",
            "steps__units",
            Prefetch("steps__progress", queryset=StepProgress.objects.filter(round=round_), to_attr="in_round"),
            Prefetch("files", queryset=EvidenceFile.objects.filter(round=round_), to_attr="round_files"),
        )
    )
    number_of = numbered(measures)
    issues = {i.number: i for i in Issue.objects.filter(ita_year=assessment.ita_year)}
    sections = {n: [] for n in sorted(issues)}
    others = []
    for m in measures:
        numbers = sorted(i.number for i in m.issues.all())
        if opts.grouping == "list":
            others.append(m)  # one numbered list, in the measures' own order, no issue headings
        else:
            # A measure for several issues is reported once, under its first issue.
            (sections[numbers[0]] if numbers else others).append(m)
    out = []
    statuses = []
    for key, items in list(sections.items()) + [(None, others)]:
        if not items:
            continue
        if key:
            heading = opts.d(f"ประเด็นที่ {key} {issues[key].name}")
        else:
            heading = "" if opts.grouping == "list" else "มาตรการอื่น ๆ"
        rows = []
        for m in items:
            number = opts.d(number_of[m.pk])  # the measure's one number, as in O25: never its place here
            progress = next((p for p in m.progress.all() if round_ and p.round_id == round_.id), None)
            status = progress.status if progress else ProgressStatus.NOT_STARTED
            statuses.append(status)
            row = {
                "number": number,
                "title": opts.t(m.title),
                "label": opts.label(number, m.title),
                "period": period_text(m, opts, "short"),
                "period_free": bool(m.period_text),
                "units": _units(m, opts),
                "output": opts.t(progress.output) if progress else "",
                "outcome": opts.t(progress.outcome) if progress else "",
                "status": ProgressStatus(status).label,
                "mark": STATUS_MARKS[status],
                # links typed, then files attached (their addresses on this site)
                "evidence": (progress.evidence_links if progress else [])
                + [evidence_files.url(f) for f in m.round_files],
                "file_ids": [f.pk for f in m.round_files],
            }
            row["steps"] = _step_rows(m, row, opts, reported=progress is not None)
            rows.append(row)
        out.append({"heading": heading, "rows": rows})
    as_of = opts.d(thai_date(round_.as_of)) if round_ else ""
    report.body = {
        "intro": _typed_intro(opts.intro_o35, opts) or _o35_intro(assessment, opts, as_of, statuses),
        "as_of": as_of_line(round_, opts),
        "legend": [(STATUS_MARKS[value], label) for value, label in reversed(ProgressStatus.choices)],
        "number_column": opts.number_column,
        "sections": out,
    }
    return report


# The OIT table: (key, heading, width %, optional: left out when no row fills it).
OIT_COLUMNS = [
    ("code", "ข้อ", 7, False),  # "O10" on one line
    ("title", "ข้อมูล", 15, False),
    ("components", "องค์ประกอบด้านข้อมูล", 38, True),
    ("unit", "ผู้รับผิดชอบ", 13, True),
    ("progress", "ความก้าวหน้าผลการดำเนินการ", 27, False),
]


def oit(assessment: Assessment, opts: ReportOptions) -> Report:
    org, fy = assessment.organisation, assessment.fiscal_year
    report = _base(
        "oit",
        assessment,
        opts,
        [
            f"รายงานความก้าวหน้าการดำเนินการเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปีงบประมาณ พ.ศ. {fy}",
            org.full_title,
        ],
    )
    items = {c.question_id: c for c in OitChecklistItem.objects.filter(assessment=assessment).select_related("unit")}
    files = evidence_files.grouped(EvidenceFile.objects.of_oit(assessment), "oit_code")
    questions = with_typed_titles(
        assessment.ita_year.questions.filter(instrument=Instrument.OIT).select_related("subindicator", "indicator"),
        assessment,
    )
    sections = []
    for q in sorted(questions, key=lambda q: q.order):
        # A year whose sub-indicators are not known (2569) groups its items by indicator.
        heading = opts.d(q.group_heading)
        if not sections or sections[-1]["heading"] != heading:
            sections.append({"heading": heading, "rows": []})
        c = items.get(q.id)
        done = bool(c and c.status == ChecklistStatus.DONE)
        sections[-1]["rows"].append(
            {
                "code": q.code,  # as the year writes it (o1 in 2567, O1 from 2568), never "O๑"
                "title": item_title(q, opts),
                "components": [line for line in q.components.splitlines() if line.strip()],
                "unit": opts.t(c.unit.name) if c and c.unit else "",
                "boxes": [
                    (BOX_TODO if done else BOX_DONE, ChecklistStatus.NOT_DONE.label),
                    (BOX_DONE if done else BOX_TODO, ChecklistStatus.DONE.label),
                ],
                "description": opts.t(c.description) if c else "",
                "evidence_url": c.evidence_url if c else "",
                "files": [evidence_files.url(f) for f in files.get(q.code, [])],
                "file_ids": [f.pk for f in files.get(q.code, [])],
            }
        )
    rows = [row for section in sections for row in section["rows"]]
    report.body = {
        "sections": sections,
        # The other columns share the room of a column no item fills (2569: no components).
        "columns": table_columns(OIT_COLUMNS, rows, grow=("title", "unit", "progress")),
        "done": opts.d(sum(1 for c in items.values() if c.status == ChecklistStatus.DONE)),
        "total": opts.d(sum(len(s["rows"]) for s in sections)),
    }
    return report


BUILDERS = {"o34": o34, "o35": o35, "oit": oit}


def file_ids(report: Report) -> set:
    """The evidence files a report links to."""
    rows = (row for section in report.body.get("sections", []) for row in section["rows"])
    return {pk for row in rows for pk in row["file_ids"]}  # every o35 and OIT row lists its files


def build(kind: str, assessment: Assessment, opts: ReportOptions | None = None) -> Report:
    return BUILDERS[kind](assessment, opts or ReportOptions())
