import datetime

import pytest

from assessments.models import Question
from measures.models import IssueAnalysis, MeasureStep, OitChecklistItem, Progress, StepProgress
from tests.factories import make_measure, make_progress, make_rounds

# Field values a user types; each must come back verbatim out of the PDF.
TITLE = "มาตรการ E-Service & No Gift Policy"
STEP1 = "ขั้นตอนที่ได้ทำ"
STEP2 = "ตรวจสอบน้ำประปา/ไฟฟ้า"
OUTPUT = "ได้ดำเนินการแล้ว"
OUTCOME = "ประชาชนพึงพอใจ"
LINK = "https://example.go.th/ita/2568?a=1&b=2"
ANALYSIS = "<p>ข้อคำถาม o9 ยังไม่ได้เผยแพร่ <b>รายงานประจำปี</b></p>"
CHECK_DESC = "เผยแพร่บนเว็บไซต์แล้ว"


@pytest.fixture
def report_year(assessment_a):
    a = assessment_a
    rounds = make_rounds(a)
    m1 = make_measure(a, title=TITLE, steps=0, issues=(2, 5), questions=("e9",), units=("สำนักปลัด", "กองคลัง"))
    m1.steps.create(order=1, text=STEP1)
    m1.steps.create(order=2, text=STEP2)
    make_progress(m1, rounds[0], status="in_progress", output="ครึ่งปีแรก", outcome="")
    p = make_progress(m1, rounds[1], status="done", output=OUTPUT, outcome=OUTCOME)
    p.evidence = LINK
    p.save()
    m2 = make_measure(a, title="มาตรการเปิดเผยรายงานผลการดำเนินงานประจำปี", issues=(1,), steps=2)
    m2.period_text = "ตลอดปีงบประมาณ"
    m2.save()
    m3 = make_measure(a, title="มาตรการอื่นของหน่วยงาน", issues=(), steps=1)
    m3.period_start = datetime.date(2025, 1, 1)
    m3.period_end = datetime.date(2025, 4, 30)
    m3.save()
    IssueAnalysis.objects.create(
        assessment=a, issue=a.ita_year.issues.get(number=1), analysis=ANALYSIS, improvement="ปรับปรุงทุกไตรมาส"
    )
    a.limitations = "<p>บุคลากรด้านไอทีมีน้อย</p>"
    a.save()
    unit = a.organisation.units.get(name="สำนักปลัด")
    for q in Question.objects.filter(ita_year=a.ita_year, code__in=["o1", "o2"]):
        OitChecklistItem.objects.create(
            assessment=a,
            question=q,
            unit=unit,
            status="done" if q.code == "o1" else "not_done",
            description=CHECK_DESC if q.code == "o1" else "",
        )
    return a, [m1, m2, m3], rounds


LONG_UNIT = "กองการศึกษา ศาสนาและวัฒนธรรม (งานส่งเสริมการศึกษา ศาสนาและวัฒนธรรม)"
LONG_URL = (
    "https://www.donkaeo.go.th/index.php/ita-2568/o35/report-of-measures-to-promote-integrity-and-transparency.pdf"
)
PERIODS = ["ตลอด ปีงบประมาณ พ.ศ.2568", "๑ มี.ค. – ๓๐ เม.ย. ๖๔", "ตุลาคม 2567 / ม.ค.-เม.ย. 68 / มิ.ย.-ก.ค. 68"]


@pytest.fixture
def real_shaped(assessment_a):
    """16-step measure, long unit names, free-text periods with Thai digits, long evidence links:
    shaped like real o35 reports."""
    a = assessment_a
    for unit in (LONG_UNIT, "กองช่าง"):
        a.organisation.units.get_or_create(name=unit)
    rounds = make_rounds(a)
    big = make_measure(a, title="มาตรการขับเคลื่อนการประเมิน ITA และการเปิดเผยข้อมูลสาธารณะอย่างต่อเนื่อง", steps=0)
    big.period_text = PERIODS[0]
    big.save()
    big.units.set(a.organisation.units.all())
    long_unit = a.organisation.units.get(name=LONG_UNIT)
    for i in range(1, 17):
        step = MeasureStep.objects.create(measure=big, order=i, text=f"ขั้นตอนที่ {i} ดำเนินการตามแผนและรายงานผลต่อผู้บริหาร")
        # As on real o35 reports: most steps carry their own period, unit and result; some none.
        if i % 4:
            step.period_text = PERIODS[i % 3]
            step.save()
            step.units.set([long_unit])
            StepProgress.objects.create(
                step=step,
                round=rounds[-1],
                status="done",
                output=f"ขั้นตอนที่ {i} ดำเนินการแล้ว จัดประชุมชี้แจง ๒ ครั้ง",
                outcome="ผู้เข้าร่วม 45 คน ร้อยละ ๙๐",
                evidence=LONG_URL,
            )
    for n, period in enumerate(PERIODS[1:] + ["", PERIODS[0]], start=2):
        m = make_measure(a, title=f"มาตรการที่ {n} ส่งเสริมความโปร่งใส", steps=1 if n % 2 else 4, issues=(n % 7 + 1,))
        m.period_text = period
        m.save()
    for m in a.measures.all():
        for r in rounds:
            Progress.objects.create(
                measure=m,
                round=r,
                status="done",
                output="ดำเนินการครบทุกขั้นตอน เผยแพร่ข้อมูลบนเว็บไซต์ของหน่วยงาน และรายงานผู้บริหารทราบ",
                outcome="ประชาชนเข้าถึงข้อมูลได้สะดวก ๑๐๐ เปอร์เซ็นต์ จำนวน 1,250 ครั้ง",
                evidence=LONG_URL,
            )
    for q in a.ita_year.questions.filter(instrument="OIT"):
        OitChecklistItem.objects.create(
            assessment=a, question=q, status="done", description="เผยแพร่แล้ว " * 12, evidence_url=LONG_URL
        )
    return a
