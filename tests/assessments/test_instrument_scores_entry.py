"""Staff enter and paste the three instrument scores; 2569's O-codes are accepted as typed."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.services import split_summary_lines
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment_2569(org_a):
    return make_assessment(org_a, year=2569, scores=False)


def test_instrument_boxes_save_and_set_the_level(staff_client, assessment_2569):
    url = reverse("results", args=["org-a", 2570])
    page = staff_client.get(url).content.decode()
    assert 'name="inst_IIT"' in page and 'name="inst_EIT"' in page and 'name="inst_OIT"' in page
    response = staff_client.post(url, {"overall": "93.70", "inst_IIT": "97", "inst_EIT": "๘๔", "inst_OIT": "99"})
    assert response.status_code == 302
    assessment_2569.refresh_from_db()
    assert (assessment_2569.iit_score, assessment_2569.eit_score, assessment_2569.oit_score) == (97, 84, 99)
    assert assessment_2569.level == "ผ่าน"  # EIT under 85: not ผ่านดี


def test_a_wrong_instrument_box_keeps_what_was_typed(staff_client, assessment_2569):
    url = reverse("results", args=["org-a", 2570])
    page = staff_client.post(url, {"overall": "90", "inst_IIT": "9x", "inst_EIT": "88"}).content.decode()
    assert "“9x” ไม่ใช่ตัวเลข" in page and 'value="9x"' in page and 'value="88"' in page
    assessment_2569.refresh_from_db()
    assert assessment_2569.overall_score is None and assessment_2569.eit_score is None


def test_paste_takes_overall_instrument_and_o_code_lines(staff_client, assessment_2569):
    url = reverse("results_paste", args=["org-a", 2570])
    text = "คะแนนรวม\t87.80\nIIT 86\nEIT: 85.50\nOIT\t92\no25\t100\nO26 0\ni1 ๙๘.๗๐\n"
    preview = staff_client.post(url, {"text": text, "preview": "1"}).content.decode()
    assert "คะแนนภาพรวม" in preview and "คะแนน EIT" in preview and "O25" in preview
    response = staff_client.post(url, {"text": text, "confirm": "1"})
    assert response.status_code == 302
    assessment_2569.refresh_from_db()
    assert assessment_2569.overall_score == Decimal("87.80") and assessment_2569.eit_score == Decimal("85.50")
    scores = {s.question.code: s.score for s in assessment_2569.question_scores.select_related("question")}
    assert scores == {"O25": 100, "O26": 0, "i1": Decimal("98.70")}
    assert assessment_2569.level == "ผ่านดี"


def test_split_summary_lines_leaves_question_lines():
    summary, rest = split_summary_lines("รวม 51\niit 90.5\ni1 90\nOIT ๑๐๐\nหมายเหตุ")
    assert summary == {"overall": "51", "IIT": "90.5", "OIT": "๑๐๐"}
    assert rest == "i1 90\nหมายเหตุ"


def test_provisional_items_are_marked_on_the_results_grid(staff_client, assessment_2569):
    page = staff_client.get(reverse("results", args=["org-a", 2570])).content.decode()
    assert "ไม่ทราบชื่อรายการ" in page  # O2, O6, O7 are not known: shown as unknown, not invented
    assert page.count("ยังไม่ยืนยัน") >= 3


def test_year_home_compares_instrument_scores_with_last_year(staff_client, org_a, assessment_a):
    make_assessment(org_a, year=2568)
    page = staff_client.get(reverse("dashboard", args=["org-a", 2569])).content.decode()
    assert 'id="instrument-scores"' in page and "95.19" in page and "81.84" in page


def test_analysis_page_says_when_the_grouping_is_derived(staff_client, assessment_2569, org_a):
    page = staff_client.get(reverse("analysis", args=["org-a", 2570])).content.decode()
    assert 'id="issues-derived"' in page and "ระบบจัดกลุ่มให้จากปี 2568" in page
    make_assessment(org_a, year=2567, scores=False)
    assert 'id="issues-derived"' not in staff_client.get(reverse("analysis", args=["org-a", 2568])).content.decode()


def test_paste_skips_header_rows_and_flags_duplicates(staff_client, assessment_2569):
    url = reverse("results_paste", args=["org-a", 2570])
    text = "ข้อ\tคะแนน\ni1\t98.70\ni2 97\ni1 98.70\n"
    page = staff_client.post(url, {"text": text, "preview": "1"}).content.decode()
    assert 'id="paste-errors"' not in page and "ข้ามบรรทัดหัวตาราง" in page
    assert 'id="paste-duplicates"' in page and "i1 (บรรทัด 2, 4)" in page
    assert staff_client.post(url, {"text": text, "confirm": "1"}).status_code == 302
    assert assessment_2569.question_scores.count() == 2


def test_paste_refuses_a_code_given_twice_with_different_scores(staff_client, assessment_2569):
    url = reverse("results_paste", args=["org-a", 2570])
    page = staff_client.post(url, {"text": "i1 98\ni1 90", "confirm": "1"}).content.decode()
    assert "ข้อ i1 ซ้ำกับบรรทัด 1 แต่คะแนนต่างกัน (98 กับ 90)" in page
    assert not assessment_2569.question_scores.exists()


def test_year_home_shows_last_years_official_instrument_scores_over_computed_ones(staff_client, org_a, assessment_a):
    make_assessment(org_a, year=2568)
    # ITA 2567 is last year for fiscal 2569: its typed scores, not those computed from its items.
    assessment_a.iit_score, assessment_a.eit_score, assessment_a.oit_score = "91.11", "82.22", "73.33"
    assessment_a.save()
    page = staff_client.get(reverse("dashboard", args=["org-a", 2569])).content.decode()
    table = page[page.index('id="instrument-scores"') :]
    table = table[: table.index("</table>")]
    before = re.findall(r'text-muted">([\d.]+)<', table)
    assert before == ["91.11", "82.22", "73.33"]
