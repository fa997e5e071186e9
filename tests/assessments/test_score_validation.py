from decimal import Decimal

import pytest

from assessments.services import DomainError, ScoreError, parse_score, parse_score_table, save_scores
from assessments.thai import shorten
from tests.factories import make_assessment


@pytest.mark.parametrize(
    ("raw", "value"),
    [("๘๖.๖๓", "86.63"), ("86.63", "86.63"), (" 100 ", "100.00"), ("๑๐๐", "100.00"), ("8๖.6๓", "86.63"), ("0", "0.00")],
)
def test_thai_and_arabic_digits_are_accepted(raw, value):
    assert parse_score(raw) == Decimal(value)


def test_a_zero_width_space_copied_from_a_web_page_is_ignored():
    assert parse_score("86.63\u200b") == Decimal("86.63")
    assert parse_score("\u200b๙๐") == Decimal("90")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("100.01", "เกิน 100"),
        ("-1", "ไม่ใช่ตัวเลข"),
        ("abc", "ไม่ใช่ตัวเลข"),
        ("แปดสิบ", "ไม่ใช่ตัวเลข"),
        ("86,63", "ไม่ใช่ตัวเลข"),
        ("86.634", "ทศนิยมเกิน 2 ตำแหน่ง"),
        ("1e2", "ไม่ใช่ตัวเลข"),
    ],
)
def test_bad_scores_are_refused_in_thai(raw, message):
    with pytest.raises(DomainError, match=message):
        parse_score(raw)


def test_oit_items_score_0_or_100_only():
    assert parse_score("๑๐๐", oit=True) == 100
    with pytest.raises(DomainError, match="0 หรือ 100"):
        parse_score("50", oit=True)


def test_empty_means_no_score():
    assert parse_score("  ") is None


@pytest.mark.django_db
def test_one_bad_value_saves_nothing(org_a):
    assessment = make_assessment(org_a, scores=False)
    with pytest.raises(ScoreError) as exc:
        save_scores(assessment, questions={"i1": "98.70", "i2": "ไม่รู้", "o1": "55"})
    assert set(exc.value.errors) == {"i2", "o1"}
    # the message a person reads names each wrong item, one after another
    assert str(exc.value) == "; ".join(f"{code}: {message}" for code, message in exc.value.errors.items())
    assert assessment.question_scores.count() == 0


@pytest.mark.django_db
def test_unknown_code_is_named(org_a):
    assessment = make_assessment(org_a, scores=False)
    with pytest.raises(ScoreError, match="ไม่มีข้อ i99"):
        save_scores(assessment, questions={"i99": "50"})


def test_pasted_table_is_parsed():
    text = "ข้อ i1 การปฏิบัติงาน… มากน้อยเพียงใด\t98.70\ni2  ๙๗.๓๙\n\nข้อ ๐22 แนวปฏิบัติ\t100\nO5 ข่าว 0\nแถวเสีย"
    values, errors = parse_score_table(text)
    assert values == {"i1": "98.70", "i2": "๙๗.๓๙", "o22": "100", "o5": "0"}
    assert len(errors) == 1 and "บรรทัด 6" in errors[0][1]


def test_a_summary_line_is_taken_up_to_200_characters_and_no_longer():
    from assessments.services import split_summary_lines

    padded = "คะแนนรวม" + " " * (200 - len("คะแนนรวม") - len("86.63")) + "86.63"
    assert len(padded) == 200
    assert split_summary_lines(padded + "\ni1 90")[0] == {"overall": "86.63"}
    longer = "คะแนนรวม" + " " * (201 - len("คะแนนรวม") - len("86.63")) + "86.63"
    summary, rest = split_summary_lines(longer)
    assert summary == {} and rest == longer  # a longer line is left to the question parser, untouched


def test_a_pasted_header_is_skipped_and_named_and_an_unreadable_line_is_explained():
    from assessments.services import read_pasted_scores

    header = "ข้อ คะแนน " + "ก" * 50  # a header row: no digit, a column title
    unreadable = "i2 ดีมาก " + "ข" * 60
    pasted = read_pasted_scores(f"{header}\nCode\tScore\n{unreadable}\ni1 98.70")
    assert pasted.skipped == [shorten(header, 40), "Code\tScore"]  # Thai and English headers
    assert pasted.values == {"i1": "98.70"}  # the line after an unreadable one is still read
    hint = "ต้องเป็น รหัสข้อ ตามด้วยคะแนน เช่น i1 98.70"
    assert pasted.errors == [(3, f"บรรทัด 3: อ่านไม่ออก “{shorten(unreadable, 40)}” ({hint})")]


def test_codes_are_read_through_spaces_thai_digits_and_a_zero_for_o():
    from assessments.services import read_pasted_scores

    pasted = read_pasted_scores("i 1 98.70\n๐๒ 77\n0 3 66.5\nE๑ 90")
    assert pasted.values == {"i1": "98.70", "o2": "77", "o3": "66.5", "e1": "90"} and not pasted.errors


@pytest.mark.parametrize(
    "tail, number",
    [
        (" x 98.70", "98.70"),
        ("\t98.70  ", "98.70"),
        ("๙๘.๗๐", "๙๘.๗๐"),
        ("", ""),
        (" ดีมาก", ""),
        (" 98.", ""),  # a number cannot end with its dot
        (" 1.2.3", "2.3"),  # two dots: the number is what follows the first whole part
        (" .5", "5"),
        (" ..5", "5"),
    ],
)
def test_the_score_is_read_from_the_end_of_a_pasted_line(tail, number):
    from assessments.services import _trailing_number

    assert _trailing_number(tail) == number


@pytest.mark.django_db
def test_the_score_sheet_shows_the_official_instrument_scores_beside_the_computed(org_a):
    from decimal import Decimal

    from assessments.services import score_sheet

    assessment = make_assessment(org_a)
    assessment.iit_score, assessment.eit_score, assessment.oit_score = Decimal("95.19"), Decimal("88.10"), None
    rows = score_sheet(assessment).instrument_rows()
    assert [(name, official) for name, official, _ in rows] == [
        ("IIT", Decimal("95.19")),
        ("EIT", Decimal("88.10")),
        ("OIT", None),
    ]
    assert all(computed is not None for _, _, computed in rows)


@pytest.mark.django_db
def test_saving_scores_counts_what_changed(org_a):
    assessment = make_assessment(org_a, scores=False)
    assert save_scores(assessment, questions={"i1": "90", "i2": "80"}) == 2  # two new
    assert save_scores(assessment, questions={"i1": "90", "i2": "81", "i3": ""}) == 1  # one changed, one still empty
    assert save_scores(assessment, questions={"i2": ""}) == 1  # one removed
    assert dict(assessment.question_scores.values_list("question__code", "score")) == {"i1": 90}


@pytest.mark.django_db
def test_a_question_is_weak_only_under_the_threshold_and_only_when_scored(org_a):
    from assessments.models import Question
    from assessments.services import score_sheet

    assessment = make_assessment(org_a, scores=False)
    save_scores(assessment, questions={"i1": "85", "i2": "84.99", "o1": "0", "o2": "100"})
    sheet = score_sheet(assessment)
    questions = {q.code: q for q in Question.objects.filter(ita_year=assessment.ita_year)}
    weak = {code for code in ("i1", "i2", "i3", "o1", "o2") if sheet.weak(questions[code])}
    assert weak == {"i2", "o1"}  # 85 is the threshold itself; i3 has no score; OIT is weak at 0


def test_numbers_from_a_spreadsheet_are_scores_too():
    from decimal import Decimal

    assert parse_score(Decimal("86.5")) == Decimal("86.50")
    assert parse_score(90) == Decimal("90.00")
    assert parse_score(97.25) == Decimal("97.25")


@pytest.mark.django_db
def test_the_level_comes_from_the_rules_given_and_is_blank_when_none_is_reached(org_a):
    from decimal import Decimal

    from assessments.services import level_for

    year = make_assessment(org_a, scores=False).ita_year
    assert level_for(year, Decimal("99")) != ""  # the year's own rules
    assert level_for(year, Decimal("99"), rules=[]) == ""  # the rules passed in, not the year's


def test_a_code_given_twice_is_flagged_and_the_lines_after_it_are_still_read():
    from assessments.services import read_pasted_scores

    pasted = read_pasted_scores("i1 90\ni1 90\ni2 80\ni2 81\ni3 70")
    assert pasted.values == {"i1": "90", "i2": "80", "i3": "70"}
    assert pasted.duplicates == [("i1", [1, 2])]
    assert pasted.errors == [(4, "บรรทัด 4: ข้อ i2 ซ้ำกับบรรทัด 3 แต่คะแนนต่างกัน (80 กับ 81)")]


@pytest.mark.django_db
def test_an_official_figure_within_a_hundredth_of_the_computed_is_not_flagged(catalogue):
    from assessments.services import compute, year_indicators

    indicators = year_indicators(catalogue)
    first = next(i for i in indicators if i.number == 1)
    scores = {q.code: Decimal("90") for q in first.questions.all()}

    def flagged(official):
        return compute(catalogue, indicators, scores, {1: Decimal(official)}, None).discrepancies

    assert flagged("90.01") == [] and flagged("89.99") == []
    assert flagged("90.02") == [("ตัวชี้วัดที่ 1", Decimal("90.02"), Decimal("90.00"))]


@pytest.mark.django_db
def test_the_score_sheet_flags_a_typed_overall_unlike_the_computed(org_a, django_assert_num_queries):
    from assessments.services import score_sheet

    assessment = make_assessment(org_a)
    assert score_sheet(assessment).computed.discrepancies == []
    assessment.overall_score = Decimal("50.00")
    with django_assert_num_queries(6):  # never one per indicator or question, reports read them all
        sheet = score_sheet(assessment)
        [(q.indicator.number, q.subindicator and q.subindicator.code) for q in sheet.questions]
        [list(ind.subindicators.all()) for ind in sheet.indicators]
    assert [d[0] for d in sheet.computed.discrepancies] == ["คะแนนภาพรวม"]


@pytest.mark.django_db
def test_an_instrument_is_computed_from_its_indicators_and_checked_against_the_official(catalogue):
    from assessments.services import compute, year_indicators

    indicators = year_indicators(catalogue)
    iit = [i for i in indicators if i.instrument == "IIT"]
    scores = {q.code: Decimal("90") for i in iit for q in i.questions.all()}

    def computed(official_iit):
        return compute(catalogue, indicators, scores, {}, None, {"IIT": Decimal(official_iit)})

    assert computed("90.01").instruments["IIT"] == Decimal("90") and computed("90.01").discrepancies == []
    assert computed("90.02").discrepancies == [("คะแนน IIT", Decimal("90.02"), Decimal("90.00"))]
