"""An approval covers what was approved: an edit after it shows, and blocks publishing until approved again."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.services import DomainError
from measures import services
from measures.approval import ApprovalState, state
from measures.models import MeasureStep, OitChecklistItem, Progress
from reports.data import ReportOptions
from reports.publication import publish
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db

CHANGED = "มีการแก้ไขหลังอนุมัติ"


@pytest.fixture
def year(assessment_a, manager_a):
    a = assessment_a
    rounds = make_rounds(a)
    rounds[0].published_at = timezone.now()  # the 6-month O26 is out: the 12-month round is reported now
    rounds[0].save()
    measure = make_measure(a, title="มาตรการเดิม")
    make_progress(measure, rounds[1], status="done", output="ทำแล้ว")
    q = a.ita_year.questions.filter(instrument="OIT").first()
    OitChecklistItem.objects.create(assessment=a, question=q, status="done", description="เผยแพร่แล้ว")
    for kind in ("o34", "o35", "oit"):
        services.approve(a, kind, manager_a)
    return a, measure, rounds


def test_a_fresh_approval_records_what_it_covers(year):
    a, _, _ = year
    a.refresh_from_db()
    assert all(len(getattr(a, f"{k}_approved_hash")) == 64 for k in ("o34", "o35", "oit"))
    assert {k: state(a, k) for k in ("o34", "o35", "oit")} == dict.fromkeys(("o34", "o35", "oit"), "approved")


@pytest.mark.parametrize(
    ("kinds", "edit"),
    [
        # a measure's title, steps and units print on both the o34 and the o35 report
        ({"o34", "o35"}, lambda a, m, r: setattr(m, "title", "มาตรการที่แก้แล้ว") or m.save()),
        ({"o34", "o35"}, lambda a, m, r: MeasureStep.objects.filter(measure=m).update(text="ขั้นตอนที่เขียนใหม่")),
        ({"o34", "o35"}, lambda a, m, r: m.units.set(a.organisation.units.filter(name="กองคลัง"))),
        ({"o34"}, lambda a, m, r: services.save_analysis(a, {1: ("วิเคราะห์ใหม่", "")}, "")),
        ({"o35"}, lambda a, m, r: Progress.objects.filter(measure=m).update(output="แก้ผลแล้ว")),
        ({"oit"}, lambda a, m, r: OitChecklistItem.objects.update(evidence_url="https://x.go.th/new")),
    ],
)
def test_an_edit_after_approval_marks_it_changed_and_blocks_publishing(year, manager_a, kinds, edit):
    a, m, rounds = year
    edit(a, m, rounds)
    a.refresh_from_db()
    assert {k for k in ("o34", "o35", "oit") if state(a, k) == ApprovalState.CHANGED} == kinds, (
        "exactly the reports that print the edited data lose their approval"
    )
    for kind in kinds:
        with pytest.raises(DomainError, match=CHANGED):
            publish(a, kind, manager_a, ReportOptions())
        services.approve(a, kind, manager_a)
        assert state(a, kind) == ApprovalState.APPROVED


def test_the_year_home_and_reports_page_show_the_change(year, manager_client):
    a, m, _ = year
    m.title = "แก้ชื่อมาตรการหลังอนุมัติ"
    m.save()
    home = manager_client.get(reverse("dashboard", args=["org-a", 2568])).content.decode()
    assert CHANGED in home and "ต้องอนุมัติอีกครั้งก่อนเผยแพร่" in home
    reports = manager_client.get(reverse("report_index", args=["org-a", 2568])).content.decode()
    assert CHANGED in reports
    assert 'disabled title="มีการแก้ไขหลังอนุมัติ ต้องอนุมัติอีกครั้ง"' in reports
    response = manager_client.post(reverse("report_publish", args=["org-a", 2568, "o34"]))
    assert not a.published.exists()
    assert response.status_code in (200, 302)


def test_the_audit_trail_records_each_approval_with_its_hash(year, manager_a):
    a, _, _ = year
    approvals = [h for h in a.history.all() if h.o34_approved_hash]
    assert approvals and approvals[0].o34_approved_by_id == manager_a.pk
