"""Report data, built apart from rendering: which rows, which numbers, which dates, which digits.

Generated text (numbers, scores, dates, years, page numbers) follows the chosen digit style;
text the organisation typed is reproduced exactly as typed.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from assessments.models import Assessment, Instrument, Issue
from assessments.services import score_sheet
from assessments.thai import digits, thai_date
from measures.models import ChecklistStatus, Measure, OitChecklistItem, ProgressStatus, StepProgress

KINDS = {
    "o34": "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน และการวิเคราะห์ผลการประเมิน (o34)",
    "o35": "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส (o35)",
    "oit": "รายงานความก้าวหน้าการเปิดเผยข้อมูลสาธารณะ (OIT)",
}
BOX_DONE, BOX_TODO = "☑", "☐"


@dataclass
class ReportOptions:
    digits: str = "thai"  # "thai" or "arabic"
    round_id: int | None = None
    reporter_name: str = ""
    reporter_position: str = ""
    approver_name: str = ""
    approver_position: str = ""
    report_date: datetime.date | None = None

    def d(self, value):
        return digits(value, self.digits)


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
    fiscal_year: int
    ita_year: int
    opts: ReportOptions
    date_text: str
    signatures: list
    body: dict = field(default_factory=dict)

    @property
    def title(self):
        return " ".join(self.title_lines)


def period_text(measure, opts, style="long"):
    """The measure's period: free text if given, else its dates in Buddhist Era."""
    if measure.period_text:
        return [measure.period_text]
    if measure.period_start and measure.period_end:
        return [opts.d(thai_date(measure.period_start, style)), opts.d(thai_date(measure.period_end, style))]
    single = measure.period_start or measure.period_end
    return [opts.d(thai_date(single, style))] if single else []


def _score(value, opts):
    """A score as the organisation would write it: "86.63", and "51" rather than "51.00"."""
    if value is None:
        return "–"
    text = f"{value:.2f}"
    return opts.d(text[:-3] if text.endswith(".00") else text)


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
        fiscal_year=assessment.fiscal_year,
        ita_year=assessment.ita_year.year,
        opts=opts,
        date_text=opts.d(thai_date(report_date)),
        signatures=signatures,
    )


def _measures(assessment):
    return list(Measure.objects.filter(assessment=assessment).for_report())


def _units(measure):
    return [u.name for u in sorted(measure.units.all(), key=lambda u: (u.order, u.id))]


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
    issues = []
    for issue in Issue.objects.filter(ita_year=assessment.ita_year).prefetch_related("questions"):
        rows, previous = [], None
        for q in sorted(issue.questions.all(), key=lambda q: q.order):
            rows.append(
                {
                    "instrument": q.instrument if q.instrument != previous else "",
                    "text": f"ข้อ {q.code} {q.text}",
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
                "analysis": a.analysis if a else "",
                "improvement": a.improvement if a else "",
            }
        )
    measures = [
        {
            "number": opts.d(n),
            "title": m.title,
            "steps": [{"number": opts.d(i), "text": s.text} for i, s in enumerate(m.steps.all(), start=1)],
            "units": _units(m),
            "period": period_text(m, opts, "long"),
            "period_free": bool(m.period_text),
            "follow_up": m.follow_up,
        }
        for n, m in enumerate(_measures(assessment), start=1)
    ]
    level = assessment.level or "–"
    overall = _score(assessment.overall_score, opts)
    report.body = {
        "intro": (
            f"จากผลการประเมิน ITA ในปีงบประมาณ พ.ศ. {opts.d(ita)} ของ{org.name} พบว่า"
            f"คะแนนภาพรวมอยู่ที่ {overall} คะแนน และอยู่ในระดับ {level}"
        ),
        "summary": summary,
        "issues": issues,
        "limitations": assessment.limitations,
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


def chosen_round(assessment, opts):
    rounds = list(assessment.rounds.order_by("as_of"))
    if not rounds:
        return None
    if opts.round_id:
        for r in rounds:
            if r.id == opts.round_id:
                return r
    return rounds[-1]


# The o35 columns a step may fill itself; (period, period_free) go together.
STEP_COLUMNS = ("period", "units", "output", "outcome", "evidence")


def _step_rows(measure, row, opts):
    """One row per step. A column that any step fills is printed per step (a step that leaves it
    empty prints an empty cell, never its neighbour's); a column no step fills keeps the measure's
    own value, printed once on the first step's row, as the paper reports do."""
    steps = []
    for i, step in enumerate(measure.steps.all(), start=1):
        result = step.in_round[0] if step.in_round else None
        steps.append(
            {
                "number": opts.d(i),
                "text": step.text,
                "period": period_text(step, opts, "short"),
                "period_free": bool(step.period_text),
                "units": _units(step),
                "output": result.output if result else "",
                "outcome": result.outcome if result else "",
                "status": ProgressStatus(result.status).label if result else "",
                "evidence": result.evidence_links if result else [],
            }
        )
    row["per_step"] = [column for column in STEP_COLUMNS if any(step[column] for step in steps)]
    for column in STEP_COLUMNS:
        if column in row["per_step"]:
            row[column] = type(row[column])()  # printed per step: the measure's own is not printed
        elif steps:
            steps[0][column] = row[column]
            if column == "period":
                steps[0]["period_free"] = row["period_free"]
    return steps


def o35(assessment: Assessment, opts: ReportOptions) -> Report:
    org, fy, ita = assessment.organisation, assessment.fiscal_year, assessment.ita_year.year
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
        )
    )
    issues = {i.number: i for i in Issue.objects.filter(ita_year=assessment.ita_year)}
    sections = {n: [] for n in sorted(issues)}
    others = []
    for m in measures:
        numbers = sorted(i.number for i in m.issues.all())
        # A measure for several issues is reported once, under its first issue.
        (sections[numbers[0]] if numbers else others).append(m)
    number = 0
    out = []
    for key, items in list(sections.items()) + [(None, others)]:
        if not items:
            continue
        heading = opts.d(f"ประเด็นที่ {key} {issues[key].name}") if key else "มาตรการอื่น ๆ"
        rows = []
        for m in items:
            number += 1
            progress = next((p for p in m.progress.all() if round_ and p.round_id == round_.id), None)
            row = {
                "number": opts.d(number),
                "title": m.title,
                "period": period_text(m, opts, "short"),
                "period_free": bool(m.period_text),
                "units": _units(m),
                "output": progress.output if progress else "",
                "outcome": progress.outcome if progress else "",
                "status": ProgressStatus(progress.status).label if progress else ProgressStatus.NOT_STARTED.label,
                "evidence": progress.evidence_links if progress else [],
            }
            row["steps"] = _step_rows(m, row, opts)
            rows.append(row)
        out.append({"heading": heading, "rows": rows})
    as_of = opts.d(thai_date(round_.as_of)) if round_ else ""
    report.body = {
        "round": round_,
        "as_of": as_of,
        "intro": (
            f"ตามที่{org.name} ได้ดำเนินการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน"
            f"ของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. {opts.d(ita)} และได้กำหนดมาตรการส่งเสริม"
            f"คุณธรรมและความโปร่งใสภายในหน่วยงาน ในปีงบประมาณ พ.ศ. {opts.d(fy)} นั้น "
            f"บัดนี้ได้ดำเนินการตามมาตรการดังกล่าว จึงขอรายงานผลการดำเนินการ"
            + (f" ข้อมูล ณ วันที่ {as_of}" if as_of else "")
            + " ดังนี้"
        ),
        "sections": out,
    }
    return report


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
    questions = assessment.ita_year.questions.filter(instrument=Instrument.OIT).select_related(
        "subindicator", "indicator"
    )
    sections = []
    for q in sorted(questions, key=lambda q: q.order):
        sub = q.subindicator
        # A year whose sub-indicators are not known (2569) groups its items by indicator.
        heading = (
            opts.d(f"ตัวชี้วัดย่อยที่ {sub.code} {sub.name}")
            if sub
            else opts.d(f"ตัวชี้วัดที่ {q.indicator.number} {q.indicator.name}")
        )
        if not sections or sections[-1]["heading"] != heading:
            sections.append({"heading": heading, "rows": []})
        c = items.get(q.id)
        done = bool(c and c.status == ChecklistStatus.DONE)
        sections[-1]["rows"].append(
            {
                "code": q.code,  # as the year writes it (o1 in 2567, O1 from 2568), never "O๑"
                "title": q.text,
                "components": [line for line in q.components.splitlines() if line.strip()],
                "unit": c.unit.name if c and c.unit else "",
                "done": done,
                "boxes": [
                    (BOX_TODO if done else BOX_DONE, ChecklistStatus.NOT_DONE.label),
                    (BOX_DONE if done else BOX_TODO, ChecklistStatus.DONE.label),
                ],
                "description": c.description if c else "",
                "evidence_url": c.evidence_url if c else "",
            }
        )
    report.body = {
        "sections": sections,
        "done": opts.d(sum(1 for c in items.values() if c.status == ChecklistStatus.DONE)),
        "total": opts.d(sum(len(s["rows"]) for s in sections)),
    }
    return report


BUILDERS = {"o34": o34, "o35": o35, "oit": oit}


def build(kind: str, assessment: Assessment, opts: ReportOptions | None = None) -> Report:
    return BUILDERS[kind](assessment, opts or ReportOptions())
