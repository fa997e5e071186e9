"""The year home's guided path: results → analysis → measures → approve and publish o34 →
progress per round (with its date) → approve and publish o35; the first step not done is current."""

import datetime

import pytest
from django.urls import reverse

from measures import dashboard
from measures.models import IssueAnalysis
from measures.services import approve
from reports.data import ReportOptions
from reports.publication import publish
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db
BEFORE_OIT_CLOSES = datetime.date(2025, 3, 15)  # fiscal year 2568: ITAS takes OIT answers until 30 April 2025


@pytest.fixture
def in_march(monkeypatch):
    monkeypatch.setattr(dashboard.timezone, "localdate", lambda: BEFORE_OIT_CLOSES)


def _states(assessment):
    return [(step.label, step.done, step.current) for step in dashboard.build(assessment).path]


def test_a_new_year_starts_at_the_analysis_with_rounds_and_their_dates(assessment_a):
    make_rounds(assessment_a)
    path = dashboard.build(assessment_a).path
    labels = [step.label for step in path]
    assert labels[:3] == ["กรอกผลคะแนน ITA 2567", "วิเคราะห์ผล 7 ประเด็น", "กำหนดมาตรการ"]
    # the OIT answer period of ITA 2568 (fiscal year 2568) sits between the two rounds
    assert labels[5:8] == ["รายงานผลรอบ 6 เดือน", "ตอบแบบ OIT ของ ITA 2568 ในระบบ ITAS", "รายงานผลรอบ 12 เดือน"]
    deadlines = [s.deadline for s in path[5:8]]
    assert deadlines == [datetime.date(2025, 3, 31), datetime.date(2025, 4, 30), datetime.date(2025, 9, 30)]
    assert path[0].done and path[1].current and path[1].detail == "วิเคราะห์แล้ว 0 จาก 7 ประเด็น"
    assert sum(step.current for step in path) == 1


def test_the_path_moves_on_as_the_year_is_done(assessment_a, manager_a, in_march):
    rounds = make_rounds(assessment_a)
    for issue in assessment_a.ita_year.issues.all():
        IssueAnalysis.objects.create(assessment=assessment_a, issue=issue, analysis="<p>วิเคราะห์แล้ว</p>")
    questions = [q.code for q in assessment_a.ita_year.questions.all()]
    measure = make_measure(assessment_a, questions=questions)  # every weak item has a measure
    approve(assessment_a, "o34", manager_a)
    publish(assessment_a, "o34", manager_a, ReportOptions())
    states = _states(assessment_a)
    assert [done for _, done, _ in states[:5]] == [True] * 5
    assert states[5] == ("รายงานผลรอบ 6 เดือน", False, True)
    make_progress(measure, rounds[0])
    states = _states(assessment_a)
    assert states[5][1:] == (True, False) and states[6] == ("ตอบแบบ OIT ของ ITA 2568 ในระบบ ITAS", False, True)


def test_the_year_home_shows_the_path_with_links_and_thai_dates(staff_client, assessment_a):
    make_rounds(assessment_a)
    page = staff_client.get(reverse("dashboard", args=["org-a", 2568])).content.decode()
    path = page[page.index('id="year-path"') :]
    path = path[: path.index("</ol>")]
    assert reverse("analysis", args=["org-a", 2568]) in path and 'aria-current="step"' in path
    assert "ภายใน 31 มีนาคม 2568" in path and "ภายใน 30 กันยายน 2568" in path


def test_the_oit_step_counts_the_checklist_and_says_its_dates_are_estimates(assessment_a, in_march):
    from measures.models import ChecklistStatus, OitChecklistItem

    oit = list(assessment_a.ita_year.questions.filter(instrument="OIT"))
    for q in oit[:3]:
        OitChecklistItem.objects.create(assessment=assessment_a, question=q, status=ChecklistStatus.DONE)
    step = next(s for s in dashboard.build(assessment_a).path if s.url_name == "checklist")
    assert step.detail == (f"เปิดตอบ 1 มีนาคม 2568 · เตรียมแล้ว 3 จาก {len(oit)} ข้อ · กำหนดการเป็นค่าประมาณ")
    assert not step.done
    for q in oit[3:]:
        OitChecklistItem.objects.create(assessment=assessment_a, question=q, status=ChecklistStatus.DONE)
    assert next(s for s in dashboard.build(assessment_a).path if s.url_name == "checklist").done


def test_a_year_without_an_oit_period_has_no_oit_step(assessment_a):
    from assessments.models import ItaYear

    ItaYear.objects.filter(year=2568).update(oit_opens=None, oit_closes=None)
    assert all(s.url_name != "checklist" for s in dashboard.build(assessment_a).path)


def test_once_the_oit_period_has_closed_the_step_no_longer_holds_the_path(assessment_a, monkeypatch):
    monkeypatch.setattr(dashboard.timezone, "localdate", lambda: datetime.date(2025, 5, 1))
    step = next(s for s in dashboard.build(assessment_a).path if s.url_name == "checklist")
    assert step.done and step.detail.startswith("ปิดการตอบแล้ว · เตรียมไว้ 0 จาก")
