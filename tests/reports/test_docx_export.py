"""Every report as an editable Word document: fonts, orientation, merged cells, repeated headers,
digits; LibreOffice reads it back with every field value; Word out → Word in gives the same data."""

import io
import os
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from assessments.models import Assessment
from measures.models import Measure, OitChecklistItem, Progress
from measures.services import ensure_rounds
from measures.word_import import apply_plan, plan_import
from reports.data import ReportOptions, build
from reports.docx_export import report_to_docx, rich_lines
from tests.conftest import require_tool
from tests.factories import make_assessment, make_measure, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(assessment_a):
    rounds = ensure_rounds(assessment_a)
    for i in range(3):
        m = make_measure(
            assessment_a,
            title=f"มาตรการที่ {i + 1} ส่งเสริมความโปร่งใส",
            steps=3,
            units=("สำนักปลัด", "กองคลัง"),
            issues=(i + 1,),
        )
        Progress.objects.create(
            measure=m,
            round=rounds[-1],
            status="done",
            output=f"<p>ดำเนินการครบ {i + 1} &amp; เผยแพร่</p>",
            outcome=f"ประชาชนพึงพอใจ {i + 1}",
            evidence=f"https://example.go.th/m{i + 1}",
        )
    return assessment_a


def _last_round(assessment):
    """The round `filled` has results in (the 12-month one; the default is the first not published)."""
    return assessment.rounds.order_by("as_of").last().pk


def _doc(report):
    return Document(io.BytesIO(report_to_docx(report)))


def _plain(text):
    """The text as typed: without the U+200B that marks where Thai may wrap."""
    return text.replace("\u200b", "")


def test_fonts_page_and_margins(filled):
    doc = _doc(build("o34", filled, ReportOptions()))
    normal = doc.styles["Normal"].element.rPr
    fonts = normal.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:cs")) == "TH Sarabun New"
    assert normal.find(qn("w:szCs")).get(qn("w:val")) == "32"  # 16 pt for Thai (complex script)
    first = doc.sections[0]
    assert round(first.page_width.cm, 1) == 21.0 and round(first.left_margin.cm, 1) == 3.0
    assert round(first.right_margin.cm, 1) == 2.0


def test_o34_measures_are_on_a_landscape_section(filled):
    doc = _doc(build("o34", filled, ReportOptions()))
    orientations = [s.page_width > s.page_height for s in doc.sections]
    assert orientations == [False, True]


def test_measure_cell_is_merged_over_its_steps_and_headers_repeat(filled):
    doc = _doc(build("o35", filled, ReportOptions()))
    table = doc.tables[0]
    header = table.rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None
    merges = table._tbl.xpath(".//w:tc/w:tcPr/w:vMerge")
    restarts = [m for m in merges if m.get(qn("w:val")) == "restart"]
    assert len(restarts) >= 3  # each measure's title (and its own cells) written once
    title_cells = [r.cells[0]._tc for r in table.rows[2:5]]  # three step rows of the first measure
    assert all(tc is title_cells[0] for tc in title_cells)
    assert "มาตรการที่ 1" in _plain(table.rows[2].cells[0].text)


@pytest.mark.parametrize(("digits", "expected", "unexpected"), [("thai", "๑.", "1."), ("arabic", "1.", "๑.")])
def test_digits_as_chosen(filled, digits, expected, unexpected):
    doc = _doc(build("o35", filled, ReportOptions(digits=digits)))
    first_title = doc.tables[0].rows[2].cells[0].text
    assert first_title.startswith(expected) and not first_title.startswith(unexpected)


def test_signature_block_and_no_markup(filled):
    doc = _doc(build("o35", filled, ReportOptions(approver_name="นายสมชาย รักถิ่น", round_id=_last_round(filled))))
    text = _plain("\n".join(p.text for p in doc.paragraphs))
    cells = _plain("\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells))
    assert "(นายสมชาย รักถิ่น)" in text and "ลงชื่อ" in text
    assert "ดำเนินการครบ 1 & เผยแพร่" in cells
    assert "<p>" not in cells and "&amp;" not in cells


def test_rich_lines_keeps_paragraphs_and_list_items():
    assert rich_lines("<p>หนึ่ง</p><ul><li>ก</li><li>ข &amp; ค</li></ul>") == ["หนึ่ง", "• ก", "• ข & ค"]


def test_oit_report_has_a_table_per_sub_indicator(assessment_a):
    OitChecklistItem.objects.create(
        assessment=assessment_a,
        question=assessment_a.ita_year.questions.get(code="o1"),
        status="done",
        description="เผยแพร่แผนผังแล้ว",
    )
    doc = _doc(build("oit", assessment_a, ReportOptions()))
    assert len(doc.tables) == 7  # 9.1–9.5, 10.1, 10.2
    cells = _plain("\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells))
    assert "☑ ดำเนินการแล้ว" in cells.replace("ดำเนินการ\n", "ดำเนินการ") or "☑" in cells
    assert "เผยแพร่แผนผังแล้ว" in cells


def test_download_from_the_reports_page(manager_client, filled):
    response = manager_client.get(reverse("report_docx", args=["org-a", 2568, "o35"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('o35-org-a-2568.docx"')
    assert Document(io.BytesIO(response.content)).tables


def test_other_org_cannot_download(other_staff_client, filled):
    assert other_staff_client.get(reverse("report_docx", args=["org-a", 2568, "o35"])).status_code == 404


def test_export_then_import_gives_back_the_same_measures(filled):
    rounds = ensure_rounds(filled)
    raw = report_to_docx(build("o35", filled, ReportOptions(round_id=rounds[-1].id)))
    other = make_assessment(make_org("org-c"), year=2567, scores=False)
    target_rounds = ensure_rounds(other)
    plan = plan_import(raw, other)
    apply_plan(other, plan.to_dict(), target_rounds[-1])

    def snapshot(assessment):
        out = []
        for m in Measure.objects.filter(assessment=assessment).for_report():
            progress = m.progress.first()
            out.append(
                (
                    m.title,
                    [s.text for s in m.steps.order_by("order")],
                    (m.period_start, m.period_end, m.period_text),
                    sorted(u.name for u in m.units.all()),
                    sorted(i.number for i in m.issues.all()),
                    rich_lines(progress.output) if progress else [],
                    rich_lines(progress.outcome) if progress else [],
                    progress.evidence_links if progress else [],
                )
            )
        return out

    assert snapshot(other) == snapshot(filled)
    assert Assessment.objects.count() == 2


def test_libreoffice_reads_every_field_value(filled, tmp_path):
    require_tool("libreoffice", install="apt-get install libreoffice-writer-nogui")
    require_tool("pdftotext", install="apt-get install poppler-utils")
    raw = report_to_docx(
        build("o35", filled, ReportOptions(approver_name="นายสมชาย รักถิ่น", round_id=_last_round(filled)))
    )
    src = tmp_path / "o35.docx"
    src.write_bytes(raw)
    env = {**os.environ, "HOME": str(tmp_path)}  # a private LibreOffice profile per run
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        check=True,
        capture_output=True,
        timeout=120,
        env=env,
    )
    text = subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "o35.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = "".join(text.split())  # a cell's text wraps onto lines: compare without white space

    def found(value):
        return "".join(value.split()) in flat

    for m in Measure.objects.filter(assessment=filled):
        assert found(m.title)
        assert all(found(step.text) for step in m.steps.all())
    for value in ("สำนักปลัด", "กองคลัง", "ดำเนินการครบ 1 & เผยแพร่", "ประชาชนพึงพอใจ 3", "นายสมชาย รักถิ่น"):
        assert found(value), value
