"""Bring last year's o34/o35 Word report into the portal: read, preview, confirm, save atomically."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.models import Unit
from measures.models import Measure, Progress, StepProgress
from measures.services import ensure_rounds
from measures.word_import import WordImportError, apply_plan, parse_period, plan_import, split_steps
from tests.factories import make_assessment
from tests.measures import word_fixtures as wf

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org_a):
    return make_assessment(org_a, year=2567, scores=False)


def test_merged_title_over_step_rows_and_issue_headings_between_tables(year):
    plan = plan_import(wf.merged_o35(), year)
    assert plan.tables == 2 and plan.has_results and not plan.unplaced
    first, second = plan.measures
    assert first.title == "มาตรการเปิดเผยข้อมูลการปฏิบัติงาน" and first.issue == 1
    assert [s.text for s in first.steps] == ["จัดทำคู่มือการปฏิบัติงาน", "ประชุมชี้แจงเจ้าหน้าที่", "เผยแพร่บนเว็บไซต์"]
    assert first.units == ["สำนักปลัด", "กองคลัง"]
    assert first.output == "ดำเนินการแล้ว & เผยแพร่"  # markup from web copy removed, entity decoded
    assert second.issue == 2 and [s.text for s in second.steps] == ["พัฒนาแบบฟอร์มออนไลน์", "ประชาสัมพันธ์ช่องทาง"]
    assert second.period == "ตลอดปีงบประมาณ พ.ศ.๒๕๖๘"
    assert second.evidence == ["https://example.go.th/e-service/report-2568"]
    assert "กองช่างสุขาภิบาลและสิ่งแวดล้อม" in plan.new_units


def test_saving_creates_measures_steps_units_and_results_once(year):
    rounds = ensure_rounds(year)
    plan = plan_import(wf.merged_o35(), year).to_dict()
    assert apply_plan(year, plan, rounds[-1]) == 2
    m = Measure.objects.get(assessment=year, title="มาตรการเปิดเผยข้อมูลการปฏิบัติงาน")
    assert (m.period_start, m.period_end) == (datetime.date(2024, 10, 1), datetime.date(2025, 9, 30))
    assert list(m.issues.values_list("number", flat=True)) == [1]
    assert sorted(m.units.values_list("name", flat=True)) == ["กองคลัง", "สำนักปลัด"]
    progress = Progress.objects.get(measure=m, round=rounds[-1])
    assert progress.output == "ดำเนินการแล้ว & เผยแพร่" and progress.status == "done"
    assert Unit.objects.filter(organisation=year.organisation, name="กองช่างสุขาภิบาลและสิ่งแวดล้อม").exists()
    # The same file again: nothing changes.
    counts = (Measure.objects.count(), Progress.objects.count(), Unit.objects.count())
    again = plan_import(wf.merged_o35(), year)
    assert all(m.exists for m in again.measures) and not again.new_units
    assert apply_plan(year, again.to_dict(), rounds[-1]) == 0
    assert (Measure.objects.count(), Progress.objects.count(), Unit.objects.count()) == counts


def test_a_title_continued_in_the_next_row_with_a_number_column(year):
    plan = plan_import(wf.numbered_seven_columns(), year)
    assert [m.title for m in plan.measures] == ["มาตรการส่งเสริมความโปร่งใส ในการจัดซื้อจัดจ้าง", "โครงการอบรมคุณธรรม"]
    assert [s.text for s in plan.measures[0].steps] == ["ประกาศเจตนารมณ์", "เผยแพร่ประกาศ"]
    assert plan.measures[0].period == "1 ม.ค. 68 - 30 เม.ย. 68"
    assert plan.measures[1].period == "มิ.ย.-ก.ค. 68"


def test_o34_with_follow_up_and_inline_numbered_steps(year):
    plan = plan_import(wf.o34_with_follow_up(), year)
    (m,) = plan.measures
    assert m.issue == 3 and not plan.has_results
    assert [s.text for s in m.steps] == ["สำรวจช่องทาง", "จัดทำเพจ", "ประเมินผล"]
    assert m.units == ["สำนักปลัด", "งานประชาสัมพันธ์"]
    assert m.follow_up == "รายงานผู้บริหารทุกไตรมาส"
    apply_plan(year, plan.to_dict())
    saved = Measure.objects.get(assessment=year)
    assert (saved.period_start, saved.period_end) == (datetime.date(2024, 10, 1), datetime.date(2025, 9, 30))
    assert saved.follow_up == "รายงานผู้บริหารทุกไตรมาส"


def test_sixteen_step_rows_each_with_its_own_cells(year):
    plan = plan_import(wf.step_rows(16), year)
    (m,) = plan.measures
    assert len(m.steps) == 16
    assert [(s.period, s.units, s.output, s.outcome) for s in m.steps[:2]] == [
        ("เดือนที่ 1 ของปีงบประมาณ", ["สำนักปลัด"], "ผลของขั้นตอนที่ 1", "ผลลัพธ์ของขั้นตอนที่ 1"),
        ("เดือนที่ 2 ของปีงบประมาณ", ["กองคลัง"], "ผลของขั้นตอนที่ 2", "ผลลัพธ์ของขั้นตอนที่ 2"),
    ]
    assert m.steps[15].output == "ผลของขั้นตอนที่ 16"
    rounds = ensure_rounds(year)
    apply_plan(year, plan.to_dict(), rounds[-1])
    saved = Measure.objects.get(assessment=year)
    steps = list(saved.steps.all())
    assert len(steps) == 16
    # Each step keeps its own period, unit and result, beside it as in the Word table.
    assert (steps[1].period_text, [u.name for u in steps[1].units.all()]) == ("เดือนที่ 2 ของปีงบประมาณ", ["กองคลัง"])
    results = {r.step.order: r for r in StepProgress.objects.filter(round=rounds[-1]).select_related("step")}
    assert len(results) == 16 and results[16].output == "ผลของขั้นตอนที่ 16"
    assert (results[1].output, results[1].outcome, results[1].status) == (
        "ผลของขั้นตอนที่ 1",
        "ผลลัพธ์ของขั้นตอนที่ 1",
        "done",
    )
    measure_row = Progress.objects.get(measure=saved)  # the measure counts as reported, without glued text
    assert measure_row.status == "done" and "ผลของขั้นตอนที่" not in measure_row.output


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"not a word file", r"ต้องเป็นไฟล์ Word \(\.docx\)"),
        (b"PK\x03\x04broken zip", "ไฟล์ Word"),
        (None, "ไม่พบตารางมาตรการในไฟล์"),
    ],
)
def test_a_bad_file_gets_a_thai_message_and_nothing_is_saved(year, raw, message):
    raw = raw if raw is not None else wf.no_measures_table()
    with pytest.raises(WordImportError, match=message):
        plan_import(raw, year)
    assert not Measure.objects.exists()


def test_split_steps_and_periods():
    assert split_steps("๑. ก\n๒. ข\nต่อบรรทัด") == ["ก", "ข ต่อบรรทัด"]
    assert split_steps("1) หนึ่ง 2) สอง") == ["หนึ่ง", "สอง"]
    assert split_steps("ดำเนินการในปี พ.ศ. 2568 3. ไม่ใช่ขั้นตอน") == ["ดำเนินการในปี พ.ศ. 2568 3. ไม่ใช่ขั้นตอน"]
    assert parse_period("๑ ต.ค. ๖๗ – ๓๐ ก.ย. ๖๘")[:2] == (datetime.date(2024, 10, 1), datetime.date(2025, 9, 30))
    fy2568 = (datetime.date(2024, 10, 1), datetime.date(2025, 9, 30))
    assert parse_period("1 ตุลาคม 2567 ถึง 30 กันยายน 2568")[:2] == fy2568
    assert parse_period("ตลอดปีงบประมาณ") == (None, None, "ตลอดปีงบประมาณ")
    assert parse_period("31 ก.พ. 68 – 1 มี.ค. 68")[2] == "31 ก.พ. 68 – 1 มี.ค. 68"  # not a real date: kept as text


# --- the page -------------------------------------------------------------------------------


def _upload(client, raw, name="report.docx"):
    url = reverse("word_import", args=["org-a", 2568])
    return client.post(url, {"file": SimpleUploadedFile(name, raw)})


def test_upload_shows_a_preview_then_confirm_saves(staff_client, year):
    page = _upload(staff_client, wf.merged_o35()).content.decode()
    assert 'id="word-preview"' in page and "มาตรการเปิดเผยข้อมูลการปฏิบัติงาน" in page
    assert "กองช่างสุขาภิบาลและสิ่งแวดล้อม" in page  # offered as a new unit
    assert not Measure.objects.exists()  # nothing saved before confirming
    response = staff_client.post(reverse("word_import", args=["org-a", 2568]), {"confirm": "1"})
    assert response.status_code == 302
    assert Measure.objects.filter(assessment=year).count() == 2


def test_upload_errors_are_thai_and_keep_the_page(staff_client, year):
    page = _upload(staff_client, b"hello", "report.doc").content.decode()
    assert "รับเฉพาะไฟล์ .docx" in page
    page = _upload(staff_client, wf.no_measures_table()).content.decode()
    assert "ไม่พบตารางมาตรการในไฟล์" in page
    assert not Measure.objects.exists()


def test_auditor_gets_403_and_other_org_404(auditor_client, other_staff_client, year):
    assert _upload(auditor_client, wf.merged_o35()).status_code == 403
    assert _upload(other_staff_client, wf.merged_o35()).status_code == 404
    assert not Measure.objects.exists()


def test_command_imports_and_refuses_unknown_org(year, tmp_path, capsys):
    path = tmp_path / "o35.docx"
    path.write_bytes(wf.merged_o35())
    call_command("import_report", str(path), "--org", "org-a", "--year", "2568", "--dry-run")
    assert "ทดลองเท่านั้น" in capsys.readouterr().out and not Measure.objects.exists()
    call_command("import_report", str(path), "--org", "org-a", "--year", "2568")
    assert Measure.objects.count() == 2
    with pytest.raises(CommandError, match="ไม่พบข้อมูล"):
        call_command("import_report", str(path), "--org", "nobody", "--year", "2568")
