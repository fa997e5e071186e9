"""A model's default ordering must not join other tables: prefetches and lists of rows use it on every
staff page, and a join made only to order rows (a step's result ordered through its step, round,
assessment, organisation and year) costs at every organisation size."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_measure, make_rounds

pytestmark = pytest.mark.django_db

# Assessments of one organisation are listed by fiscal year (the year's number lives in ItaYear).
JOINS_ON_PURPOSE = {"assessments.assessment"}


def _models():
    return [
        m
        for app in ("assessments", "measures", "reports")
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical") and m._meta.label_lower not in JOINS_ON_PURPOSE
    ]


@pytest.mark.parametrize("model", _models(), ids=lambda m: m._meta.label_lower)
def test_default_ordering_joins_no_other_table(model):
    assert "JOIN" not in str(model.objects.all().query)


def test_the_progress_pages_step_results_are_fetched_without_a_join(staff_client, assessment_a):
    rounds = make_rounds(assessment_a)
    make_measure(assessment_a, steps=3)
    with CaptureQueriesContext(connection) as captured:
        response = staff_client.get(reverse("progress", args=["org-a", 2568]) + f"?round={rounds[0].pk}")
    assert response.status_code == 200
    prefetch = [q["sql"] for q in captured if 'FROM "measures_stepprogress"' in q["sql"]]
    assert prefetch and all("JOIN" not in sql for sql in prefetch)
