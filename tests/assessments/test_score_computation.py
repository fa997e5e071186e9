from decimal import Decimal

import pytest

from assessments.services import round2, save_scores, score_sheet

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
