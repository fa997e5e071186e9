"""Reports of any length look like an officer made them: no word printed over another, the table
header on every page a table continues to, no page ending with a heading, the signature whole.
Measured with `pdftotext -bbox` on data shaped like real reports."""

import datetime

import pytest

from reports.data import ReportOptions, build
from reports.render import render_pdf
from tests.conftest import require_tool
from tests.reports.pdf_layout import overlaps, pages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pdftotext():
    require_tool("pdftotext", install="apt-get install poppler-utils")


def _pages(kind, assessment, tmp_path, **opts):
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(render_pdf(build(kind, assessment, ReportOptions(report_date=datetime.date(2025, 9, 30), **opts))))
    return pages(path)


@pytest.mark.parametrize("kind", ["o34", "o35", "oit"])
@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_no_word_is_printed_over_another(real_shaped, tmp_path, kind, digits):
    for number, words in enumerate(_pages(kind, real_shaped, tmp_path, digits=digits), start=1):
        clashes = overlaps(words)
        assert not clashes, f"page {number}: " + "; ".join(f"{a.text} × {b.text}" for a, b in clashes[:5])


def test_the_table_header_is_on_every_page_the_measures_table_continues_to(real_shaped, tmp_path):
    o35 = _pages("o35", real_shaped, tmp_path)
    assert len(o35) > 1
    for number, words in enumerate(o35, start=1):
        text = "".join(w.text for w in words)
        if "ขั้นตอนที่" in text or "มาตรการที่" in text:
            # Header cells wrap over lines; words in reading order may interleave with a tall row's.
            header = {"ผู้รับผิดชอบ", "ผลลัพธ์/ผล", "สัมฤทธิ์"}
            assert header <= {w.text for w in words}, f"page {number} continues the table without its header"


def test_no_page_ends_with_a_heading_and_the_signature_is_whole(real_shaped, tmp_path):
    for kind in ("o34", "o35"):
        doc = _pages(kind, real_shaped, tmp_path)
        for number, words in enumerate(doc, start=1):
            body = [w for w in words if w.y0 > 60]  # leave out the page number at the top
            if not body:
                continue
            last_line = [w.text for w in body if abs(w.y1 - max(x.y1 for x in body)) < 2]
            assert not "".join(last_line).startswith("ประเด็นที่"), f"{kind} page {number} ends with a heading"
        signing = [n for n, words in enumerate(doc) if any(w.text.startswith("ลงชื่อ") for w in words)]
        dated = [n for n, words in enumerate(doc) if any(w.text == "วันที่" for w in words)]
        assert len(set(signing)) == 1 and dated[-1] == signing[0], f"{kind}: the signature block is split"


@pytest.mark.parametrize("archival", [False, True])
def test_pdfs_are_tagged_with_tables_and_cells(real_shaped, archival):
    import io

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(render_pdf(build("o35", real_shaped, ReportOptions()), archival=archival)))
    roles = set()

    def walk(node, depth=0):
        if depth > 60 or not isinstance(node, pikepdf.Dictionary):
            return
        if "/S" in node:
            roles.add(str(node.S))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid, depth + 1)

    walk(pdf.Root.StructTreeRoot)
    assert {"/Table", "/TR", "/TH", "/TD"} <= roles
    assert bool(pdf.Root.MarkInfo.Marked)


@pytest.mark.parametrize("kind", ["o34", "o35"])
def test_a_plain_list_with_a_number_column_and_thai_typed_digits_never_overprints(real_shaped, tmp_path, kind):
    doc = _pages(kind, real_shaped, tmp_path, grouping="list", number_column=True, digits="thai_all")
    for number, words in enumerate(doc, start=1):
        clashes = overlaps(words)
        assert not clashes, f"page {number}: " + "; ".join(f"{a.text} × {b.text}" for a, b in clashes[:5])
    texts = {w.text for words in doc for w in words}
    assert "ลำดับ" in texts
    if kind == "o35":
        assert not any(t.startswith("ประเด็นที่") for t in texts)  # no issue headings in a plain list
