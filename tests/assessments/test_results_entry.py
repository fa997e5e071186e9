from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_year(org_a):
    return make_assessment(org_a, scores=False)


def _url(a, name="results"):
    return reverse(name, args=[a.organisation.slug, a.fiscal_year])


def test_grid_saves_thai_digits_and_computes(staff_client, empty_year):
    data = {"q_i1": "๙๘.๗๐", "q_i2": "97.39", "q_i3": "97.83", "ind_1": "๙๗.๙๗", "overall": "๘๖.๖๓"}
    response = staff_client.post(_url(empty_year), data)
    assert response.status_code == 302
    scores = {s.question.code: s.score for s in empty_year.question_scores.select_related("question")}
    assert scores == {"i1": Decimal("98.70"), "i2": Decimal("97.39"), "i3": Decimal("97.83")}
    empty_year.refresh_from_db()
    assert empty_year.overall_score == Decimal("86.63") and empty_year.level == "ผ่าน"


def test_bad_box_keeps_everything_typed_and_saves_nothing(staff_client, empty_year):
    data = {"q_i1": "98.70", "q_i2": "เก้าสิบ", "q_o1": "50", "overall": "86.63"}
    response = staff_client.post(_url(empty_year), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "ยังไม่ได้บันทึก" in page
    assert "ไม่ใช่ตัวเลข" in page and "0 หรือ 100" in page
    assert 'value="เก้าสิบ"' in page and 'value="98.70"' in page
    assert empty_year.question_scores.count() == 0


def _full_grid(a):
    """What the page posts: every box, as currently shown."""
    data = {f"q_{s.question.code}": f"{s.score:.2f}" for s in a.question_scores.select_related("question")}
    data.update({f"ind_{s.indicator.number}": f"{s.score:.2f}" for s in a.indicator_scores.select_related("indicator")})
    data["overall"] = f"{a.overall_score:.2f}"
    return data


def test_discrepancy_is_flagged_on_the_page(staff_client, assessment_a):
    data = _full_grid(assessment_a)
    data["ind_1"] = "79.97"
    assert staff_client.post(_url(assessment_a), data).status_code == 302
    page = staff_client.get(_url(assessment_a)).content.decode()
    assert "ตัวชี้วัดที่ 1: กรอก 79.97 คำนวณได้ 97.97" in page


def test_an_emptied_box_removes_that_score_only(staff_client, assessment_a):
    data = _full_grid(assessment_a)
    data["q_e9"] = ""
    staff_client.post(_url(assessment_a), data)
    codes = set(assessment_a.question_scores.values_list("question__code", flat=True))
    assert "e9" not in codes and len(codes) == 58


def test_paste_previews_then_saves(staff_client, empty_year):
    text = "ข้อ i1 การปฏิบัติงาน\t98.70\ni2\t๙๗.๓๙\nข้อ ๐22 แนวปฏิบัติ\t100"
    preview = staff_client.post(_url(empty_year, "results_paste"), {"text": text, "preview": "1"})
    page = preview.content.decode()
    assert 'id="paste-preview"' in page and "ยืนยันบันทึก 3 ข้อ" in page
    assert empty_year.question_scores.count() == 0  # preview saves nothing
    saved = staff_client.post(_url(empty_year, "results_paste"), {"text": text, "confirm": "1"})
    assert saved.status_code == 302
    assert {s.question.code for s in empty_year.question_scores.select_related("question")} == {"i1", "i2", "o22"}


def test_paste_with_a_bad_line_saves_nothing(staff_client, empty_year):
    text = "i1 98.70\no5 55\nสวัสดี"
    response = staff_client.post(_url(empty_year, "results_paste"), {"text": text, "confirm": "1"})
    page = response.content.decode()
    assert "o5: ข้อ OIT ได้คะแนน 0 หรือ 100 เท่านั้น" in page
    assert "บรรทัด 3" in page
    assert empty_year.question_scores.count() == 0
