"""What is still missing before a report is approved or published: a short list the manager reads,
and goes on past only by choice (a confirmation box, checked on the server)."""

import datetime

from assessments.models import Assessment, Issue
from assessments.services import score_sheet
from assessments.thai import thai_date
from measures.models import ChecklistStatus, IssueAnalysis, Measure, OitChecklistItem, Progress

from .data import ReportOptions, chosen_round

CONFIRM_REQUIRED = "ยังมีรายการที่ขาดอยู่ กรุณาทำเครื่องหมาย “ยืนยันดำเนินการต่อ” หากต้องการดำเนินการต่อ"


def missing_before_approval(
    assessment: Assessment, kind: str, opts: ReportOptions, today: datetime.date | None = None
) -> list[str]:
    """The gaps the report would be approved or published with, in Thai; [] when nothing is missing."""
    today = today or datetime.date.today()
    out = []
    if kind == "o34":
        sheet = score_sheet(assessment)
        blank = sum(1 for q in sheet.questions if q.code not in sheet.question_scores)
        if blank:
            out.append(f"ยังไม่ได้กรอกคะแนน {blank} ข้อ")
        if assessment.overall_score is None:
            out.append("ยังไม่ได้กรอกคะแนนภาพรวม")
        issues = Issue.objects.filter(ita_year=assessment.ita_year).count()
        analysed = sum(
            1
            for a in IssueAnalysis.objects.filter(assessment=assessment).only("analysis", "improvement")
            if (a.analysis or a.improvement).strip()
        )
        if analysed < issues:
            out.append(f"วิเคราะห์แล้ว {analysed} จาก {issues} ประเด็น")
        addressed = set(
            Measure.questions.through.objects.filter(measure__assessment=assessment).values_list(
                "question_id", flat=True
            )
        )
        unaddressed = sum(1 for q in sheet.questions if sheet.weak(q) and q.id not in addressed)
        if unaddressed:
            out.append(f"ข้อที่ต้องพัฒนาแต่ยังไม่มีมาตรการรองรับ {unaddressed} ข้อ")
    elif kind == "o35":
        round_ = chosen_round(assessment, opts)
        if round_ is None:
            out.append("ยังไม่มีรอบรายงาน")
        else:
            measures = assessment.measures.count()
            reported = Progress.objects.filter(measure__assessment=assessment, round=round_).count()
            if reported < measures:
                out.append(f"มาตรการที่ยังไม่มีผลใน{round_.name} {measures - reported} จาก {measures} มาตรการ")
            if round_.as_of > today:
                out.append(f"{round_.name} ข้อมูล ณ วันที่ {thai_date(round_.as_of)} ยังมาไม่ถึง")
    elif kind == "oit":
        total = assessment.ita_year.questions.filter(instrument="OIT").count()
        done = OitChecklistItem.objects.filter(assessment=assessment, status=ChecklistStatus.DONE).count()
        if done < total:
            out.append(f"รายการ OIT ที่ยังไม่ได้ดำเนินการ {total - done} จาก {total} ข้อ")
    if not assessment.ita_year.confirmed:
        out.append(f"รายการข้อประเมินของ ITA {assessment.ita_year.year} ยังไม่ยืนยันจากคู่มือ ป.ป.ช.")
    return out
