"""PDFs: exact Thai text layer, page furniture, metadata, determinism; PNG artefacts for a person."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reports import pdf_text
from reports.data import ReportOptions, build
from reports.render import html_to_pdf, render_pdf
from tests.conftest import require_tool
from tests.reports.conftest import ANALYSIS, CHECK_DESC, LINK, OUTCOME, OUTPUT, STEP1, STEP2, TITLE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pdftotext():
    require_tool("pdftotext", install="apt-get install poppler-utils")


ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "reports"
MODES = [[], ["-raw"], ["-layout"]]
TITLE_LINE = "องค์การบริหารส่วนตำบลระเว อำเภอพิบูลมังสาหาร จังหวัดอุบลราชธานี"
# Words the issue names, and every kind of value a user types.
WORDS = ["ดำเนินการ", "ขั้นตอน", "ผู้รับผิดชอบ", "ที่ได้", "น้ำ", "E-Service"]


def pdftotext(pdf: bytes, mode, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", *mode, str(path), "-"], capture_output=True, text=True, check=True).stdout


def inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams hold the catalog) inflated."""
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


def folded(text):
    return re.sub(r"\s+", "", text)


def pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def keep_png(pdf: bytes, name: str, tmp_path, page=1):
    if not shutil.which("pdftoppm"):
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(ARTIFACTS / name),
        ],
        check=True,
    )


def _pdf(kind, report_year, **opts):
    return render_pdf(build(kind, report_year[0], ReportOptions(**opts)))


@pytest.mark.parametrize(("kind", "low", "high"), [("o34", 4, 14), ("o35", 1, 4), ("oit", 10, 26)])
def test_each_kind_is_a_pdf_of_plausible_length(report_year, tmp_path, kind, low, high):
    pdf = _pdf(kind, report_year, round_id=report_year[2][1].id)
    assert pdf.startswith(b"%PDF-")
    assert low <= pages(pdf, tmp_path) <= high
    keep_png(pdf, f"{kind}-page1", tmp_path)
    if kind == "o34":
        keep_png(pdf, "o34-measures", tmp_path, page=pages(pdf, tmp_path))


@pytest.mark.parametrize("mode", MODES, ids=["default", "raw", "layout"])
def test_o35_text_layer_gives_back_every_value(report_year, tmp_path, mode):
    pdf = _pdf("o35", report_year, round_id=report_year[2][1].id)
    text = folded(pdftotext(pdf, mode, tmp_path))
    values = [
        OUTPUT,
        OUTCOME,
        STEP1,
        STEP2,
        "สำนักปลัด",
        "กองคลัง",
        "๑ ต.ค. ๖๗",
        "๓๐ ก.ย. ๖๘",
        TITLE_LINE,
    ]
    if mode == ["-raw"]:
        # Values that wrap inside a table cell: the default and -layout modes rebuild lines across
        # neighbouring cells that share a baseline and interleave them; -raw reads content order.
        # A free-text period wraps inside its cell now (it used to overprint the next column).
        values += [TITLE, LINK, "ตลอดปีงบประมาณ"]
    for value in values + WORDS:
        assert folded(value) in text, value


@pytest.mark.parametrize("mode", MODES, ids=["default", "raw", "layout"])
def test_o34_text_layer_gives_back_every_value(report_year, tmp_path, mode):
    pdf = _pdf("o34", report_year)
    text = folded(pdftotext(pdf, mode, tmp_path))
    values = [STEP1, STEP2, "๑ ตุลาคม ๒๕๖๗", "๓๐ กันยายน ๒๕๖๘", "รายงานประจำปี", "ปรับปรุงทุกไตรมาส", "บุคลากรด้านไอทีมีน้อย"]
    if mode == ["-raw"]:
        values += [
            TITLE,
            "ข้อคำถาม o9 ยังไม่ได้เผยแพร่",
            "ข้อ e9 ท่านเคยใช้งานระบบการให้บริการออนไลน์ (E-Service) ของหน่วยงานหรือไม่",
        ]
    for value in values + WORDS:
        assert folded(value) in text, value
    assert "<b>" not in text and "<p>" not in text and "&lt;" not in text  # never raw or escaped markup
    # The analysis is rich text: its words (the bold part too) are printed, its tags are not.
    assert folded(re.sub(r"<[^>]+>", "", ANALYSIS)) in text


@pytest.mark.parametrize("mode", MODES, ids=["default", "raw", "layout"])
def test_oit_text_layer_gives_back_every_value(report_year, tmp_path, mode):
    text = folded(pdftotext(_pdf("oit", report_year), mode, tmp_path))
    for value in [CHECK_DESC, "☑", "☐", "ยังไม่ได้ดำเนินการ", "ข้อมูลผู้บริหาร", "No Gift Policy", "สำนักปลัด"] + WORDS[:4]:
        assert folded(value) in text, value


def test_page_numbers_top_centre_in_the_chosen_digits(report_year, tmp_path):
    # -raw: the default mode reads a line-final "-" as a soft hyphen and joins the next line.
    thai = pdftotext(_pdf("oit", report_year, digits="thai"), ["-raw"], tmp_path)
    assert "- ๒ -" in thai and "- ๑ -" not in thai  # no number on the first page
    arabic = pdftotext(_pdf("oit", report_year, digits="arabic"), ["-raw"], tmp_path)
    assert "- 2 -" in arabic and "o1" in arabic


def test_metadata_title_author_language(report_year, tmp_path):
    path = tmp_path / "m.pdf"
    pdf = _pdf("o35", report_year)
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรม" in info
    assert "Author:          องค์การบริหารส่วนตำบลระเว" in info
    assert b"/Lang (th)" in inflated(pdf)


def test_rendering_twice_gives_the_same_text(report_year, tmp_path):
    a = pdftotext(_pdf("o34", report_year), [], tmp_path)
    b = pdftotext(_pdf("o34", report_year), [], tmp_path)
    assert a == b


def test_archival_variant_is_pdf_a(report_year):
    pdf = render_pdf(build("o35", report_year[0], ReportOptions()), archival=True)
    xmp = inflated(pdf)
    assert b"pdfaid:part" in xmp and b"pdfaid:conformance" in xmp


def test_scripts_in_rich_text_never_reach_the_pdf(report_year, tmp_path):
    a = report_year[0]
    a.limitations = '<script>alert("x")</script><p onclick="y">ปลอดภัย</p><a href="javascript:z()">ลิงก์</a>'
    a.save()
    text = pdftotext(_pdf("o34", report_year), [], tmp_path)
    assert "ปลอดภัย" in text and "alert" not in text and "onclick" not in text


HARD = "การดำเนินการ น้ำใจ ค่ำ กำกับ ที่ได้ ผู้รับผิดชอบ ปั้น ญี่ปุ่น ฤๅ E-Service & No Gift Policy ๑ ต.ค. ๖๗"


def _simple_pdf(text):
    return html_to_pdf(f'<html lang="th"><body>{"".join(f"<p>{text}</p>" for _ in range(5))}</body></html>')


def test_override_fixes_sara_am_and_marks(tmp_path):
    assert pdf_text.installed() or pdf_text.install()
    fixed = pdftotext(_simple_pdf(HARD), [], tmp_path)
    assert folded(HARD) in folded(fixed)


def test_without_the_override_weasyprint_loses_sara_am(tmp_path):
    from reports.render import pdf_resources

    pdf_resources()
    pdf_text.uninstall()
    try:
        broken = pdftotext(_simple_pdf(HARD), [], tmp_path)
    finally:
        pdf_text.install()
    assert "การดำเนินการ" not in broken  # the bug this override exists for


def test_override_refuses_an_unknown_weasyprint_version(monkeypatch):
    import weasyprint

    pdf_text.uninstall()
    monkeypatch.setattr(weasyprint, "__version__", "99.0")
    try:
        assert pdf_text.install() is False
        assert not pdf_text.installed()
    finally:
        monkeypatch.undo()
        pdf_text.install()


def test_pdf_text_string_is_utf16_hex():
    assert pdf_text.pdf_text_string("ำ") == "<FEFF0E33>"
