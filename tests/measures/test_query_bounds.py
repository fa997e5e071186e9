"""Pages run a bounded number of SQL queries whatever the data size (40 measures × 2 rounds)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Question
from measures.models import OitChecklistItem
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db
MAX_QUERIES = 30


def _fill(assessment, n):
    rounds = make_rounds(assessment)
    for i in range(n):
        m = make_measure(assessment, steps=4, units=("สำนักปลัด", "กองคลัง"), issues=(i % 7 + 1,), questions=("o9", "i1"))
        for r in rounds:
            make_progress(m, r, status="done" if i % 2 else "in_progress")
    unit = assessment.organisation.units.first()
    for q in Question.objects.filter(ita_year=assessment.ita_year, instrument="OIT"):
        OitChecklistItem.objects.create(assessment=assessment, question=q, unit=unit, status="done")
    return rounds


def _pages(rounds, measure_pk):
    args = ["org-a", 2568]
    return [
        reverse("dashboard", args=args),
        reverse("results", args=args),
        reverse("analysis", args=args),
        reverse("measure_list", args=args),
        reverse("measure_edit", args=[*args, measure_pk]),
        reverse("progress_round", args=[*args, rounds[1].pk]),
        reverse("checklist", args=args),
        reverse("report_index", args=args),
        reverse("report_preview", args=[*args, "o34"]),
        reverse("report_preview", args=[*args, "o35"]),
        reverse("report_preview", args=[*args, "oit"]),
    ]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def test_pages_with_40_measures_and_2_rounds_stay_bounded(staff_client, assessment_a, django_assert_max_num_queries):
    rounds = _fill(assessment_a, 40)
    measure = assessment_a.measures.first()
    for url in _pages(rounds, measure.pk):
        with django_assert_max_num_queries(MAX_QUERIES):
            response = staff_client.get(url)
        assert response.status_code == 200, url  # an error page is cheap: the bound proves nothing then
    listing = staff_client.get(reverse("measure_list", args=["org-a", 2568])).content.decode()
    titles = list(assessment_a.measures.values_list("title", flat=True))
    assert len(titles) == 40 and all(title in listing for title in titles)


def test_query_count_does_not_grow_with_measures(staff_client, assessment_a):
    rounds = _fill(assessment_a, 3)
    measure = assessment_a.measures.first()
    small = {url: _count(staff_client, url) for url in _pages(rounds, measure.pk)}
    for i in range(37):
        m = make_measure(assessment_a, steps=4, issues=(i % 7 + 1,))
        for r in rounds:
            make_progress(m, r)
    large = {url: _count(staff_client, url) for url in _pages(rounds, measure.pk)}
    assert large == small
