"""Every staff page runs the same number of SQL queries for a small organisation (3 measures) and a
large one (160 measures × 4 steps, step results in two rounds): no query per row anywhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Question
from measures.models import Measure, MeasureStep, OitChecklistItem, Progress, StepProgress
from tests.factories import make_rounds

pytestmark = pytest.mark.django_db


def _add_measures(assessment, rounds, start, count):
    """`count` measures of 4 steps, each with a result per round and per step: bulk inserts, so that a
    large organisation is built in a second."""
    units = list(assessment.organisation.units.all()[:2])
    issues = list(assessment.ita_year.issues.all()[:7])
    questions = list(Question.objects.filter(ita_year=assessment.ita_year, code__in=("o9", "i1")))
    measures = Measure.objects.bulk_create(
        Measure(assessment=assessment, order=start + i, title=f"มาตรการขนาดใหญ่ที่ {start + i}") for i in range(count)
    )
    Measure.units.through.objects.bulk_create(Measure.units.through(measure=m, unit=u) for m in measures for u in units)
    Measure.issues.through.objects.bulk_create(
        Measure.issues.through(measure=m, issue=issues[i % len(issues)]) for i, m in enumerate(measures)
    )
    Measure.questions.through.objects.bulk_create(
        Measure.questions.through(measure=m, question=q) for m in measures for q in questions
    )
    steps = MeasureStep.objects.bulk_create(
        MeasureStep(measure=m, order=n, text=f"ขั้นตอนที่ {n} ของ{m.title}") for m in measures for n in range(1, 5)
    )
    MeasureStep.units.through.objects.bulk_create(
        MeasureStep.units.through(measurestep=s, unit=units[0]) for s in steps
    )
    Progress.objects.bulk_create(
        Progress(measure=m, round=r, status="done" if i % 2 else "in_progress", output="ผลงาน", outcome="ผลลัพธ์")
        for i, m in enumerate(measures)
        for r in rounds
    )
    StepProgress.objects.bulk_create(
        StepProgress(step=s, round=r, status="done" if s.order % 2 else "in_progress", output="ผลขั้นตอน")
        for s in steps
        for r in rounds
    )


def _pages(assessment, rounds):
    args = [assessment.organisation.slug, assessment.fiscal_year]
    return [
        reverse("dashboard", args=args),
        reverse("results", args=args),
        reverse("analysis", args=args),
        reverse("measure_list", args=args),
        reverse("progress_round", args=[*args, rounds[1].pk]),
        reverse("checklist", args=args),
        reverse("report_index", args=args),
        reverse("audit_trail", args=args),
        reverse("evidence", args=args) + "?oit=o9",
        reverse("evidence", args=args) + f"?measure={assessment.measures.first().pk}&round={rounds[0].pk}",
    ]


def _counts(client, urls):
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url  # an error page is cheap: the count proves nothing then
        counts[url] = len(captured)
    return counts


def test_every_staff_page_costs_the_same_queries_at_3_and_160_measures(manager_client, assessment_a):
    rounds = make_rounds(assessment_a)
    unit = assessment_a.organisation.units.first()
    OitChecklistItem.objects.bulk_create(
        OitChecklistItem(assessment=assessment_a, question=q, unit=unit, status="done")
        for q in Question.objects.filter(ita_year=assessment_a.ita_year, instrument="OIT")
    )
    _add_measures(assessment_a, rounds, 1, 3)
    urls = _pages(assessment_a, rounds)
    small = _counts(manager_client, urls)
    _add_measures(assessment_a, rounds, 4, 157)
    large = _counts(manager_client, urls)
    assert large == small, [(url, small[url], large[url]) for url in urls if large[url] != small[url]]
    progress = manager_client.get(urls[4]).content.decode()
    assert "มาตรการขนาดใหญ่ที่ 160" in progress and "ขั้นตอนที่ 4 ของมาตรการขนาดใหญ่ที่ 160" in progress
