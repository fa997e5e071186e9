import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Unit
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
    measures = [make_measure(assessment_a) for _ in range(6)]
    with django_assert_max_num_queries(29):
        response = manager_client.get(reverse("audit_trail", args=["org-a", 2568]))
    assert response.status_code == 200  # a refusal or an error page is cheap: the bound proves nothing then
    page = response.content.decode()
    assert all(m.title in page for m in measures)


def _renames(org, count, hour=1):
    """`count` renames of one unit, a second apart and newer than anything else, written straight
    into its history (as many saves would): 'ชื่อใหม่ 1' … 'ชื่อใหม่ {count}'."""
    unit = org.units.order_by("id").first()
    start = timezone.now() + datetime.timedelta(hours=hour)
    Unit.history.model.objects.bulk_create(
        Unit.history.model(
            id=unit.id,
            organisation_id=org.id,
            name=f"ชื่อใหม่ {i}",
            order=unit.order,
            history_date=start + datetime.timedelta(seconds=i),
            history_type="~",
        )
        for i in range(1, count + 1)
    )


def _queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("audit_trail", args=["org-a", 2568]))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_a_page_costs_the_same_queries_with_10_or_1000_history_records(manager_client, assessment_a):
    _renames(assessment_a.organisation, 10)
    few, page = _queries(manager_client)
    assert "→ ชื่อใหม่ 10" in page
    _renames(assessment_a.organisation, 90, hour=2)  # dated after the first ones: a page of renames only
    hundred, page = _queries(manager_client)
    _renames(assessment_a.organisation, 900, hour=3)
    many, page = _queries(manager_client)
    assert "→ ชื่อใหม่ 900" in page
    # A page of 10 also reaches the year's other tables (a query each); then the count stays put.
    assert many == hundred <= few


def test_pages_show_the_newest_entries_first_then_the_next_ones(manager_client, assessment_a):
    _renames(assessment_a.organisation, 120)
    url = reverse("audit_trail", args=["org-a", 2568])
    first = manager_client.get(url).content.decode()
    assert "<del>ชื่อใหม่ 119</del> → ชื่อใหม่ 120" in first
    assert "<del>ชื่อใหม่ 70</del> → ชื่อใหม่ 71" in first
    assert "→ ชื่อใหม่ 70<" not in first
    assert "หน้า 1 / " in first and "ถัดไป" in first and "ก่อนหน้า" not in first
    second = manager_client.get(url, {"page": 2}).content.decode()
    assert "<del>ชื่อใหม่ 69</del> → ชื่อใหม่ 70" in second
    assert "<del>ชื่อใหม่ 20</del> → ชื่อใหม่ 21" in second
    assert "→ ชื่อใหม่ 71<" not in second and "→ ชื่อใหม่ 20<" not in second
    assert "หน้า 2 / " in second and "ก่อนหน้า" in second
    last = manager_client.get(url, {"page": 999}).content.decode()  # past the end: the last page, not an error
    assert "ส่วนราชการ" in last and "ถัดไป" not in last
