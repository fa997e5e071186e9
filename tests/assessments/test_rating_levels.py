"""The five-level Rating Score (2568 onwards) and the letter levels (2563), as data per year."""

from decimal import Decimal

import pytest

from assessments.models import ItaYear
from assessments.services import level_for, save_scores
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db


def instruments(iit, eit, oit):
    return {"IIT": Decimal(iit), "EIT": Decimal(eit), "OIT": Decimal(oit)}


@pytest.mark.parametrize("year", [2568, 2569, 2570])
@pytest.mark.parametrize(
    ("overall", "iit", "eit", "oit", "level"),
    [
        ("96", "96", "96", "96", "ผ่านดีเยี่ยม"),
        ("95.00", "95.00", "95.00", "95.00", "ผ่านดีเยี่ยม"),
        ("96", "96", "94.99", "96", "ผ่านดี"),  # one instrument under 95: not ผ่านดีเยี่ยม
        ("87.80", "85", "85", "92", "ผ่านดี"),
        ("93.70", "97", "84", "99", "ผ่าน"),  # EIT under 85 lowers ผ่านดี to ผ่าน
        ("94.64", "99", "84.99", "98", "ผ่าน"),
        ("85.00", "80", "80", "95", "ผ่าน"),
        ("84.99", "99", "99", "99", "ต้องปรับปรุง"),
        ("72.30", "80", "70", "70", "ต้องปรับปรุง"),
        ("70.00", "70", "70", "70", "ต้องปรับปรุง"),
        ("69.99", "70", "70", "70", "ต้องปรับปรุงโดยด่วน"),
        ("60", "60", "60", "60", "ต้องปรับปรุงโดยด่วน"),
        ("0", "0", "0", "0", "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_five_level_rating_score_at_every_edge(catalogue, year, overall, iit, eit, oit, level):
    ita = ItaYear.objects.get(year=year)
    assert level_for(ita, Decimal(overall), instruments(iit, eit, oit)) == level


def test_an_unknown_instrument_score_never_gives_a_level_that_needs_it(catalogue):
    ita = ItaYear.objects.get(year=2569)
    assert level_for(ita, Decimal("97"), {"IIT": Decimal("97"), "EIT": None, "OIT": Decimal("97")}) == "ผ่าน"


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("100", "AA"),
        ("95.00", "AA"),
        ("94.99", "A"),
        ("85", "A"),
        ("84.99", "B"),
        ("75", "B"),
        ("74.99", "C"),
        ("65", "C"),
        ("64.99", "D"),
        ("55", "D"),
        ("54.99", "E"),
        ("51", "E"),
        ("50", "E"),
        ("49.99", "F"),
        ("0", "F"),
    ],
)
def test_letter_levels_of_2563(catalogue, score, level):
    assert level_for(ItaYear.objects.get(year=2563), Decimal(score)) == level


def test_stored_level_uses_the_instrument_scores(catalogue, org_a):
    assessment = make_assessment(org_a, year=2569, scores=False)
    save_scores(assessment, overall="93.70", overall_given=True, instruments={"IIT": "97", "EIT": "84", "OIT": "99"})
    assessment.refresh_from_db()
    assert assessment.level == "ผ่าน"
    save_scores(assessment, instruments={"EIT": "๘๕"})  # Thai digits are fine
    assessment.refresh_from_db()
    assert assessment.eit_score == Decimal("85") and assessment.level == "ผ่านดี"


def test_instrument_scores_are_computed_from_indicators_and_flagged_when_they_differ(catalogue, org_a):
    assessment = make_assessment(org_a, year=2567)  # reference indicators: IIT mean 95.188, EIT 81.843
    from assessments.services import score_sheet

    sheet = score_sheet(assessment)
    rows = {name: computed for name, _, computed in sheet.instrument_rows()}
    assert rows == {"IIT": Decimal("95.19"), "EIT": Decimal("81.84"), "OIT": Decimal("83.81")}
    assert not any(label.startswith("คะแนน I") for label, _, _ in sheet.computed.discrepancies)
    save_scores(assessment, instruments={"IIT": "95.19", "EIT": "81.00"})
    labels = [label for label, _, _ in score_sheet(assessment).computed.discrepancies]
    assert "คะแนน EIT" in labels and "คะแนน IIT" not in labels


def test_a_bad_instrument_score_is_refused_in_thai_and_nothing_is_saved(catalogue, org_a):
    from assessments.services import ScoreError

    assessment = make_assessment(org_a, year=2569, scores=False)
    with pytest.raises(ScoreError) as exc:
        save_scores(assessment, instruments={"IIT": "90", "EIT": "101"}, overall="90", overall_given=True)
    assert "เกิน 100" in str(exc.value)
    assessment.refresh_from_db()
    assert assessment.iit_score is None and assessment.overall_score is None
