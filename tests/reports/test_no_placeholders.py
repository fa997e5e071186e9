"""Issue #22: nothing printed is a placeholder.

ITA 2569 does not name O2, O6 and O7. No report (data, preview, PDF, Word, published HTML, open
data) prints the catalogue's "unknown" note: an item prints the title the organisation typed on
the reports page, or its code alone. A column no row fills is left out. Every report, approval and
publication of an unconfirmed year says so, beside the document and never inside the printed PDF.
"""

import io
import json
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from assessments.models import Question
from assessments.services import DomainError
from measures.models import ItemTitle, OitChecklistItem
from measures.services import save_item_titles
from reports.data import OIT_COLUMNS, ReportOptions, build, table_columns
from reports.docx_export import report_to_docx
from reports.opendata import document, to_csv
from reports.publication import publish
from reports.render import render_html, render_pdf
from tests.conftest import require_tool
from tests.factories import make_assessment, make_measure

pytestmark = pytest.mark.django_db

PLACEHOLDER = "ไม่ทราบชื่อ"  # the catalogue's note: "(ไม่ทราบชื่อรายการ: ไม่พบในแหล่งข้อมูลที่เข้าถึงได้)"
TYPED = "ข้อมูลผู้บริหารและแผนผังองค์กร"
NOTE = "ยังไม่ยืนยันจากคู่มือ ป.ป.ช."


@pytest.fixture
def year_2569(org_a):
    """Fiscal year 2570 on the ITA 2569 list, whose O2, O6, O7 no source names."""
    return make_assessment(org_a, year=2569, scores=False)


def _q(assessment, code):
    return Question.objects.get(ita_year=assessment.ita_year, code=code)


def _oit_rows(report):
    return {row["code"]: row for section in report.body["sections"] for row in section["rows"]}


def _o34_rows(report):
    return [row["text"] for issue in report.body["issues"] for row in issue["rows"]]


def _pdf_text(pdf: bytes, tmp_path) -> str:
    require_tool("pdftotext", install="apt-get install poppler-utils")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _docx_text(report) -> str:
    doc = Document(io.BytesIO(report_to_docx(report)))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    # as a reader sees it: without the U+200B (may wrap) and U+2060 (keep together) the export adds
    return "\n".join([p.text for p in doc.paragraphs] + cells).replace("\u200b", "").replace("\u2060", "")


# --- the catalogue says which titles it does not know -----------------------------------------


def test_the_2569_items_without_a_source_are_the_ones_whose_title_is_unknown(year_2569):
    unknown = Question.objects.filter(ita_year=year_2569.ita_year, instrument="OIT")
    assert sorted(q.code for q in unknown if not q.title_known) == ["O2", "O6", "O7"]


# --- report data --------------------------------------------------------------------------------


def test_oit_data_prints_no_placeholder_and_the_code_alone_where_no_title_is_typed(year_2569):
    report = build("oit", year_2569, ReportOptions())
    rows = _oit_rows(report)
    assert [rows[code]["title"] for code in ("O2", "O6", "O7")] == ["", "", ""]
    assert rows["O1"]["title"] == "โครงสร้าง หน้าที่และอำนาจ"  # known titles are printed as before
    assert PLACEHOLDER not in repr(report.body)


def test_o34_data_prints_the_code_alone_for_an_item_without_a_title(year_2569):
    report = build("o34", year_2569, ReportOptions())
    texts = _o34_rows(report)
    assert "ข้อ O2" in texts  # O2 sits in an issue through its lineage: its row is the code alone
    assert PLACEHOLDER not in repr(report.body)


def test_the_organisations_title_is_printed_in_o34_and_oit(year_2569):
    save_item_titles(year_2569, [(_q(year_2569, "O2"), f"  {TYPED}\n")])
    assert _oit_rows(build("oit", year_2569, ReportOptions()))["O2"]["title"] == TYPED
    assert f"ข้อ O2 {TYPED}" in _o34_rows(build("o34", year_2569, ReportOptions()))
    assert _oit_rows(build("oit", year_2569, ReportOptions()))["O6"]["title"] == ""


def test_a_typed_title_follows_the_digit_style_like_other_typed_text(year_2569):
    save_item_titles(year_2569, [(_q(year_2569, "O6"), "แผนปฏิบัติการ 2570")])
    rows = _oit_rows(build("oit", year_2569, ReportOptions(digits="thai_all")))
    assert rows["O6"]["title"] == "แผนปฏิบัติการ ๒๕๗๐"


def test_titles_cost_no_query_more(year_2569, django_assert_num_queries):
    save_item_titles(year_2569, [(_q(year_2569, "O2"), TYPED)])
    with django_assert_num_queries(3):  # as for a year whose titles are all known (test_report_data)
        build("oit", year_2569, ReportOptions())


# --- columns ------------------------------------------------------------------------------------


def test_oit_leaves_out_the_components_column_that_no_2569_item_fills(year_2569):
    keys = [c["key"] for c in build("oit", year_2569, ReportOptions()).body["columns"]]
    assert "components" not in keys and "unit" not in keys  # no components known, no unit assigned
    assert keys == ["code", "title", "progress"]


def test_oit_keeps_the_columns_a_row_fills(assessment_a):
    unit = assessment_a.organisation.units.first()
    OitChecklistItem.objects.create(assessment=assessment_a, question=_q(assessment_a, "o1"), unit=unit)
    columns = build("oit", assessment_a, ReportOptions()).body["columns"]
    assert [c["key"] for c in columns] == ["code", "title", "components", "unit", "progress"]
    assert [c["width"] for c in columns] == [7, 15, 38, 13, 27]


def test_a_left_out_columns_width_goes_to_the_growing_columns():
    columns = table_columns(OIT_COLUMNS, [{"components": [], "unit": "กองคลัง"}], grow=("title", "progress"))
    assert [(c["key"], c["width"]) for c in columns] == [
        ("code", 7),
        ("title", 34),
        ("unit", 13),
        ("progress", 46),
    ]
    assert sum(c["width"] for c in columns) == 100


# --- what is printed and published --------------------------------------------------------------


def test_pdfs_print_the_typed_title_and_no_placeholder_or_empty_column(year_2569, tmp_path):
    save_item_titles(year_2569, [(_q(year_2569, "O2"), TYPED)])
    make_measure(year_2569, questions=("O1",))
    oit = _pdf_text(render_pdf(build("oit", year_2569, ReportOptions())), tmp_path)
    o34 = _pdf_text(render_pdf(build("o34", year_2569, ReportOptions())), tmp_path)
    for text in (oit, o34):
        assert PLACEHOLDER not in text
        assert TYPED in text.replace("\n", "")
        assert NOTE not in text  # the printed document never carries the unconfirmed note
    assert "องค์ประกอบด้านข้อมูล" not in oit
    assert "O6" in oit and "O7" in oit  # the code alone


def test_the_oit_pdf_of_a_year_with_components_keeps_that_column(assessment_a, tmp_path):
    text = _pdf_text(render_pdf(build("oit", assessment_a, ReportOptions())), tmp_path)
    assert "องค์ประกอบด้านข้อมูล" in text


def test_word_prints_no_placeholder_and_no_empty_column(year_2569):
    save_item_titles(year_2569, [(_q(year_2569, "O7"), TYPED)])
    oit = Document(io.BytesIO(report_to_docx(build("oit", year_2569, ReportOptions()))))
    headers = [c.text.replace("\u200b", "") for c in oit.tables[0].rows[0].cells]  # U+200B: where Thai may wrap
    assert headers == ["ข้อ", "ข้อมูล", "ความก้าวหน้าผลการดำเนินการ"]
    widths = [col.width.cm for col in oit.tables[0].columns]
    section = oit.sections[0]
    usable = (section.page_width - section.left_margin - section.right_margin) / 360000  # EMU per cm
    assert abs(sum(widths) - usable) < 0.2  # the room of the left-out columns is given to the others
    for kind in ("oit", "o34"):
        text = _docx_text(build(kind, year_2569, ReportOptions()))
        assert PLACEHOLDER not in text and NOTE not in text
        assert TYPED in text


def test_the_preview_says_the_year_is_unconfirmed_and_the_published_copy_does_not(year_2569, manager_a):
    save_item_titles(year_2569, [(_q(year_2569, "O2"), TYPED)])
    report = build("oit", year_2569, ReportOptions())
    assert report.catalogue_note.startswith("รายการข้อประเมินของ ITA 2569 " + NOTE)
    preview = render_html(report, for_pdf=False, preview=True)
    assert NOTE in preview and PLACEHOLDER not in preview
    assert NOTE not in render_html(report, for_pdf=False)  # the published report.html
    assert NOTE not in render_html(report, for_pdf=True)


def test_a_confirmed_year_carries_no_note(assessment_a):
    report = build("oit", assessment_a, ReportOptions())
    assert report.catalogue_note == ""
    assert NOTE not in render_html(report, for_pdf=False, preview=True)


def test_published_html_and_open_data_carry_no_placeholder(year_2569, manager_a):
    from measures.services import approve

    save_item_titles(year_2569, [(_q(year_2569, "O2"), TYPED)])
    OitChecklistItem.objects.create(assessment=year_2569, question=_q(year_2569, "O1"), status="done")
    approve(year_2569, "oit", manager_a)
    version = publish(year_2569, "oit", manager_a, ReportOptions())
    html = version.html.open("rb").read().decode()
    data = json.loads(version.json.open("rb").read())
    csv_text = version.csv.open("rb").read().decode("utf-8-sig")
    for text in (html, json.dumps(data, ensure_ascii=False), csv_text):
        assert PLACEHOLDER not in text
        assert TYPED in text
    assert NOTE not in html  # the published copy is the organisation's document
    page = Client().get(reverse("public_version", args=["org-a", 2570, "oit", 1])).content.decode()
    assert "รายการข้อประเมินของ ITA 2569 " + NOTE in page  # its public page says so, beside it
    titles = {item["code"]: item["title"] for item in data["items"]}
    assert titles["O2"] == TYPED and titles["O6"] == ""


def test_o34_open_data_has_no_placeholder(year_2569):
    import datetime

    doc = document("o34", year_2569, ReportOptions(), 1, datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))
    texts = {q["code"]: q["text"] for q in doc["results"]["questions"]}
    assert texts["O2"] == "" and PLACEHOLDER not in to_csv(doc).decode("utf-8-sig")


# --- the reports page: say so before printing, let the organisation type the title --------------


def _index(client, assessment):
    url = reverse("report_index", args=[assessment.organisation.slug, assessment.fiscal_year])
    return client.get(url).content.decode()


def _titles_url(assessment):
    return reverse("report_titles", args=[assessment.organisation.slug, assessment.fiscal_year])


def test_the_reports_page_lists_the_items_without_a_title_before_printing(staff_client, year_2569):
    page = _index(staff_client, year_2569)
    assert 'id="titles"' in page
    assert page.index('id="titles"') < page.index("ดูตัวอย่าง (HTML)")
    for code in ("O2", "O6", "O7"):
        assert f'name="title_{code}"' in page
    assert 'name="title_O1"' not in page
    assert "รายงานจะพิมพ์เฉพาะข้อ O2 ไม่มีชื่อรายการ" in page


def test_the_reports_page_of_a_year_with_every_title_known_asks_nothing(staff_client, assessment_a):
    assert 'id="titles"' not in _index(staff_client, assessment_a)


def test_staff_types_a_title_and_it_is_kept_with_the_fiscal_year(staff_client, year_2569):
    response = staff_client.post(_titles_url(year_2569), {"title_O2": TYPED, "title_O6": "", "title_O7": ""})
    assert response.status_code == 302
    assert dict(ItemTitle.objects.filter(assessment=year_2569).values_list("question__code", "title")) == {"O2": TYPED}
    assert f'value="{TYPED}"' in _index(staff_client, year_2569)
    staff_client.post(_titles_url(year_2569), {"title_O2": "", "title_O6": "", "title_O7": ""})
    assert not ItemTitle.objects.filter(assessment=year_2569).exists()  # blank: back to the code alone


def test_a_too_long_title_saves_nothing_and_keeps_what_was_typed(staff_client, year_2569):
    response = staff_client.post(_titles_url(year_2569), {"title_O2": TYPED, "title_O6": "ก" * 301})
    page = response.content.decode()
    assert response.status_code == 200
    assert "ชื่อรายการยาวเกิน 300 ตัวอักษร" in page
    assert f'value="{TYPED}"' in page  # the form keeps what the user typed
    assert not ItemTitle.objects.exists()


def test_staff_of_another_organisation_cannot_set_titles(other_staff_client, year_2569):
    response = other_staff_client.post(_titles_url(year_2569), {"title_O2": TYPED})
    assert response.status_code == 404
    assert not ItemTitle.objects.exists()


def test_an_auditor_cannot_set_titles(auditor_client, year_2569):
    response = auditor_client.post(_titles_url(year_2569), {"title_O2": TYPED})
    assert response.status_code == 403
    assert not ItemTitle.objects.exists()


def test_the_service_refuses_a_title_for_an_item_the_catalogue_names(year_2569, assessment_a):
    with pytest.raises(DomainError, match="มีชื่อรายการในแค็ตตาล็อกแล้ว"):
        save_item_titles(year_2569, [(_q(year_2569, "O1"), TYPED)])
    with pytest.raises(DomainError, match="ไม่ใช่รายการ OIT ของปีนี้"):
        save_item_titles(assessment_a, [(_q(year_2569, "O2"), TYPED)])
    assert not ItemTitle.objects.exists()


def test_a_typed_title_after_approval_shows_as_a_change_in_the_audit_trail(manager_client, year_2569):
    save_item_titles(year_2569, [(_q(year_2569, "O2"), TYPED)])
    url = reverse("audit_trail", args=[year_2569.organisation.slug, year_2569.fiscal_year])
    assert TYPED in manager_client.get(url).content.decode()


# --- the OIT checklist page ---------------------------------------------------------------------


def test_the_checklist_groups_2569_items_by_indicator_with_no_empty_sub_indicator_heading(staff_client, year_2569):
    url = reverse("checklist", args=[year_2569.organisation.slug, year_2569.fiscal_year])
    page = staff_client.get(url).content.decode()
    assert "ตัวชี้วัดย่อยที่" not in page  # 2569 has no known sub-indicators
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล" in page and "ตัวชี้วัดที่ 10 การป้องกันการทุจริต" in page
    assert "ไม่พบในแหล่งข้อมูลที่เข้าถึงได้" not in page  # not the catalogue's note: the page says it plainly
    assert "ยังไม่ทราบชื่อรายการ" in page


def test_the_checklist_keeps_sub_indicator_headings_where_known(staff_client, assessment_a):
    url = reverse("checklist", args=[assessment_a.organisation.slug, assessment_a.fiscal_year])
    assert "ตัวชี้วัดย่อยที่ 9.1 " in staff_client.get(url).content.decode()


# --- the unconfirmed year: every report, approval and publication says so ----------------------


def test_the_reports_page_says_the_year_is_unconfirmed_beside_each_report(staff_client, year_2569):
    page = _index(staff_client, year_2569)
    assert page.count("รายการข้อประเมินของ ITA 2569 " + NOTE) >= 3  # o34, o35, OIT


def test_a_confirmed_years_reports_page_has_no_such_note(staff_client, assessment_a):
    assert NOTE not in _index(staff_client, assessment_a)


def test_the_preview_page_says_so(staff_client, year_2569):
    url = reverse("report_preview", args=[year_2569.organisation.slug, year_2569.fiscal_year, "oit"])
    page = staff_client.get(url).content.decode()
    assert NOTE in page and PLACEHOLDER not in page


def test_approving_an_unconfirmed_year_says_so(manager_client, year_2569):
    from tests.factories import approve_as_seen

    OitChecklistItem.objects.create(assessment=year_2569, question=_q(year_2569, "O1"), status="done")
    # the manager approves from the preview, whose checklist and note say the year is unconfirmed
    url = reverse("report_preview", args=[year_2569.organisation.slug, year_2569.fiscal_year, "oit"])
    assert NOTE in manager_client.get(url).content.decode()
    response = approve_as_seen(manager_client, year_2569, "oit")
    assert response.status_code == 302
    assert NOTE in manager_client.get(response["Location"]).content.decode()


def test_publishing_an_unconfirmed_year_says_so(manager_client, manager_a, year_2569):
    from measures.services import approve

    OitChecklistItem.objects.create(assessment=year_2569, question=_q(year_2569, "O1"), status="done")
    approve(year_2569, "oit", manager_a)
    assert "ฉบับที่เผยแพร่แล้วจะแก้ไขไม่ได้ (รายการข้อประเมินของ ITA 2569" in _index(manager_client, year_2569)
    url = reverse("report_publish", args=[year_2569.organisation.slug, year_2569.fiscal_year, "oit"])
    response = manager_client.post(url, {"digits": "thai"}, follow=True)
    assert "เผยแพร่" in response.content.decode() and NOTE in response.content.decode()


# --- kept with the fiscal year: the dossier carries the titles ----------------------------------


def test_a_dossier_carries_the_typed_titles_there_and_back(year_2569):
    from measures.dossier import export_dossier, import_dossier

    save_item_titles(year_2569, [(_q(year_2569, "O2"), TYPED)])
    data = export_dossier(year_2569.organisation, year_2569.fiscal_year)
    assert data["item_titles"] == [{"question": "O2", "title": TYPED}]
    ItemTitle.objects.all().delete()
    import_dossier(json.dumps(data, ensure_ascii=False))
    assert list(ItemTitle.objects.values_list("question__code", "title")) == [("O2", TYPED)]


def test_a_dossier_without_typed_titles_has_no_such_key_and_a_named_item_is_refused(year_2569):
    from measures.dossier import DossierError, export_dossier, import_dossier

    data = export_dossier(year_2569.organisation, year_2569.fiscal_year)
    assert "item_titles" not in data  # older portals read it as before
    data["item_titles"] = [{"question": "O1", "title": TYPED}]
    with pytest.raises(DossierError, match=r"item_titles\[0\]\.question: ข้อ O1 มีชื่อรายการในแค็ตตาล็อกแล้ว"):
        import_dossier(json.dumps(data, ensure_ascii=False))


def test_starting_the_next_year_carries_a_typed_title_to_the_item_that_continues_it(year_2569, org_a):
    from measures.carryover import carry_over

    save_item_titles(year_2569, [(_q(year_2569, "O2"), TYPED)])
    make_measure(year_2569, questions=("O1",))
    next_year = make_assessment(org_a, year=2570, scores=False)
    result = carry_over(next_year)
    assert result.titles == 1
    assert _oit_rows(build("oit", next_year, ReportOptions()))["O2"]["title"] == TYPED
