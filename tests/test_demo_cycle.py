"""The demo organisation lives the cycle as it stands today (November 2569 BE)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Assessment
from reports.models import PublishedVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(catalogue):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assessments = Assessment.objects.filter(organisation__slug="don-kaeo").select_related("ita_year")
    return {a.fiscal_year: a for a in assessments}


def test_three_fiscal_years_two_published_one_in_progress(demo):
    assert sorted(demo) == [2568, 2569, 2570]
    published = set(PublishedVersion.objects.values_list("assessment__ita_year__year", "kind"))
    assert published == {(y, k) for y in (2567, 2568) for k in ("o34", "o35", "oit")}
    in_progress = demo[2570]
    assert in_progress.measures.exists() and not in_progress.o34_approved_at
    assert not PublishedVersion.objects.filter(assessment=in_progress).exists()


def test_levels_follow_each_years_rules(demo):
    assert demo[2568].level == "ผ่าน"  # ITA 2567: two levels
    assert demo[2569].level == "ผ่านดี"  # ITA 2568: every instrument ≥ 85
    assert demo[2570].level == "ผ่าน"  # ITA 2569: 89.05 overall but OIT 82.86


def test_later_years_carry_on_along_the_lineage(demo):
    fy2569 = demo[2569]
    assert fy2569.measures.count() == demo[2568].measures.count()
    codes = set(fy2569.measures.values_list("questions__code", flat=True)) - {None}
    assert codes and all(c[0] in "ieO" for c in codes)  # 2568 items, not 2567's o-codes
    assert fy2569.checklist.filter(status="done").exists()


def test_published_o34_of_2570s_year_uses_the_years_item_code(demo):
    assert demo[2570].ita_year.report_code("o34") == "O25"


def test_a_second_run_changes_nothing_and_keeps_passwords(demo):
    user = get_user_model().objects.get(username="manager")
    user.set_password("a-password-the-manager-chose")
    user.save()
    counts = (Assessment.objects.count(), PublishedVersion.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Assessment.objects.count(), PublishedVersion.objects.count()) == counts
    user.refresh_from_db()
    assert user.check_password("a-password-the-manager-chose")


def test_refuses_to_run_in_production(catalogue, settings):
    settings.ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="เฉพาะโหมดพัฒนา"):
        call_command("seed_demo")
    assert not Assessment.objects.exists()


def _periods(assessment):
    measures = list(assessment.measures.prefetch_related("steps"))
    texts = [m.period_text for m in measures] + [s.period_text for m in measures for s in m.steps.all()]
    dates = [d for m in measures for d in (m.period_start, m.period_end, m.due_date) if d]
    dates += [d for m in measures for s in m.steps.all() for d in (s.period_start, s.period_end, s.due_date) if d]
    return [t for t in texts if t], dates


def test_the_years_periods_name_only_that_fiscal_year(demo):
    from assessments.thai_periods import read_period_text

    texts, _ = _periods(demo[2570])
    years = {y for t in texts for y, _ in read_period_text(t).years}
    assert years and years <= {2569, 2570}
    assert "ธ.ค. 2569 – ม.ค. 2570" in texts


def test_carrying_the_demo_into_2571_keeps_everything_inside_that_year(demo):
    from assessments.models import ItaYear
    from assessments.thai_periods import read_period_text
    from measures.carryover import carry_over

    new_year = Assessment.objects.create(organisation=demo[2570].organisation, ita_year=ItaYear.objects.get(year=2570))
    result = carry_over(new_year)
    assert result.measures == demo[2570].measures.count() and not result.periods_to_check
    texts, dates = _periods(new_year)
    assert dates and all(datetime.date(2027, 10, 1) <= d <= datetime.date(2028, 9, 30) for d in dates)
    assert all(y >= 2570 for t in texts for y, _ in read_period_text(t).years)
    assert carry_over(new_year).measures == 0  # a second copy doubles nothing
    assert new_year.measures.count() == demo[2570].measures.count()
