"""Dossier format version 1 (indicator scores only, no question scores) imports for every ITA
year, and what it exports carries the level of that year's rules and its instrument scores."""

import json

import pytest

from tests.factories import REFERENCE_INDICATORS

pytestmark = pytest.mark.django_db


def _module():
    from measures import dossier

    return dossier


def v1_file(ita_year, overall, indicators=REFERENCE_INDICATORS, **results):
    return json.dumps(
        {
            "format": "ita-portal-dossier",
            "version": 1,
            "fiscal_year": ita_year + 1,
            "ita_year": ita_year,
            "organisation": {
                "slug": f"v1-{ita_year}",
                "name": "องค์การบริหารส่วนตำบลทดสอบรุ่นหนึ่ง",
                "org_type": "sao",
                "district": "เมือง",
                "province": "อุบลราชธานี",
            },
            "units": ["สำนักปลัด"],
            "results": {"overall_score": overall, "indicator_scores": indicators, **results},
        },
        ensure_ascii=False,
    )


@pytest.mark.parametrize(
    ("ita_year", "overall", "level"),
    [
        (2563, "51.00", "E"),
        (2567, "86.63", "ผ่าน"),
        (2568, "86.63", "ผ่าน"),  # EIT 81.84 from the indicators: not ผ่านดี
        (2569, "72.30", "ต้องปรับปรุง"),
        (2570, "60.00", "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_version_1_files_import_for_every_year_and_export_the_years_level(catalogue, ita_year, overall, level):
    module = _module()
    indicators = {k: v for k, v in REFERENCE_INDICATORS.items()}
    assessment = module.import_dossier(v1_file(ita_year, overall, indicators))
    assert assessment.level == level
    exported = module.export_dossier(assessment.organisation, assessment.fiscal_year)
    assert exported["results"]["level"] == level
    assert exported["results"]["overall_score"] == overall


def test_instrument_scores_travel_and_decide_the_level(catalogue):
    module = _module()
    raw = json.loads(v1_file(2569, "93.70"))
    raw["results"]["instrument_scores"] = {"IIT": "97.00", "EIT": "85.00", "OIT": "99.00"}
    assessment = module.import_dossier(json.dumps(raw, ensure_ascii=False))
    assert assessment.level == "ผ่านดี"
    exported = module.export_dossier(assessment.organisation, assessment.fiscal_year)
    assert exported["results"]["instrument_scores"] == {"IIT": "97.00", "EIT": "85.00", "OIT": "99.00"}


def test_question_codes_match_whatever_their_case(catalogue):
    module = _module()
    raw = json.loads(v1_file(2569, "90.00"))
    raw["results"]["question_scores"] = {"o25": "100", "O26": "0", "I1": "98.70"}
    assessment = module.import_dossier(json.dumps(raw, ensure_ascii=False))
    scores = {s.question.code: str(s.score) for s in assessment.question_scores.select_related("question")}
    assert scores == {"O25": "100.00", "O26": "0.00", "i1": "98.70"}
