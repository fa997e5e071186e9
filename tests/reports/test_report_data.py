"""Report data, tested exactly and apart from rendering."""

import datetime

import pytest

from reports.data import ReportOptions, build
from tests.reports.conftest import LINK, OUTCOME, OUTPUT, STEP1, STEP2, TITLE

pytestmark = pytest.mark.django_db


def test_o34_summary_in_thai_digits(report_year):
    r = build("o34", report_year[0], ReportOptions(digits="thai"))
    assert [row["score"] for row in r.body["summary"]][:3] == ["๙๗.๙๗", "๙๓.๑๙", "๙๔.๙๓"]
    assert [row["instrument"] for row in r.body["summary"]] == ["IIT", "", "", "", "", "EIT", "", "", "OIT", ""]
    assert r.title_lines[0] == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
    assert r.title_lines[1] == "และ"  # the municipal cover: measures "and" analysis on three lines
    assert r.title_lines[3] == report_year[0].organisation.full_title
    assert [row["number"] for row in r.body["summary"]] == ["๑", "๒", "๓", "๔", "๕", "๖", "๗", "๘", "๙", "๑๐"]
    assert "คะแนนภาพรวมอยู่ที่ ๘๖.๖๓ คะแนน และอยู่ในระดับ ผ่าน" in r.body["intro"]


def test_o34_in_arabic_digits(report_year):
    r = build("o34", report_year[0], ReportOptions(digits="arabic"))
    assert r.body["summary"][0]["score"] == "97.97"
    assert r.title_lines[2].endswith("พ.ศ. 2567")


def test_o34_issue_tables_and_weak_rows(report_year):
    r = build("o34", report_year[0], ReportOptions())
    issue1 = r.body["issues"][0]
    assert issue1["heading"] == "ประเด็นที่ ๑ กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ"
    assert [(x["instrument"], " ".join(x["text"].split()[:2]), x["score"], x["weak"]) for x in issue1["rows"]] == [
        ("IIT", "ข้อ i1", "๙๘.๗๐", False),
        ("", "ข้อ i2", "๙๗.๓๙", False),
        ("", "ข้อ i3", "๙๗.๘๓", False),
        ("OIT", "ข้อ o7", "๑๐๐.๐๐", False),
        ("", "ข้อ o8", "๑๐๐.๐๐", False),
        ("", "ข้อ o9", "๐.๐๐", True),
        ("", "ข้อ o10", "๑๐๐.๐๐", False),
    ]
    assert "รายงานประจำปี" in issue1["analysis"]


def test_o34_measures_numbered_with_steps_units_and_periods(report_year):
    r = build("o34", report_year[0], ReportOptions())
    m = r.body["measures"]
    assert [x["number"] for x in m] == ["๑", "๒", "๓"]
    assert m[0]["title"] == TITLE  # typed text is never converted
    assert [(s["number"], s["text"]) for s in m[0]["steps"]] == [("๑", STEP1), ("๒", STEP2)]
    assert m[0]["units"] == ["สำนักปลัด", "กองคลัง"]
    assert m[0]["period"] == ["๑ ตุลาคม ๒๕๖๗", "๓๐ กันยายน ๒๕๖๘"]
    assert m[1]["period"] == ["ตลอดปีงบประมาณ"]
    assert m[2]["period"] == ["๑ มกราคม ๒๕๖๘", "๓๐ เมษายน ๒๕๖๘"]


def test_o34_section_headings_name_the_years(report_year):
    a = report_year[0]
    assert build("o34", a, ReportOptions(digits="arabic")).body["headings"] == {
        "results": "1. ผลการประเมินคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. 2567",
        "summary": "2. สรุปผลการประเมินรายตัวชี้วัด ประจำปีงบประมาณ พ.ศ. 2567",
        "issues": "3. การวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2567 แยกเป็น 7 ประเด็น",
        "limitations": "4. การวิเคราะห์ข้อจำกัดของหน่วยงาน",
        "measures": f"5. มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายใน{a.organisation.name} ประจำปีงบประมาณ พ.ศ. 2568",
    }


def test_a_question_without_a_score_prints_a_dash_and_no_level_is_claimed(report_year):
    a = report_year[0]
    a.question_scores.filter(question__code="o9").delete()
    a.level = ""
    a.save()
    r = build("o34", a, ReportOptions())
    o9 = next(row for row in r.body["issues"][0]["rows"] if row["text"].startswith("ข้อ o9"))
    assert (o9["score"], o9["weak"]) == ("–", False)
    assert r.body["intro"].endswith("พบว่าคะแนนภาพรวมอยู่ที่ ๘๖.๖๓ คะแนน")  # no level entered: none claimed


def test_o34_prints_a_follow_up_column_only_when_a_measure_has_one(report_year):
    a, (m1, m2, m3), _ = report_year
    assert build("o34", a, ReportOptions()).body["has_follow_up"] is False
    m2.follow_up = "<p>รายงานนายกทุก 3 เดือน</p>"
    m2.save()
    for digits, text in (("thai", "<p>รายงานนายกทุก 3 เดือน</p>"), ("thai_all", "<p>รายงานนายกทุก ๓ เดือน</p>")):
        body = build("o34", a, ReportOptions(digits=digits)).body
        assert body["has_follow_up"] is True
        assert [m["follow_up"] for m in body["measures"]] == ["", text, ""]


def test_o35_groups_by_first_issue_and_reports_the_chosen_round(report_year):
    a, (m1, m2, m3), rounds = report_year
    r = build("o35", a, ReportOptions(round_id=rounds[1].id))
    headings = [s["heading"] for s in r.body["sections"]]
    assert headings == [
        "ประเด็นที่ ๑ กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ",
        "ประเด็นที่ ๒ การให้บริการและระบบ E-Service",
        "มาตรการอื่น ๆ",
    ]
    rows = [row for s in r.body["sections"] for row in s["rows"]]
    assert [row["title"] for row in rows] == [m2.title, TITLE, m3.title]  # m1 (issues 2 and 5) once only
    assert [row["number"] for row in rows] == ["๒", "๑", "๓"]  # each its one number, as in O25
    first = rows[1]
    assert (first["output"], first["outcome"], first["status"]) == (OUTPUT, OUTCOME, "ดำเนินการแล้ว")
    assert first["evidence"] == [LINK]
    assert first["period"] == ["๑ ต.ค. ๖๗", "๓๐ ก.ย. ๖๘"]
    assert "ข้อมูล ณ วันที่ ๓๐ กันยายน ๒๕๖๘" in r.body["intro"]
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๗ และได้กำหนดมาตรการ" in r.body["intro"]


def test_without_a_chosen_round_the_report_is_of_the_first_not_yet_published_of_three(report_year):
    a, _, rounds = report_year
    # a third round added last but dated between the others: "first" is by date, not by entry
    a.rounds.create(name="รอบ 9 เดือน", as_of=datetime.date(2025, 6, 30))
    rounds[0].published_at = datetime.datetime(2025, 4, 20, tzinfo=datetime.UTC)
    rounds[0].save()
    for opts in (ReportOptions(), ReportOptions(round_id=999_999)):  # none chosen, or not this year's
        assert "ข้อมูล ณ วันที่ ๓๐ มิถุนายน ๒๕๖๘" in build("o35", a, opts).body["intro"]
    assert "ข้อมูล ณ วันที่ ๓๐ กันยายน ๒๕๖๘" in build("o35", a, ReportOptions(round_id=rounds[1].id)).body["intro"]


def test_o35_six_month_round(report_year):
    a, _, rounds = report_year
    r = build("o35", a, ReportOptions(round_id=rounds[0].id, digits="arabic"))
    row = r.body["sections"][1]["rows"][0]
    assert row["output"] == "ครึ่งปีแรก" and row["status"] == "อยู่ระหว่างดำเนินการ"
    assert "ข้อมูล ณ วันที่ 31 มีนาคม 2568" in r.body["intro"]


def test_oit_sections_rows_and_boxes(report_year):
    r = build("oit", report_year[0], ReportOptions())
    sections = r.body["sections"]
    assert [s["heading"].split()[1] for s in sections] == ["๙.๑", "๙.๒", "๙.๓", "๙.๔", "๙.๕", "๑๐.๑", "๑๐.๒"]
    rows = [row for s in sections for row in s["rows"]]
    assert len(rows) == 35 and rows[0]["code"] == "o1"  # the code as the year writes it, never "O๑"
    assert rows[0]["boxes"] == [("☐", "ยังไม่ได้ดำเนินการ"), ("☑", "ดำเนินการ")]
    assert rows[1]["boxes"] == [("☑", "ยังไม่ได้ดำเนินการ"), ("☐", "ดำเนินการ")]
    assert rows[2]["boxes"][0][0] == "☑"  # nothing recorded = not yet done
    assert rows[0]["unit"] == "สำนักปลัด"
    assert (r.body["done"], r.body["total"]) == ("๑", "๓๕")


def test_signatures_and_date(report_year):
    opts = ReportOptions(
        reporter_name="นางสมศรี ใจดี", reporter_position="นักวิเคราะห์นโยบายและแผน", report_date=datetime.date(2025, 10, 15)
    )
    r = build("o35", report_year[0], opts)
    assert [(s.label, s.name, s.position) for s in r.signatures][0] == (
        "ผู้รายงาน",
        "นางสมศรี ใจดี",
        "นักวิเคราะห์นโยบายและแผน",
    )
    assert r.date_text == "๑๕ ตุลาคม ๒๕๖๘"
    # the approver signs as the organisation's executive unless another position is typed
    org = report_year[0].organisation
    org.executive_title = "นายกองค์การบริหารส่วนตำบลระเว"
    org.save()
    approver = build("o35", report_year[0], ReportOptions(approver_name="นายประเสริฐ มั่นคง")).signatures[1]
    assert (approver.label, approver.name, approver.position) == (
        "ผู้อนุมัติ",
        "นายประเสริฐ มั่นคง",
        "นายกองค์การบริหารส่วนตำบลระเว",
    )
    acting = build("o35", report_year[0], ReportOptions(approver_position="ปลัด อบต. รักษาราชการแทน")).signatures[1]
    assert acting.position == "ปลัด อบต. รักษาราชการแทน"


def test_report_data_is_built_in_a_fixed_number_of_queries(report_year, django_assert_num_queries):
    """Never one query per issue, question, measure or step (the o34 has 7 issues and 59 questions)."""
    for kind, queries in (("o34", 14), ("o35", 11), ("oit", 3)):
        with django_assert_num_queries(queries):
            build(kind, report_year[0], ReportOptions())


def test_an_issue_not_yet_analysed_prints_empty_boxes(report_year):
    assessment = report_year[0]
    assessment.analyses.filter(issue__number=7).delete()
    issues = build("o34", assessment, ReportOptions()).body["issues"]
    assert (issues[6]["analysis"], issues[6]["improvement"]) == ("", "")
    assert issues[0]["analysis"]  # the others keep theirs


def test_o34_measures_are_labelled_with_their_number(report_year):
    measures = build("o34", report_year[0], ReportOptions()).body["measures"]
    assert [m["label"].split(". ")[0] for m in measures] == [m["number"] for m in measures]
    assert measures[0]["label"] == f"๑. {measures[0]['title']}"


def test_a_free_text_period_prints_as_text_not_as_dates(report_year):
    from reports.render import render_html

    assessment = report_year[0]
    measure = assessment.measures.order_by("order").first()
    measure.period_text = "ตลอดปีงบประมาณ พ.ศ. 2568 (ต.ค. 67 – ก.ย. 68)"
    measure.save()
    for kind in ("o34", "o35"):
        page = render_html(build(kind, assessment, ReportOptions(digits="arabic")), for_pdf=False)
        assert '<span class="period-text">ตลอดปีงบประมาณ พ.ศ. 2568 (ต.ค. 67 – ก.ย. 68)</span>' in page, kind
