"""A deleted measure goes to the year's trash and comes back whole; a copy of last year can be undone."""

import datetime

import pytest
from django.urls import reverse

from measures.models import DeletedMeasure, Measure, Progress, ReportingRound, StepProgress
from measures.trash import snapshot
from tests.factories import make_assessment, make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db


def _url(name, *args, fy=2568):
    return reverse(name, args=["org-a", fy, *args])


@pytest.fixture
def full_measure(assessment_a):
    """A measure with everything a user may have given it."""
    rounds = make_rounds(assessment_a)
    make_measure(assessment_a, title="ก่อน", order=1)
    m = make_measure(assessment_a, title="มาตรการที่จะลบ", order=2, steps=2, units=("สำนักปลัด", "กองคลัง"))
    make_measure(assessment_a, title="หลัง", order=3)
    m.period_text, m.follow_up = "ตลอดปีงบประมาณ", "<p>รายงานทุกไตรมาส</p>"
    m.responsible_person, m.due_date = "นายสมชาย รักงาน", datetime.date(2025, 6, 30)
    m.save()
    step = m.steps.first()
    step.period_start, step.period_end = datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)
    step.responsible_person, step.due_date = "นางสาวสมศรี ใจดี", datetime.date(2024, 12, 15)
    step.save()
    step.units.set(assessment_a.organisation.units.filter(name="กองคลัง"))
    StepProgress.objects.create(
        step=step, round=rounds[0], status="done", output="ผลขั้นแรก", evidence="https://e.go.th/1"
    )
    p = make_progress(m, rounds[1], status="done", output="ผลทั้งมาตรการ", outcome="ได้ผลดี")
    p.done_on = datetime.date(2025, 9, 1)
    p.save()
    return m


def test_deleting_moves_to_the_trash_and_restoring_brings_it_back_whole(staff_client, full_measure):
    before = snapshot(full_measure)
    response = staff_client.post(_url("measure_delete", full_measure.pk), follow=True)
    assert "ไปถังขยะแล้ว" in response.content.decode()
    assessment = full_measure.assessment
    assert list(assessment.measures.order_by("order").values_list("title", "order")) == [("ก่อน", 1), ("หลัง", 2)]
    item = DeletedMeasure.objects.get()
    assert item.deleted_by.username == "staff_a"
    page = staff_client.get(_url("measure_trash")).content.decode()
    assert "มาตรการที่จะลบ" in page and "กู้คืน" in page
    assert staff_client.post(_url("measure_restore", item.pk)).status_code == 302
    restored = Measure.objects.get(title="มาตรการที่จะลบ")
    after = snapshot(restored)
    assert after == before  # same place, fields, links, steps with their own cells, every result
    assert list(assessment.measures.order_by("order").values_list("title", flat=True)) == ["ก่อน", "มาตรการที่จะลบ", "หลัง"]
    assert not DeletedMeasure.objects.exists()


def test_restoring_after_a_round_was_deleted_says_what_could_not_come_back(staff_client, full_measure):
    staff_client.post(_url("measure_delete", full_measure.pk))
    ReportingRound.objects.filter(name="รอบ 12 เดือน").delete()
    item = DeletedMeasure.objects.get()
    page = staff_client.post(_url("measure_restore", item.pk), follow=True).content.decode()
    assert "กู้คืนไม่ได้: ผลการดำเนินการของรอบรายงานที่ถูกลบไปแล้ว 1 รอบ" in page
    assert not Progress.objects.exists() and StepProgress.objects.count() == 1


def test_auditor_sees_the_trash_but_cannot_restore_and_outsiders_get_404(
    staff_client, auditor_client, other_staff_client, full_measure
):
    staff_client.post(_url("measure_delete", full_measure.pk))
    item = DeletedMeasure.objects.get()
    page = auditor_client.get(_url("measure_trash")).content.decode()
    assert "มาตรการที่จะลบ" in page and "measure_restore" not in page and "/restore/" not in page
    assert auditor_client.post(_url("measure_restore", item.pk)).status_code == 403
    assert other_staff_client.get(_url("measure_trash")).status_code == 404
    assert other_staff_client.post(_url("measure_restore", item.pk)).status_code == 404
    assert DeletedMeasure.objects.exists()


def test_an_item_of_another_years_trash_cannot_be_restored_here(staff_client, org_a, full_measure):
    staff_client.post(_url("measure_delete", full_measure.pk))
    make_assessment(org_a, year=2568, scores=False)
    item = DeletedMeasure.objects.get()
    assert staff_client.post(_url("measure_restore", item.pk, fy=2569)).status_code == 404


def test_a_copy_of_last_year_can_be_undone_into_the_trash(org_a, staff_client, assessment_a):
    make_measure(assessment_a, title="มาตรการปีก่อน ๑")
    make_measure(assessment_a, title="มาตรการปีก่อน ๒")
    next_year = make_assessment(org_a, year=2568, scores=False)
    own = make_measure(next_year, title="มาตรการที่พิมพ์เองปีนี้")
    staff_client.post(reverse("measure_copy_previous", args=["org-a", 2569]))
    assert next_year.measures.count() == 3
    page = staff_client.get(reverse("measure_copy_previous", args=["org-a", 2569])).content.decode()
    assert "ย้อนการคัดลอก" in page
    staff_client.post(reverse("measure_copy_undo", args=["org-a", 2569]))
    assert list(next_year.measures.values_list("pk", flat=True)) == [own.pk]  # only the copies went
    assert sorted(DeletedMeasure.objects.values_list("title", flat=True)) == ["มาตรการปีก่อน ๑", "มาตรการปีก่อน ๒"]
