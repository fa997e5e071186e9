"""What the year's home page shows, built in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field

from assessments.models import Assessment
from assessments.services import round2, score_sheet

from . import approval
from .models import ChecklistStatus, Measure, OitChecklistItem, Progress, ProgressStatus
from .services import approval_label


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
        .prefetch_related("indicator_scores__indicator")
        .first()
    )
    prev_scores = {s.indicator.number: s.score for s in previous.indicator_scores.all()} if previous else {}
    # Indicators and instruments keep their numbers and names across years, so they compare directly.
    prev_instruments = score_sheet(previous).instrument_scores() if previous else {}
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
    approvals = approval.states(assessment)
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
    )
