"""What the year's home page shows, built in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from assessments.models import Assessment, IndicatorScore, Issue, ItaYear
from assessments.services import round2, score_sheet
from assessments.thai import thai_date

from . import approval
from .models import (
    ChecklistStatus,
    IssueAnalysis,
    Measure,
    MeasureStep,
    OitChecklistItem,
    Progress,
    ProgressStatus,
    StepProgress,
)
from .services import approval_label

# What apps above this one know about a year, registered from their AppConfig.ready() so that
# measures never imports them: callables (assessment) -> set of report kinds published.
PUBLISHED_KINDS = []
# ... callables (assessment) -> number of auditor comments waiting to be acknowledged.
COMMENTS_WAITING = []


@dataclass
class Step:
    """One step of the year's guided path on the year home."""

    label: str
    done: bool
    detail: str  # what is still missing, or what was done
    url_name: str  # where to do it (a URL name taking slug and fiscal year)
    deadline: object = None  # a date, when the step has one
    current: bool = False


@dataclass
class Overdue:
    """A measure or a step past its due date and not done."""

    measure: object
    step: object  # None for the measure itself
    due_date: object
    person: str

    @property
    def label(self):
        return self.measure.title + (f" · ขั้นตอนที่ {self.step.order}" if self.step else "")


def overdue(assessment, measures, statuses, today=None) -> list:
    """Measures and steps whose due date has passed (Bangkok date) and whose latest status is not
    ดำเนินการแล้ว; oldest first. Two queries, whatever the number of measures."""
    today = today or timezone.localdate()
    out = [
        Overdue(m, None, m.due_date, m.responsible_person)
        for m in measures
        if m.due_date and m.due_date < today and statuses.get(m.id) != ProgressStatus.DONE
    ]
    by_id = {m.id: m for m in measures}
    steps = list(MeasureStep.objects.filter(measure__assessment=assessment, due_date__lt=today))
    latest = {}
    for r in StepProgress.objects.filter(step__in=steps).select_related("round").order_by("round__as_of"):
        latest[r.step_id] = r.status
    out += [
        Overdue(by_id[s.measure_id], s, s.due_date, s.responsible_person)
        for s in steps
        if latest.get(s.id) != ProgressStatus.DONE and s.measure_id in by_id
    ]
    return sorted(out, key=lambda o: (o.due_date, o.measure.order, o.step.order if o.step else 0))


@dataclass
class Dashboard:
    sheet: object
    previous: dict  # indicator number -> score of the previous ITA year
    previous_year: int | None
    instruments: list  # [{"name": "IIT", "now": …, "before": …}]
    status_counts: dict
    measure_count: int
    oit_done: int
    oit_total: int
    attention: list = field(default_factory=list)
    approvals: dict = field(default_factory=dict)  # kind -> approval.ApprovalState
    path: list = field(default_factory=list)  # [Step]: results → … → publish o35
    overdue: list = field(default_factory=list)  # [Overdue]: past their due date and not done

    def bars(self):
        rows = []
        for ind in self.sheet.indicators:
            now = self.sheet.indicator_scores.get(ind.number)
            if now is None:
                now = round2(self.sheet.computed.indicators.get(ind.number))
            rows.append({"indicator": ind, "now": now, "before": self.previous.get(ind.number)})
        return rows


def measure_statuses(measures, progress_rows):
    """A measure's status is its status in the latest round that has a row for it."""
    latest = {}
    for p in sorted(progress_rows, key=lambda p: p.round.as_of):
        latest[p.measure_id] = p.status
    return {m.id: latest.get(m.id, ProgressStatus.NOT_STARTED) for m in measures}


def build(assessment: Assessment) -> Dashboard:
    sheet = score_sheet(assessment)
    previous = (
        Assessment.objects.filter(organisation=assessment.organisation, ita_year__year=assessment.ita_year.year - 1)
        .select_related("ita_year")
        .prefetch_related(Prefetch("indicator_scores", queryset=IndicatorScore.objects.select_related("indicator")))
        .first()
    )
    prev_scores = {s.indicator.number: s.score for s in previous.indicator_scores.all()} if previous else {}
    # Indicators and instruments keep their numbers and names across years, so they compare directly.
    prev_instruments = {}
    if previous:
        # Last year's official instrument scores are what the page compares; computing them from
        # the questions (a whole score sheet, ~8 queries) is needed only where one was not typed.
        prev_instruments = previous.official_instruments()
        if any(value is None for value in prev_instruments.values()):
            prev_instruments = score_sheet(previous).instrument_scores()
    instruments = [
        {"name": name, "now": now, "before": prev_instruments.get(name)}
        for name, now in sheet.instrument_scores().items()
    ]
    measures = list(Measure.objects.filter(assessment=assessment).prefetch_related("questions"))
    progress = list(Progress.objects.filter(measure__assessment=assessment).select_related("round"))
    statuses = measure_statuses(measures, progress)
    counts = Counter(statuses.values())
    checklist = list(OitChecklistItem.objects.filter(assessment=assessment))
    oit_total = sum(1 for q in sheet.questions if q.is_oit)
    oit_done = sum(1 for c in checklist if c.status == ChecklistStatus.DONE)

    attention = []
    for label, official, computed in sheet.computed.discrepancies:
        attention.append(f"{label}: คะแนนทางการ {official} ต่างจากที่คำนวณได้ {computed} ตรวจสอบการพิมพ์")
    missing = [q.code for q in sheet.questions if q.code not in sheet.question_scores]
    if missing:
        attention.append(
            f"ยังไม่ได้กรอกคะแนน {len(missing)} ข้อ ({', '.join(missing[:6])}{' …' if len(missing) > 6 else ''})"
        )
    addressed = {q.id for m in measures for q in m.questions.all()}
    weak_unaddressed = [q.code for q in sheet.questions if sheet.weak(q) and q.id not in addressed]
    if weak_unaddressed:
        attention.append("ข้อที่ต้องพัฒนาแต่ยังไม่มีมาตรการรองรับ: " + ", ".join(weak_unaddressed))
    if measures and counts[ProgressStatus.NOT_STARTED]:
        attention.append(f"มาตรการที่ยังไม่ได้รายงานผล {counts[ProgressStatus.NOT_STARTED]} มาตรการ")
    if not assessment.o34_approved_at and measures:
        attention.append(f"{approval_label(assessment, 'o34')} ยังไม่ได้รับอนุมัติ")
    analysed = {
        a.issue_id for a in IssueAnalysis.objects.filter(assessment=assessment) if (a.analysis or a.improvement).strip()
    }
    issues = list(Issue.objects.filter(ita_year=assessment.ita_year).values_list("id", flat=True))
    late = overdue(assessment, measures, statuses)
    if late:
        attention.append(f"เลยกำหนดเสร็จแล้วแต่ยังไม่ดำเนินการแล้ว {len(late)} รายการ (ดูรายการด้านล่าง)")
    approvals = approval.states(assessment)
    path = _path(
        assessment,
        sheet,
        missing,
        analysed,
        issues,
        measures,
        weak_unaddressed,
        progress,
        approvals,
        (oit_done, oit_total),
    )
    for kind, st in approvals.items():
        if st == approval.ApprovalState.CHANGED:
            attention.append(f"{approval_label(assessment, kind)}มีการแก้ไขหลังอนุมัติ ต้องอนุมัติอีกครั้งก่อนเผยแพร่")
    return Dashboard(
        approvals=approvals,
        sheet=sheet,
        previous=prev_scores,
        previous_year=previous.ita_year.year if previous else None,
        instruments=instruments,
        status_counts={s: counts.get(s, 0) for s in ProgressStatus.values},
        measure_count=len(measures),
        oit_done=oit_done,
        oit_total=oit_total,
        attention=attention,
        path=path,
        overdue=late,
    )


def _path(assessment, sheet, missing, analysed, issues, measures, weak_unaddressed, progress, approvals, oit):
    """The year's cycle as steps, each with its state and what is missing; the first step not
    done is the current one."""
    ok = approval.ApprovalState.APPROVED
    published = set().union(*(hook(assessment) for hook in PUBLISHED_KINDS))
    steps = [
        Step(
            f"กรอกผลคะแนน ITA {assessment.ita_year.year}",
            assessment.overall_score is not None and not missing,
            f"ยังไม่ได้กรอก {len(missing)} ข้อ" if missing else "ครบแล้ว",
            "results",
        ),
        Step(
            f"วิเคราะห์ผล {len(issues)} ประเด็น",
            bool(issues) and len(analysed) >= len(issues),
            f"วิเคราะห์แล้ว {len(analysed)} จาก {len(issues)} ประเด็น",
            "analysis",
        ),
        Step(
            "กำหนดมาตรการ",
            bool(measures) and not weak_unaddressed,
            f"{len(measures)} มาตรการ"
            + (f" · ข้อที่ต้องพัฒนาแต่ยังไม่มีมาตรการ {len(weak_unaddressed)} ข้อ" if weak_unaddressed else ""),
            "measure_list",
        ),
        Step(
            f"อนุมัติ{approval_label(assessment, 'o34')}",
            approvals["o34"] == ok,
            approvals["o34"].label,
            "report_index",
        ),
        Step(
            f"เผยแพร่{approval_label(assessment, 'o34')}",
            "o34" in published,
            "เผยแพร่แล้ว" if "o34" in published else "ยังไม่เผยแพร่",
            "report_index",
        ),
    ]
    reported = {}
    for p in progress:
        reported.setdefault(p.round_id, set()).add(p.measure_id)
    for round_ in sorted({p.round for p in progress} | set(assessment.rounds.all()), key=lambda r: r.as_of):
        count = len(reported.get(round_.id, set()))
        steps.append(
            Step(
                f"รายงานผล{round_.name}",
                bool(measures) and count >= len(measures),
                f"รายงานแล้ว {count} จาก {len(measures)} มาตรการ",
                "progress",
                deadline=round_.as_of,
            )
        )
    # The OIT answer period of this fiscal year's ITA comes after the first round (31 March): the
    # o34/o35 reports must be on the website before it. Its dates come from the catalogue year.
    oit_step = _oit_step(assessment, oit)
    if oit_step:
        rounds_at = [i for i, step in enumerate(steps) if step.url_name == "progress"]
        steps.insert(rounds_at[0] + 1 if rounds_at else len(steps), oit_step)
    steps += [
        Step(
            f"อนุมัติ{approval_label(assessment, 'o35')}",
            approvals["o35"] == ok,
            approvals["o35"].label,
            "report_index",
        ),
        Step(
            f"เผยแพร่{approval_label(assessment, 'o35')}",
            "o35" in published,
            "เผยแพร่แล้ว" if "o35" in published else "ยังไม่เผยแพร่",
            "report_index",
        ),
    ]
    waiting = sum(hook(assessment) for hook in COMMENTS_WAITING)
    if waiting:
        steps.append(Step("รับทราบข้อคิดเห็นของผู้ตรวจ", False, f"รอรับทราบ {waiting} ข้อคิดเห็น", "report_index"))
    current = next((step for step in steps if not step.done), None)
    if current is not None:
        current.current = True
    return steps


def _oit_step(assessment, oit, today=None):
    """ITAS's OIT answer period for the ITA of this fiscal year, when the catalogue knows it. Once
    the period has closed the step is over, whatever was prepared: it no longer holds the path."""
    year = ItaYear.objects.filter(year=assessment.fiscal_year).first()
    if year is None or not year.oit_closes:
        return None
    today = today or timezone.localdate()
    done, total = oit
    estimate = "" if year.confirmed else " · กำหนดการเป็นค่าประมาณ"
    if today > year.oit_closes:
        detail = f"ปิดการตอบแล้ว · เตรียมไว้ {done} จาก {total} ข้อ{estimate}"
        return Step(f"ตอบแบบ OIT ของ ITA {year.year} ในระบบ ITAS", True, detail, "checklist", year.oit_closes)
    period = f"เปิดตอบ {thai_date(year.oit_opens)} · " if year.oit_opens else ""
    return Step(
        f"ตอบแบบ OIT ของ ITA {year.year} ในระบบ ITAS",
        total > 0 and done >= total,
        f"{period}เตรียมแล้ว {done} จาก {total} ข้อ{estimate}",
        "checklist",
        deadline=year.oit_closes,
    )
