import pytest
from django.urls import reverse

from assessments.services import DomainError
from measures.models import OitChecklistItem
from measures.services import approve
from tests.factories import approve_as_seen, make_assessment, make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db


def test_manager_approves_o34_staff_cannot(staff_client, manager_client, assessment_a):
    make_measure(assessment_a)
    url = reverse("approve", args=["org-a", 2568, "o34"])
    assert staff_client.post(url).status_code == 403
    assert approve_as_seen(manager_client, assessment_a, "o34").status_code == 302
    assessment_a.refresh_from_db()
    assert assessment_a.o34_approved_at is not None and assessment_a.o34_approved_by.username == "manager_a"


def test_o35_cannot_be_approved_without_progress(manager_client, assessment_a):
    make_measure(assessment_a)
    response = manager_client.post(reverse("approve", args=["org-a", 2568, "o35"]), follow=True)
    assert "ยังไม่มีผลการดำเนินการ" in response.content.decode()
    assessment_a.refresh_from_db()
    assert assessment_a.o35_approved_at is None


def test_dashboard_shows_score_level_chart_counts_and_attention(staff_client, org_a, assessment_a):
    rounds = make_rounds(assessment_a)
    done, going = make_measure(assessment_a, questions=("o9",)), make_measure(assessment_a, questions=("o12",))
    make_measure(assessment_a, questions=("e9",))
    make_progress(done, rounds[0], status="in_progress")
    make_progress(done, rounds[1], status="done")
    make_progress(going, rounds[0], status="in_progress")
    page = staff_client.get(reverse("dashboard", args=["org-a", 2568])).content.decode()
    assert "86.63" in page and 'id="level">ผ่าน<' in page
    assert "ดำเนินการแล้ว <strong>1</strong>" in page
    assert "อยู่ระหว่างดำเนินการ <strong>1</strong>" in page
    assert "ยังไม่ดำเนินการ <strong>1</strong>" in page
    assert page.count('class="bar"') == 10
    # o2, o5, o17, o21, o33 scored 0 and have no measure yet.
    assert "ข้อที่ต้องพัฒนาแต่ยังไม่มีมาตรการรองรับ: o2, o5, o17, o21, o33" in page


def test_dashboard_compares_with_the_previous_year(staff_client, org_a, assessment_a):
    make_assessment(org_a, year=2568)
    page = staff_client.get(reverse("dashboard", args=["org-a", 2569])).content.decode()
    assert "เทียบกับ ITA 2567" in page and page.count('class="bar before') == 10


def test_o35_is_approved_once_progress_is_recorded(manager_client, assessment_a):
    rounds = make_rounds(assessment_a)
    make_progress(make_measure(assessment_a), rounds[0])
    assert approve_as_seen(manager_client, assessment_a, "o35").status_code == 302
    assessment_a.refresh_from_db()
    assert assessment_a.o35_approved_at is not None and assessment_a.o35_approved_by.username == "manager_a"
    assert assessment_a.o35_approved_hash


def test_oit_needs_a_checklist_row_then_is_approved(manager_a, assessment_a):
    with pytest.raises(DomainError, match="^ยังไม่มีรายการตรวจ OIT อนุมัติไม่ได้$"):
        approve(assessment_a, "oit", manager_a)
    assessment_a.refresh_from_db()
    assert assessment_a.oit_approved_at is None
    question = assessment_a.ita_year.questions.get(code="o1")
    OitChecklistItem.objects.create(assessment=assessment_a, question=question, status="done")
    approve(assessment_a, "oit", manager_a)
    assessment_a.refresh_from_db()
    assert assessment_a.oit_approved_at is not None and assessment_a.oit_approved_by == manager_a


def test_an_unknown_kind_is_never_approved(manager_a, assessment_a):
    make_measure(assessment_a)
    with pytest.raises(DomainError, match="^ไม่รู้จักรายการที่จะอนุมัติ$"):
        approve(assessment_a, "o36", manager_a)


def test_o34_without_a_measure_is_refused_with_the_years_item_code(manager_a, assessment_a, org_a):
    with pytest.raises(DomainError, match=r"^ยังไม่มีมาตรการ อนุมัติการวิเคราะห์และมาตรการ \(o34\)ไม่ได้$"):
        approve(assessment_a, "o34", manager_a)
    assessment_a.refresh_from_db()
    assert assessment_a.o34_approved_at is None
    # ITA 2569 names the report O25: the message says so.
    later = make_assessment(org_a, year=2569, scores=False)
    with pytest.raises(DomainError, match=r"\(O25\)ไม่ได้$"):
        approve(later, "o34", manager_a)


def test_an_approval_names_the_report_with_the_years_code_and_no_empty_brackets(assessment_a, org_a):
    from measures.services import approval_label

    assert approval_label(assessment_a, "o35") == "รายงานผลการดำเนินการ (o35)"
    assert approval_label(make_assessment(org_a, year=2569, scores=False), "o34") == "การวิเคราะห์และมาตรการ (O25)"
    # The OIT progress report has no item code of its own.
    assert approval_label(assessment_a, "oit") == "รายงานความก้าวหน้า OIT"
