import pytest
from django.urls import reverse

from tests.factories import make_measure

pytestmark = pytest.mark.django_db


def test_create_update_delete_are_recorded_with_who_and_what(staff_client, manager_client, assessment_a):
    url = reverse("measure_new", args=["org-a", 2568])
    staff_client.post(url, {"title": "มาตรการตรวจสอบ", "period_text": "ตลอดปีงบประมาณ", "steps": "ขั้นแรก"})
    m = assessment_a.measures.get()
    staff_client.post(
        reverse("measure_edit", args=["org-a", 2568, m.pk]),
        {"title": "มาตรการตรวจสอบ (แก้)", "period_text": "ตลอดปีงบประมาณ", "steps": "ขั้นแรก", "version": m.version},
    )
    staff_client.post(reverse("measure_delete", args=["org-a", 2568, m.pk]))
    page = manager_client.get(reverse("audit_trail", args=["org-a", 2568])).content.decode()
    assert "staff_a" in page
    assert "เพิ่ม" in page and "แก้ไข" in page and "ลบ" in page
    assert "<del>มาตรการตรวจสอบ</del> → มาตรการตรวจสอบ (แก้)" in page


def test_score_changes_are_in_the_trail(manager_client, assessment_a):
    from assessments.services import save_scores

    save_scores(assessment_a, questions={"i1": "90.00"})
    page = manager_client.get(reverse("audit_trail", args=["org-a", 2568])).content.decode()
    assert "<del>98.70</del> → 90.00" in page


def test_only_managers_see_the_trail(staff_client, auditor_client, other_staff_client, assessment_a):
    url = reverse("audit_trail", args=["org-a", 2568])
    assert staff_client.get(url).status_code == 403
    assert auditor_client.get(url).status_code == 403
    assert other_staff_client.get(url).status_code == 404


def test_trail_queries_are_bounded(manager_client, assessment_a, django_assert_max_num_queries):
    measures = [make_measure(assessment_a) for _ in range(30)]
    with django_assert_max_num_queries(29):  # +1: the typed item titles (ItemTitle)
        response = manager_client.get(reverse("audit_trail", args=["org-a", 2568]))
    assert response.status_code == 200  # a refusal or an error page is cheap: the bound proves nothing then
    page = response.content.decode()
    assert all(m.title in page for m in measures)
