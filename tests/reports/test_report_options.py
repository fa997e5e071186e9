"""Per-report choices an organisation makes: issue headings or one numbered list, a ลำดับ column,
Thai digits for typed text too, and its own introduction (the default says only what the data shows)."""

import datetime

import pytest
from django.urls import reverse

from assessments.thai import thai_digits_in_typed_text
from reports.data import ReportOptions, build, default_intro
from reports.docx_export import report_to_docx
from reports.models import ReportSettings
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(assessment_a):
    rounds = make_rounds(assessment_a)
    first = make_measure(assessment_a, title="ประชุม 3 ครั้ง ตามข้อ o12", issues=(3,))
    second = make_measure(assessment_a, title="เผยแพร่ข้อมูล", issues=(1,))
    make_progress(first, rounds[0], status="done", output="<p>จัด 2 ครั้ง ดู https://a.go.th/p/12</p>")
    make_progress(second, rounds[0], status="in_progress")
    return assessment_a, rounds[0]


def _o35(assessment, round_, **opts):
    return build("o35", assessment, ReportOptions(round_id=round_.pk, **opts))


def test_grouped_by_issue_puts_each_measure_under_its_issue(year):
    assessment, round_ = year
    sections = _o35(assessment, round_).body["sections"]
    assert [s["heading"].split()[:2] for s in sections] == [["ประเด็นที่", "๑"], ["ประเด็นที่", "๓"]]
    # each keeps its one number (its place in the measures' order, as O25 prints it), not its place here
    assert [r["label"] for s in sections for r in s["rows"]] == ["๒. เผยแพร่ข้อมูล", "๑. ประชุม 3 ครั้ง ตามข้อ o12"]


def test_a_plain_list_keeps_the_measures_order_without_headings(year):
    assessment, round_ = year
    sections = _o35(assessment, round_, grouping="list").body["sections"]
    assert [s["heading"] for s in sections] == [""]
    assert [r["label"] for r in sections[0]["rows"]] == ["๑. ประชุม 3 ครั้ง ตามข้อ o12", "๒. เผยแพร่ข้อมูล"]
    html = build("o35", assessment, ReportOptions(round_id=round_.pk, grouping="list"))
    from reports.render import render_html

    page = render_html(html, for_pdf=False)
    assert 'class="section"' not in page and "ประเด็นที่" not in page.split("<table")[1]


def test_a_number_column_takes_the_number_out_of_the_title(year):
    assessment, round_ = year
    for kind in ("o34", "o35"):
        report = build(kind, assessment, ReportOptions(round_id=round_.pk, number_column=True))
        rows = report.body["measures"] if kind == "o34" else [r for s in report.body["sections"] for r in s["rows"]]
        first = next(r for r in rows if r["number"] == "๑")
        assert first["label"] == "ประชุม 3 ครั้ง ตามข้อ o12"
        document = report_to_docx(report)
        import io

        import docx

        tables = docx.Document(io.BytesIO(document)).tables
        assert tables[-1].rows[0].cells[0].text == "ลำดับ"
        numbers = [row.cells[0].text for row in tables[-1].rows[1:] if row.cells[0].text]
        assert numbers[-1] == ("๒" if kind == "o34" else "๑")  # o35: issue ๓ comes last


def test_thai_digits_for_typed_text_spare_links_codes_and_markup(year):
    assessment, round_ = year
    plain = _o35(assessment, round_, grouping="list").body["sections"][0]["rows"][0]
    assert plain["title"] == "ประชุม 3 ครั้ง ตามข้อ o12"  # typed text as typed by default
    row = _o35(assessment, round_, grouping="list", digits="thai_all").body["sections"][0]["rows"][0]
    assert row["title"] == "ประชุม ๓ ครั้ง ตามข้อ o12"
    assert row["output"] == "<p>จัด ๒ ครั้ง ดู https://a.go.th/p/12</p>"
    assert thai_digits_in_typed_text('<a href="https://x.go.th/1">ข้อ 5</a> &#160; info1@x.go.th') == (
        '<a href="https://x.go.th/1">ข้อ ๕</a> &#160; info1@x.go.th'
    )
    # "<" and ">" typed as signs are not markup: the digits between them are typed text too
    assert thai_digits_in_typed_text("คะแนน < 85 และ > 70, <br>ข้อ 2</p>") == "คะแนน < ๘๕ และ > ๗๐, <br>ข้อ ๒</p>"


def test_the_default_introductions_say_only_what_the_data_shows(year):
    assessment, round_ = year
    opts = ReportOptions(round_id=round_.pk)
    assessment.overall_score = None
    intro = default_intro("o34", assessment, opts)
    assert intro.endswith("มีรายละเอียดดังนี้") and "คะแนน" not in intro.split("ITA")[1]  # no score claimed
    intro = _o35(assessment, round_).body["intro"]
    assert "จากทั้งหมด ๒ มาตรการ ดำเนินการแล้ว ๑ มาตรการ อยู่ระหว่างดำเนินการ ๑ มาตรการ" in intro
    assert "บัดนี้ได้ดำเนินการตามมาตรการดังกล่าว" not in intro  # never claims all was done
    assert default_intro("o35", assessment, opts) == intro
    assert "ในปีงบประมาณ พ.ศ. ๒๕๖๘ นั้น" in intro  # the fiscal year of the measures
    assessment.measures.all().delete()
    intro = _o35(assessment, round_).body["intro"]
    assert intro.endswith("จึงขอรายงานผลการดำเนินการตามมาตรการ ข้อมูล ณ วันที่ ๓๑ มีนาคม ๒๕๖๘ ดังนี้")


def test_each_report_prints_its_own_typed_introduction(year):
    assessment, round_ = year
    opts = ReportOptions(round_id=round_.pk, intro_o34="คำนำของ o34 ปี 2568", intro_o35="คำนำของ o35")
    assert build("o34", assessment, opts).body["intro"] == "คำนำของ o34 ปี 2568"
    assert build("o35", assessment, opts).body["intro"] == "คำนำของ o35"
    # paragraphs however the lines were broken (a form's \r\n, \n, an old \r), blank lines dropped
    opts = ReportOptions(intro_o34="  ย่อหน้าแรก\rย่อหน้าสอง\r\n\r\n ย่อหน้าสาม \n\n")
    assert build("o34", assessment, opts).body["intro"] == "ย่อหน้าแรก\nย่อหน้าสอง\nย่อหน้าสาม"


def test_staff_write_their_own_introduction_and_every_print_uses_it(staff_client, year):
    assessment, round_ = year
    url = reverse("report_intro", args=["org-a", 2568])
    text = "องค์การบริหารส่วนตำบลระเวได้ดำเนินการตามมาตรการ 2 มาตรการ"
    response = staff_client.post(url, {"intro_o34": "", "intro_o35": text + "\r\n\r\nย่อหน้าที่สอง"})
    assert response.status_code == 302
    preview = staff_client.get(reverse("report_preview", args=["org-a", 2568, "o35"])).content.decode()
    assert f'<p class="indent">{text}</p><p class="indent">ย่อหน้าที่สอง</p>' in preview  # its paragraphs kept
    o34 = staff_client.get(reverse("report_preview", args=["org-a", 2568, "o34"])).content.decode()
    assert "จากผลการประเมิน ITA ในปีงบประมาณ พ.ศ. ๒๕๖๗" in o34  # blank keeps the default


def test_a_too_long_introduction_is_refused_and_kept_in_the_form(staff_client, year):
    url = reverse("report_intro", args=["org-a", 2568])
    text = "ก" * 3001
    response = staff_client.post(url, {"intro_o34": text, "intro_o35": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "ยังไม่ได้บันทึกคำนำ" in page and text in page
    assert not ReportSettings.objects.exists()


def test_auditors_and_outsiders_cannot_change_an_introduction(auditor_client, other_staff_client, year):
    url = reverse("report_intro", args=["org-a", 2568])
    assert auditor_client.post(url, {"intro_o34": "x", "intro_o35": ""}).status_code == 403
    assert other_staff_client.post(url, {"intro_o34": "x", "intro_o35": ""}).status_code == 404
    assert not ReportSettings.objects.exists()


def test_the_report_date_and_options_survive_a_background_render(year):
    from reports.tasks import options_from_json, options_to_json

    opts = ReportOptions(grouping="list", number_column=True, digits="thai_all", intro_o35="ข้อความ",
                         report_date=datetime.date(2025, 9, 30))  # fmt: skip
    assert options_from_json(options_to_json(opts)) == opts


def test_the_o35_introduction_counts_a_measure_without_a_result_as_not_started(year):
    assessment, round_ = year
    make_measure(assessment, title="มาตรการที่ยังไม่รายงาน")
    intro = default_intro("o35", assessment, ReportOptions(round_id=round_.pk))
    assert intro.endswith(
        " ข้อมูล ณ วันที่ ๓๑ มีนาคม ๒๕๖๘ จากทั้งหมด ๓ มาตรการ ดำเนินการแล้ว ๑ มาตรการ "
        "อยู่ระหว่างดำเนินการ ๑ มาตรการ ยังไม่ดำเนินการ ๑ มาตรการ รายละเอียดดังนี้"
    )


def test_the_o35_introduction_of_a_year_without_rounds_names_no_date(assessment_a):
    make_measure(assessment_a)
    intro = default_intro("o35", assessment_a, ReportOptions())
    assert "ณ วันที่" not in intro
    assert intro.endswith("ตามมาตรการ จากทั้งหมด ๑ มาตรการ ยังไม่ดำเนินการ ๑ มาตรการ รายละเอียดดังนี้")
    # the report itself, before any round is set up: every measure not started, no date named
    report = build("o35", assessment_a, ReportOptions())
    assert report.body["intro"] == intro
    assert [row["status"] for s in report.body["sections"] for row in s["rows"]] == ["ยังไม่ดำเนินการ"]


def test_a_measure_without_a_result_in_the_round_prints_empty_cells_and_not_started(year):
    assessment, round_ = year
    make_measure(assessment, title="มาตรการที่ยังไม่รายงาน", steps=0)
    rows = _o35(assessment, round_, grouping="list").body["sections"][0]["rows"]
    row = next(r for r in rows if r["title"] == "มาตรการที่ยังไม่รายงาน")
    assert (row["output"], row["outcome"], row["evidence"], row["status"]) == ("", "", [], "ยังไม่ดำเนินการ")
