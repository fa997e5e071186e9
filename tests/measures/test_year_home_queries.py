"""The year home runs a fixed number of queries whatever the organisation's size and history: 3 or
160 measures, every report approved, several published versions, last year's results to compare.

Where the 62 go (issue #29 asks for 12): access 5; this year's score sheet 6 and last year's 3 + 6
(recomputed when its instrument scores were not typed); measures, results, checklist, analysis 6;
the three approvals' fingerprints 32 (each report built as it prints, to tell an edit after approval:
reports/fingerprint.py); path 5. Storing the fingerprint at each save would bring it down to 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Question
from measures.models import OitChecklistItem
from measures.services import approve
from reports.models import PublishedVersion
from tests.factories import make_assessment, make_rounds
from tests.measures.test_query_bounds_scale import _add_measures

pytestmark = pytest.mark.django_db
MAX_QUERIES = 62


def _year(previous, manager, measures):
    """ITA 2568 (fiscal year 2569), with ITA 2567's results to compare."""
    assessment = make_assessment(previous.organisation, year=2568)
    rounds = make_rounds(assessment)
    unit = assessment.organisation.units.first()
    OitChecklistItem.objects.bulk_create(
        OitChecklistItem(assessment=assessment, question=q, unit=unit, status="done")
        for q in Question.objects.filter(ita_year=assessment.ita_year, instrument="OIT")
    )
    _add_measures(assessment, rounds, 1, measures)
    for kind in ("o34", "o35", "oit"):
        approve(assessment, kind, manager)
        for number in (1, 2, 3):
            PublishedVersion.objects.create(
                assessment=assessment,
                organisation=assessment.organisation,
                kind=kind,
                number=number,
                title="รายงาน",
                published_by=manager,
                published_by_name="ผู้บริหาร",
                published_at=timezone.now(),
            )
    return assessment


@pytest.mark.parametrize("measures", [3, 160])
def test_the_year_home_runs_the_same_queries_at_any_size(manager_client, manager_a, assessment_a, measures):
    _year(assessment_a, manager_a, measures)
    with CaptureQueriesContext(connection) as captured:
        response = manager_client.get(reverse("dashboard", args=["org-a", 2569]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{measures} มาตรการ" in page
    assert len(captured) <= MAX_QUERIES, "\n".join(q["sql"][:200] for q in captured)
    if measures == 160:  # the same as at 3 measures
        assert len(captured) == _small_count(manager_client, manager_a, assessment_a)


def _small_count(client, manager, assessment):
    """The year home's queries for a 3-measure organisation of another name, for the comparison."""
    from tests.factories import make_org, make_user

    org = make_org("org-small", "องค์การบริหารส่วนตำบลเล็ก")
    small_manager = make_user("manager", org, "manager_small")
    _year(make_assessment(org), small_manager, 3)
    client.force_login(small_manager)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard", args=["org-small", 2569])).status_code == 200
    return len(captured)
