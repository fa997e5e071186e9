"""A responsible person and a due date for each measure or step, and what is overdue."""

import datetime

import pytest
from django.urls import reverse

from measures import dashboard
from measures.approval import ApprovalState, state
from measures.models import Measure, MeasureStep, StepProgress
from measures.services import approve
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 2, 1)


def test_a_measure_keeps_its_person_and_due_date_typed_in_the_buddhist_era(staff_client, assessment_a):
    data = {
        "title": "มาตรการมีผู้รับผิดชอบ",
        "period_text": "ตลอดปีงบประมาณ",
        "responsible_person": "นางสาวสมศรี ใจดี นักวิเคราะห์ฯ",
        "due_date": "31/1/2568",
    }
    assert staff_client.post(reverse("measure_new", args=["org-a", 2568]), data).status_code == 302
    m = Measure.objects.get(title="มาตรการมีผู้รับผิดชอบ")
    assert (m.responsible_person, m.due_date) == ("นางสาวสมศรี ใจดี นักวิเคราะห์ฯ", datetime.date(2025, 1, 31))
    page = staff_client.get(reverse("measure_edit", args=["org-a", 2568, m.pk])).content.decode()
    assert 'value="31/1/2568"' in page


def test_overdue_lists_what_is_past_due_and_not_done_oldest_first(assessment_a):
    rounds = make_rounds(assessment_a)
    late = make_measure(assessment_a, title="เลยกำหนด", steps=2, order=1)
    late.due_date, late.responsible_person = datetime.date(2025, 1, 15), "นายก"
    late.save()
    done = make_measure(assessment_a, title="เสร็จแล้ว", order=2)
    done.due_date = datetime.date(2024, 12, 1)
    done.save()
    make_progress(done, rounds[0], status="done")
    future = make_measure(assessment_a, title="ยังไม่ถึงกำหนด", order=3)
    future.due_date = datetime.date(2025, 6, 1)
    future.save()
    first, second = late.steps.all()
    MeasureStep.objects.filter(pk=first.pk).update(due_date=datetime.date(2024, 12, 31))
    MeasureStep.objects.filter(pk=second.pk).update(due_date=datetime.date(2024, 11, 30))
    StepProgress.objects.create(step=second, round=rounds[0], status="done")  # this step is done
    measures = list(assessment_a.measures.order_by("order"))
    statuses = dashboard.measure_statuses(measures, list(done.progress.select_related("round")))
    items = dashboard.overdue(assessment_a, measures, statuses, today=TODAY)
    assert [(o.label, o.due_date) for o in items] == [
        ("เลยกำหนด · ขั้นตอนที่ 1", datetime.date(2024, 12, 31)),
        ("เลยกำหนด", datetime.date(2025, 1, 15)),
    ]
    assert items[1].person == "นายก"


def test_the_year_home_lists_overdue_items_with_links(staff_client, assessment_a):
    m = make_measure(assessment_a, title="มาตรการเลยกำหนด")
    m.due_date = datetime.date(2020, 1, 1)  # long past whatever the date of the test run
    m.save()
    page = staff_client.get(reverse("dashboard", args=["org-a", 2568])).content.decode()
    block = page[page.index('id="overdue"') :]
    assert "มาตรการเลยกำหนด" in block and "กำหนด 1 มกราคม 2563" in block
    assert reverse("measure_edit", args=["org-a", 2568, m.pk]) in block


def test_changing_who_or_when_does_not_undo_an_approval(staff_client, manager_a, assessment_a):
    m = make_measure(assessment_a)
    approve(assessment_a, "o34", manager_a)
    m.responsible_person, m.due_date = "นายข", datetime.date(2025, 3, 1)
    m.save()
    assessment_a.refresh_from_db()
    assert state(assessment_a, "o34") == ApprovalState.APPROVED  # not printed, not approved
    m.title = "ชื่อใหม่"
    m.save()
    assert state(assessment_a, "o34") == ApprovalState.CHANGED
