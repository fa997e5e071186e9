from decimal import Decimal

import pytest

from assessments.models import ItaYear, LevelRule
from assessments.services import level_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("score", "level"),
    [("100", "ผ่าน"), ("85.00", "ผ่าน"), ("84.99", "ต้องปรับปรุง"), ("79.23", "ต้องปรับปรุง"), ("0", "ต้องปรับปรุง")],
)
def test_2567_band_edges(catalogue, score, level):
    assert level_for(catalogue, Decimal(score)) == level


def test_letter_bands_of_an_older_year(catalogue):
    year = ItaYear.objects.create(year=2566)
    for order, (label, low) in enumerate([("AA", 95), ("A", 85), ("B", 75), ("C", 65), ("D", 55), ("E", 50), ("F", 0)]):
        LevelRule.objects.create(ita_year=year, order=order, label=label, min_overall=low)
    assert level_for(year, Decimal("51")) == "E"
    assert level_for(year, Decimal("94.99")) == "A"
    assert level_for(year, Decimal("95")) == "AA"
    assert level_for(year, Decimal("49.99")) == "F"


def test_no_score_no_level(catalogue):
    assert level_for(catalogue, None) == ""


def test_level_is_stored_when_scores_are_saved(assessment_a):
    assessment_a.refresh_from_db()
    assert assessment_a.level == "ผ่าน"
