import datetime
import re

import pytest
from django.urls import reverse

from assessments.models import Unit
from assessments.services import score_sheet
from measures.models import Measure
from tests.factories import make_assessment, make_measure

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(name, args=["org-a", 2568, *args])


def test_add_measure_with_steps_units_and_be_dates(staff_client, assessment_a):
    units = list(Unit.objects.filter(organisation=assessment_a.organisation, name__in=["สำนักปลัด", "กองคลัง"]))
    data = {
        "title": "มาตรการเปิดเผยรายงานผลการดำเนินงานประจำปี",
        "steps": "ประชุมซักซ้อม\n\n  กำหนดแนวทาง  \nเผยแพร่บนเว็บไซต์",
        "units": [u.pk for u in units],
        "issues": [assessment_a.ita_year.issues.get(number=1).pk],
        "period_start": "1/10/2567",
        "period_end": "๓๐/๙/๒๕๖๘",
        "follow_up": "รายงานทุกไตรมาส",
    }
    assert staff_client.post(_url("measure_new"), data).status_code == 302
    m = Measure.objects.get(assessment=assessment_a)
    assert [s.text for s in m.steps.all()] == ["ประชุมซักซ้อม", "กำหนดแนวทาง", "เผยแพร่บนเว็บไซต์"]
    assert (m.period_start, m.period_end) == (datetime.date(2024, 10, 1), datetime.date(2025, 9, 30))
    assert {u.name for u in m.units.all()} == {"สำนักปลัด", "กองคลัง"}
    page = staff_client.get(_url("measure_list")).content.decode()
    assert "1 ตุลาคม 2567" in page and "30 กันยายน 2568" in page


def test_new_measure_defaults_to_the_whole_fiscal_year(staff_client, assessment_a):
    page = staff_client.get(_url("measure_new")).content.decode()
    assert 'value="1/10/2567"' in page and 'value="30/9/2568"' in page


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [("30/9/2568", "1/10/2567", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"), ("1/10/2024", "", "ปี 2024 เป็น ค.ศ."), ("", "", "ระบุช่วงวันที่")],
)
def test_bad_period_keeps_what_was_typed(staff_client, assessment_a, start, end, message):
    data = {"title": "มาตรการที่พิมพ์ไว้", "steps": "ขั้นที่หนึ่ง", "period_start": start, "period_end": end}
    response = staff_client.post(_url("measure_new"), data)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "มาตรการที่พิมพ์ไว้" in page and "ขั้นที่หนึ่ง" in page
    assert not Measure.objects.exists()


def test_second_save_of_the_same_measure_is_refused_and_text_kept(staff_client, manager_client, assessment_a):
    m = make_measure(assessment_a, title="เดิม")
    first = {"title": "แก้โดยคนแรก", "period_text": "ตลอดปีงบประมาณ", "steps": "ก", "version": m.version}
    second = {"title": "แก้โดยคนที่สอง", "period_text": "ตลอดปีงบประมาณ", "steps": "ข", "version": m.version}
    assert staff_client.post(_url("measure_edit", m.pk), first).status_code == 302
    response = manager_client.post(_url("measure_edit", m.pk), second)
    page = response.content.decode()
    assert response.status_code == 200
    assert "มีผู้อื่นบันทึกรายการนี้ไปก่อนแล้ว" in page
    assert "แก้โดยคนที่สอง" in page  # their text stays on screen
    m.refresh_from_db()
    assert m.title == "แก้โดยคนแรก" and [s.text for s in m.steps.all()] == ["ก"]


def test_reorder_and_delete(staff_client, assessment_a):
    a, b, c = (make_measure(assessment_a, title=t, order=i) for i, t in enumerate("ABC", start=1))
    staff_client.post(_url("measure_move", c.pk, "up"))
    assert list(assessment_a.measures.order_by("order").values_list("title", flat=True)) == ["A", "C", "B"]
    staff_client.post(_url("measure_delete", a.pk))
    assert list(assessment_a.measures.order_by("order").values_list("title", "order")) == [("C", 1), ("B", 2)]


def test_copy_last_years_measures_as_draft(org_a, staff_client, assessment_a):
    make_measure(assessment_a, title="มาตรการปีก่อน", questions=("o9", "i1"), issues=(1, 2))
    next_year = make_assessment(org_a, year=2568, scores=False)
    url = reverse("measure_copy_previous", args=["org-a", 2569])
    assert staff_client.post(url).status_code == 302  # then a page that lists what could not be carried
    copied = next_year.measures.get()
    assert copied.title == "มาตรการปีก่อน"
    assert copied.period_start == datetime.date(2025, 10, 1) and copied.period_end == datetime.date(2026, 9, 30)
    assert sorted(copied.questions.values_list("code", flat=True)) == ["O7", "i1"]  # o9 → O7 along the lineage
    assert all(q.ita_year.year == 2568 for q in copied.questions.all())
    assert copied.steps.count() == 3 and not copied.progress.exists()


def test_copy_with_nothing_to_copy_says_so(staff_client, assessment_a):
    response = staff_client.post(_url("measure_copy_previous"), follow=True)
    assert "ไม่มีมาตรการหรือรายการ OIT ของปีงบประมาณ 2567 ให้คัดลอก" in response.content.decode()


def test_a_date_outside_the_fiscal_year_is_a_warning_to_confirm(staff_client, assessment_a):
    url = _url("measure_new")
    unit = assessment_a.organisation.units.first().pk
    data = {"title": "มาตรการเริ่มก่อน", "steps": "เตรียมการ", "units": [unit],
            "period_start": "1/8/2567", "period_end": "30/9/2568"}  # fmt: skip
    page = staff_client.post(url, data).content.decode()
    assert 'id="outside-fy"' in page and "1 สิงหาคม 2567 อยู่นอกปีงบประมาณ 2568" in page
    assert 'value="มาตรการเริ่มก่อน"' in page or "มาตรการเริ่มก่อน</textarea>" in page  # what was typed is kept
    assert not assessment_a.measures.exists()
    assert staff_client.post(url, {**data, "outside_ok": "on"}).status_code == 302
    assert assessment_a.measures.get().period_start.isoformat() == "2024-08-01"


def test_every_posted_field_of_a_measure_is_stored(staff_client, assessment_a):
    year = assessment_a.ita_year
    issues = [year.issues.get(number=n).pk for n in (2, 5)]
    questions = list(year.questions.filter(code__in=["o9", "i1"]).values_list("pk", flat=True))
    data = {
        "title": "มาตรการเผยแพร่ข้อมูล",
        "steps": "ขั้นหนึ่ง\nขั้นสอง",
        "issues": issues,
        "questions": questions,
        "period_start": "1/10/2567",
        "period_end": "30/9/2568",
        "period_text": "ทุกไตรมาส",
        "follow_up": "<p>รายงานนายกทุกเดือน</p>",
    }
    assert staff_client.post(_url("measure_new"), data).status_code == 302
    m = Measure.objects.get(assessment=assessment_a)
    assert sorted(m.issues.values_list("number", flat=True)) == [2, 5]
    assert sorted(m.questions.values_list("code", flat=True)) == ["i1", "o9"]
    assert m.period_text == "ทุกไตรมาส" and m.follow_up == "<p>รายงานนายกทุกเดือน</p>"
    edit = {**data, "issues": issues[:1], "questions": questions[:1], "period_text": "ครึ่งปีแรก", "version": m.version}
    edit["follow_up"] = "<p>รายงานทุกไตรมาส</p>"
    assert staff_client.post(_url("measure_edit", m.pk), edit).status_code == 302
    m.refresh_from_db()
    assert list(m.issues.values_list("number", flat=True)) == [2]
    assert list(m.questions.values_list("pk", flat=True)) == questions[:1]
    assert (m.period_text, m.follow_up) == ("ครึ่งปีแรก", "<p>รายงานทุกไตรมาส</p>")


def test_move_down_moves_a_measure_down(staff_client, assessment_a):
    a, b, c = (make_measure(assessment_a, title=t, order=i) for i, t in enumerate("ABC", start=1))
    staff_client.post(_url("measure_move", a.pk, "down"))
    assert list(assessment_a.measures.order_by("order").values_list("title", flat=True)) == ["B", "A", "C"]
    staff_client.post(_url("measure_move", a.pk, "down"))
    staff_client.post(_url("measure_move", a.pk, "down"))  # already last: nothing moves
    assert list(assessment_a.measures.order_by("order").values_list("title", "order")) == [("B", 1), ("C", 2), ("A", 3)]


def test_saving_one_measure_never_makes_another_conflict(staff_client, assessment_a):
    """The optimistic lock bumps the version of the measure being saved only."""
    first, second = make_measure(assessment_a, title="หนึ่ง"), make_measure(assessment_a, title="สอง")
    assert first.version == second.version
    edit = {"title": "หนึ่ง แก้แล้ว", "period_text": "ตลอดปี", "steps": "ก", "version": first.version}
    assert staff_client.post(_url("measure_edit", first.pk), edit).status_code == 302
    edit = {"title": "สอง แก้แล้ว", "period_text": "ตลอดปี", "steps": "ข", "version": second.version}
    response = staff_client.post(_url("measure_edit", second.pk), edit)
    assert response.status_code == 302, "a false conflict"
    second.refresh_from_db()
    assert second.title == "สอง แก้แล้ว"


def test_linked_questions_are_tap_to_pick_with_weak_items_marked(staff_client, assessment_a):
    page = staff_client.get(_url("measure_new")).content.decode()
    picker = page[page.index('id="question-picker"') :]
    picker = picker[: picker.index('<div class="form-text">')]
    assert 'type="checkbox" name="questions"' in picker and "Ctrl" not in page
    weak = re.findall(r'class="form-check weak-item">.*?>(\w+) ', picker)
    sheet = score_sheet(assessment_a)
    assert set(weak) == {q.code for q in sheet.questions if sheet.weak(q)} and weak


def test_steps_pasted_with_blank_lines_and_bullets_become_one_step_per_line(staff_client, assessment_a):
    data = {
        "title": "มาตรการประชุมชี้แจง",
        "steps": "• ขั้นหนึ่ง\r\n   \r\n\t\r\n  • ขั้นสอง  \r\n<p>ขั้นสาม</p>",
        "period_start": "1/10/2567",
        "period_end": "30/9/2568",
    }
    assert staff_client.post(_url("measure_new"), data).status_code == 302
    m = Measure.objects.get(assessment=assessment_a)
    assert list(m.steps.values_list("order", "text")) == [(1, "ขั้นหนึ่ง"), (2, "ขั้นสอง"), (3, "ขั้นสาม")]
