from decimal import Decimal

import pytest

from assessments.services import compute, round2, save_scores, score_sheet
from tests.factories import REFERENCE_INDICATORS, REFERENCE_QUESTIONS, make_assessment

pytestmark = pytest.mark.django_db


def test_reference_figures_are_reproduced(assessment_a):
    sheet = score_sheet(assessment_a)
    c = sheet.computed.indicators
    assert round2(c[1]) == Decimal("97.97")
    assert round2(c[4]) == Decimal("93.04")
    assert round2(c[9]) == Decimal("77.62")  # mean of the five sub-indicator means
    assert round2(c[10]) == Decimal("90.00")  # plain mean of o26–o35
    assert c[6] is None  # EIT is entered, never computed
    assert round2(sheet.computed.overall) == Decimal("86.63")
    assert sheet.computed.discrepancies == []


def test_an_official_figure_that_differs_is_flagged(assessment_a):
    save_scores(assessment_a, indicators={1: "79.97"})
    sheet = score_sheet(assessment_a)
    assert ("ตัวชี้วัดที่ 1", Decimal("79.97"), Decimal("97.97")) in sheet.computed.discrepancies
    # The official figure as entered is what is stored and shown.
    assert sheet.indicator_scores[1] == Decimal("79.97")


def test_weak_questions(assessment_a):
    sheet = score_sheet(assessment_a)
    by_code = {q.code: q for q in sheet.questions}
    assert sheet.weak(by_code["e9"])  # 16.98 < 85
    assert sheet.weak(by_code["o9"])  # OIT at 0
    assert not sheet.weak(by_code["i1"])


def test_score_sheet_queries_are_bounded(assessment_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        score_sheet(assessment_a)


def _overall_check(catalogue, official_overall):
    """Instruments at 80.00 each: whatever the weights (they sum to 1) the computed overall is 80.00."""
    assert catalogue.computes_overall
    eighty = Decimal("80.00")
    return compute(catalogue, [], {}, {}, official_overall, {"IIT": eighty, "EIT": eighty, "OIT": eighty})


def test_an_official_overall_more_than_a_hundredth_off_is_flagged(catalogue):
    result = _overall_check(catalogue, Decimal("80.02"))
    assert result.overall == Decimal("80.00")
    assert result.discrepancies == [("คะแนนภาพรวม", Decimal("80.02"), Decimal("80.00"))]


@pytest.mark.parametrize("official", ["80.00", "80.01", "79.99"])
def test_an_official_overall_within_a_hundredth_is_not_flagged(catalogue, official):
    assert _overall_check(catalogue, Decimal(official)).discrepancies == []


def test_saving_question_scores_keeps_the_official_overall(assessment_a):
    assessment_a.refresh_from_db()
    assert assessment_a.overall_score == Decimal("86.63")
    save_scores(assessment_a, questions={"i1": "90.00"})  # as a pasted table of question scores does
    assessment_a.refresh_from_db()
    assert assessment_a.overall_score == Decimal("86.63")
    assert assessment_a.question_scores.get(question__code="i1").score == Decimal("90.00")


def test_without_a_typed_overall_the_level_comes_from_the_computed_overall(org_a):
    a = make_assessment(org_a, scores=False)
    save_scores(a, questions=REFERENCE_QUESTIONS, indicators=REFERENCE_INDICATORS)  # no overall typed
    a.refresh_from_db()
    assert a.overall_score is None
    assert round2(score_sheet(a).computed.overall) == Decimal("86.63")
    assert a.level == "ผ่าน"


def test_clearing_the_official_overall_keeps_a_level_from_the_computed_one(assessment_a):
    save_scores(assessment_a, overall="", overall_given=True)
    assessment_a.refresh_from_db()
    assert assessment_a.overall_score is None and assessment_a.level == "ผ่าน"


@pytest.mark.parametrize(
    ("value", "rounded"), [("0.125", "0.13"), ("86.625", "86.63"), ("86.635", "86.64"), ("1.124", "1.12")]
)
def test_rounding_is_half_up_as_the_official_figures(value, rounded):
    assert round2(Decimal(value)) == Decimal(rounded)
