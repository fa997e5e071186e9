"""Exact text in every PDF reader: poppler, PDFium (Chrome, Edge), MuPDF, pdf.js (Firefox),
pdfminer.six (pdfplumber) and pypdf, on the demo organisation's reports and a multi-script sample;
pages pixel-identical to stock WeasyPrint. See docs/pdf-text-layer.md.

The readers are test dependencies (requirements.txt, package.json, scripts/system-deps.sh). Without
them these tests skip, except under CI=true, where a missing reader is a failure.
"""

import datetime
import glob
import hashlib
import html
import os
import re
import subprocess
import tempfile

import pytest
from django.core.management import call_command

from assessments.models import Assessment
from reports import pdf_text
from reports.data import ReportOptions, build
from reports.render import html_to_pdf, pdf_resources, render_pdf
from tests.reports import extractors
from tests.reports.extractors import EXTRACTORS, ROOT, private_use

pytestmark = pytest.mark.django_db

SARABUN = ROOT / "node_modules" / "font-th-sarabun-new" / "fonts" / "THSarabunNew-webfont.ttf"
TEST_FONTS = ROOT / ".test-fonts"  # filled by scripts/system-deps.sh from Debian's fonts-noto-core
NOTO = {
    "Noto Sans Thai": "NotoSansThai-Regular.ttf",
    "Noto Sans": "NotoSans-Regular.ttf",
    "Noto Sans Devanagari": "NotoSansDevanagari-Regular.ttf",
    "Noto Naskh Arabic": "NotoNaskhArabic-Regular.ttf",
}
# Printed fields of the report data that a user typed or the catalogue holds.
FIELDS = {"title", "text", "output", "outcome", "description", "analysis", "improvement", "unit", "units", "heading"}

THAI = (
    "ได้ดำเนินการ น้ำ การดำเนินการ ผู้รับผิดชอบ ที่ได้ ปั้น ป่า ฝั่ง ฟ้า ปิ่น กำลัง ทำให้ ค่ำ ตั้ง ปี่ ฟื้นฟู อำเภอ ซ้ำ ป้ำ จำ ต้อง ญี่ปุ่น ฤๅษี กำกับ น้ำใจ"
)
LATIN = "office fluffy affine waffle efficient"
DEVANAGARI = "हिन्दी क्षत्रिय विद्यालय"
ARABIC = "مرحبا بالعالم لا إله"


def required():
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="module")
def readers():
    absent = extractors.missing()
    fonts = [name for name in NOTO.values() if not (TEST_FONTS / name).exists()]
    if fonts:
        absent["fonts"] = f"{', '.join(fonts)} in .test-fonts (scripts/system-deps.sh)"
    if absent:
        message = "PDF readers missing: " + "; ".join(f"{k}: {v}" for k, v in absent.items())
        if required():
            pytest.fail(message)
        pytest.skip(message)


def folded(text):
    return re.sub(r"\s+", "", text)


def unbroken(text):
    """The text with line breaks removed (a value may wrap) and other white space made single."""
    return re.sub(r"[ \t\u00a0]+", " ", re.sub(r"\s*[\r\n\f]+\s*", "", text))


def contains(text, value):
    """``value`` (folded) is in ``text`` (folded), whole or cut once where a table row breaks across
    pages (the page number and the repeated table header come between its two parts)."""
    value = folded(value)
    return value in text or any(value[:i] in text and value[i:] in text for i in range(4, len(value) - 3))


def words_of(values):
    return sorted({w for v in values for w in v.split() if re.search("[\u0e00-\u0e7f]", w)})


def field_values(node, key=None):
    """Every printed field value of a report body (markup removed)."""
    if isinstance(node, dict):
        return [v for k, child in node.items() for v in field_values(child, k)]
    if isinstance(node, list | tuple):
        return [v for child in node for v in field_values(child, key)]
    if isinstance(node, str) and key in FIELDS and node.strip():
        return [t for t in (html.unescape(re.sub(r"<[^>]+>", " ", node)).split("\n")) if t.strip()]
    return []


def stock(render):
    """``render()`` with WeasyPrint's own text drawing (the override switched off in-process)."""
    pdf_resources()
    pdf_text.uninstall()
    try:
        return render()
    finally:
        pdf_text.install()


@pytest.fixture
def demo_reports(catalogue):
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    assessment = Assessment.objects.get(organisation__slug="don-kaeo", ita_year__year=2568)  # fiscal year 2569
    reports = {}
    for kind in ("o34", "o35", "oit"):
        report = build(kind, assessment, ReportOptions(report_date=datetime.date(2026, 9, 30)))
        reports[kind] = (report, render_pdf(report))
    return reports


def test_every_reader_gives_back_every_value_of_the_demo_reports(readers, demo_reports):
    pdfs = [pdf for _, pdf in demo_reports.values()]
    texts = extractors.extract_all(pdfs)
    # pdfminer's layout analysis interleaves the lines of neighbouring table cells (as pdftotext's
    # default mode does): values and words are checked in its content order.
    texts["pdfminer-content-order"] = [extractors.pdfminer(pdf, layout=False) for pdf in pdfs]
    for number, (kind, (report, _)) in enumerate(demo_reports.items()):
        values = field_values(report.body) + report.title_lines
        assert len(values) > 10, kind
        for name, all_texts in texts.items():
            text = folded(all_texts[number])
            assert private_use(text) == 0, (kind, name)
            if name != "pdfminer":
                assert not [w for w in words_of(values) if not contains(text, w)], (kind, name)
                assert not [v for v in values if not contains(text, v)], (kind, name)


@pytest.mark.parametrize("kind", ["o34", "o35", "oit"])
def test_every_reader_gives_back_every_value_of_a_report_shaped_like_real_ones(readers, real_shaped, kind):
    # 16-step measure, long unit names, free-text periods with Thai digits, long links.
    report = build(kind, real_shaped, ReportOptions(report_date=datetime.date(2025, 9, 30)))
    values = field_values(report.body) + report.title_lines
    assert len(values) > 10
    pdf = render_pdf(report)
    texts = extractors.extract_all([pdf])
    # A title cell wrapped beside a step's own cells: pdfminer's layout analysis interleaves their
    # lines (see above), so its words are checked in content order.
    texts["pdfminer-content-order"] = [extractors.pdfminer(pdf, layout=False)]
    for name, (text,) in texts.items():
        text = folded(text)
        assert private_use(text) == 0, name
        if name != "pdfminer":
            assert not [w for w in words_of(values) if not contains(text, w)], name
            assert not [v for v in values if not contains(text, v)], name


def sample_html(thai_font):
    faces = "".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(TEST_FONTS / file).as_uri()}"); }}'
        for family, file in NOTO.items()
    )
    faces += f'@font-face {{ font-family: "Sarabun"; src: url("{SARABUN.as_uri()}"); }}'
    return (
        f"<html><head><style>{faces} body {{ font-size: 16pt; }}</style></head><body>"
        f"<p style=\"font-family: '{thai_font}'\">{THAI}</p>"
        f"<p style=\"font-family: 'Noto Sans'\">{LATIN}</p>"
        f'<p style="font-family: \'Noto Sans Devanagari\'" lang="hi">{DEVANAGARI}</p>'
        f'<p style="font-family: \'Noto Naskh Arabic\'" dir="rtl" lang="ar">{ARABIC}</p>'
        "</body></html>"
    )


def found(words, text):
    return sum(1 for w in words if w in unbroken(text))


# Noto Sans Thai places its marks with GPOS offsets (left of the pen, raised): poppler, PDFium,
# pdfminer and pdf.js then split or reorder some words by position, whatever the ToUnicode map says.
GPOS_MARKS_EXACT = {"Sarabun": EXTRACTORS, "Noto Sans Thai": ("mupdf", "pypdf")}


@pytest.mark.parametrize("thai_font", ["Sarabun", "Noto Sans Thai"])
def test_multi_script_sample_thai_and_latin_exact_others_no_worse_than_stock(readers, thai_font):
    source = sample_html(thai_font)
    ours = html_to_pdf(source)
    theirs = stock(lambda: html_to_pdf(source))
    texts = extractors.extract_all([ours, theirs])
    thai = THAI.split()
    for name in EXTRACTORS:
        text, stock_text = texts[name]
        assert private_use(text) == 0, name
        assert [w for w in LATIN.split() if w not in unbroken(text)] == [], name
        if name in GPOS_MARKS_EXACT[thai_font]:
            assert [w for w in thai if w not in unbroken(text)] == [], name
        assert found(thai, text) > found(thai, stock_text), name
        for script in (DEVANAGARI, ARABIC):
            assert found(script.split(), text) >= found(script.split(), stock_text), (name, script)


def ppm_pages(pdf):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "r.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf)
        subprocess.run(["pdftoppm", "-r", "72", path, os.path.join(directory, "p")], check=True)
        return [hashlib.sha256(open(p, "rb").read()).hexdigest() for p in sorted(glob.glob(f"{directory}/p-*.ppm"))]


def test_pages_are_pixel_identical_to_stock_weasyprint(readers, demo_reports):
    report, ours = demo_reports["o35"]
    theirs = stock(lambda: render_pdf(report))
    assert ours != theirs  # the text layers differ...
    assert ppm_pages(ours) == ppm_pages(theirs)  # ...the pages do not
    sample = sample_html("Noto Sans Thai")
    assert ppm_pages(html_to_pdf(sample)) == ppm_pages(stock(lambda: html_to_pdf(sample)))


# Units: the pieces the readers' results rest on.


def test_a_cluster_text_is_split_over_its_glyphs_in_order():
    # ำ after a tone mark: NIKHAHIT, MAI THO, SARA AA; the NIKHAHIT (no advance) is silent.
    assert pdf_text.assign(["\u0e4d", "\u0e49", "\u0e32"], [True, True, False], "\u0e49\u0e33") == [
        "",
        "\u0e49",
        "\u0e33",
    ]
    # A positional variant without a readable name takes its character from the cluster.
    assert pdf_text.assign(["ป", None], [False, True], "ป\u0e49") == ["ป", "\u0e49"]
    # A ligature glyph stands for the whole cluster.
    assert pdf_text.assign(["ffi"], [False], "ffi") == ["ffi"]
    # A reordered vowel sign: the glyphs still spell the text in the order they are drawn.
    assert "".join(pdf_text.assign(["ि", "क"], [False, False], "कि")) == "कि"


def test_private_use_and_compatibility_forms_are_never_a_glyphs_text():
    assert pdf_text._readable("\uf70b") is None
    assert pdf_text._readable("\ufb01") == "fi"
    assert pdf_text._readable("\ufee0") == "ل"
    assert pdf_text._readable("\u2f00") == "一"
    assert pdf_text._readable("\u0e33") == "\u0e33"  # not split into NIKHAHIT + SARA AA


def test_silent_codes_are_invisible_format_characters():
    import unicodedata

    assert pdf_text.SILENT_CODES and all(unicodedata.category(chr(c)) == "Cf" for c in pdf_text.SILENT_CODES)


def test_the_glyph_table_cache_is_bounded_and_keyed_by_font_identity_not_bytes():
    data = SARABUN.read_bytes()
    tables = pdf_text._FontTables(size=2)
    table = tables.get(data, 0)
    assert table[3] == " " and all(not private_use(t) for t in table.values())
    key = tables.key(data, 0)
    assert len(repr(key)) < 200 and data not in key
    assert tables.get(data, 0) is table  # cached
    for name in ("NotoSansThai-Regular.ttf", "NotoSans-Regular.ttf"):
        if (TEST_FONTS / name).exists():
            tables.get((TEST_FONTS / name).read_bytes(), 0)
    assert len(tables) <= 2


def test_extra_codes_point_at_their_glyphs():
    class Font:
        glyph_count = 4

    assert pdf_text.cid_to_gid_map(Font, {6: 2}) == bytes([0, 0, 0, 1, 0, 2, 0, 3, 0, 0, 0, 0, 0, 2])
    # Only the codes drawn need an entry; the others stay 0 (a stream of zeros compresses to nothing).
    assert pdf_text.cid_to_gid_map(Font, {6: 2}, used={1, 6}) == bytes([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2])
