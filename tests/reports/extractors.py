"""Text as six PDF readers extract it: poppler, PDFium, MuPDF, pdf.js, pdfminer.six and pypdf.

poppler, PDFium (Chrome, Edge) and MuPDF honour /ActualText; pdf.js (Firefox), pdfminer.six
(pdfplumber) and pypdf read only the ToUnicode map. Every function takes PDF bytes and returns
the text of all pages. ``missing()`` names the readers that are not installed.
"""

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PDFJS_SCRIPT = ROOT / "scripts" / "pdfjs_text.mjs"
PDFJS_MODULE = ROOT / "node_modules" / "pdfjs-dist" / "legacy" / "build" / "pdf.mjs"
EXTRACTORS = ("poppler", "pdfium", "mupdf", "pdfjs", "pdfminer", "pypdf")
# Readers that ignore /ActualText and so depend on the ToUnicode map alone.
TOUNICODE_ONLY = ("pdfjs", "pdfminer", "pypdf")


def missing():
    """The readers that cannot run here, with what to install."""
    absent = {}
    if not shutil.which("pdftotext"):
        absent["poppler"] = "poppler-utils (scripts/system-deps.sh)"
    for name, module in (("pdfium", "pypdfium2"), ("mupdf", "pymupdf"), ("pdfminer", "pdfminer"), ("pypdf", "pypdf")):
        try:
            __import__(module)
        except ImportError:
            absent[name] = f"{module} (pip install -r requirements.txt)"
    if not shutil.which("node") or not PDFJS_MODULE.exists():
        absent["pdfjs"] = "node and pdfjs-dist (npm ci)"
    return absent


def poppler(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-raw", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def pdfium(pdf: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\f".join(texts)
    finally:
        document.close()


def mupdf(pdf: bytes) -> str:
    import pymupdf

    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        return "\f".join(page.get_text() for page in document)


def pdfminer(pdf: bytes, layout=True) -> str:
    """pdfminer.six's ``extract_text``; ``layout=False``: characters in content order, no layout analysis
    (which groups the lines of neighbouring table cells into one box and interleaves them)."""
    if layout:
        from pdfminer.high_level import extract_text

        return extract_text(io.BytesIO(pdf))
    from pdfminer.converter import TextConverter
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    output, resources = io.StringIO(), PDFResourceManager()
    with TextConverter(resources, output, laparams=None) as device:
        interpreter = PDFPageInterpreter(resources, device)
        for page in PDFPage.get_pages(io.BytesIO(pdf)):
            interpreter.process_page(page)
    return output.getvalue()


def pypdf(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\f".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdfjs_many(pdfs):
    """pdf.js text of several PDFs with one node process (node starts in ~0.3 s)."""
    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for number, pdf in enumerate(pdfs):
            path = Path(directory) / f"{number}.pdf"
            path.write_bytes(pdf)
            paths.append(str(path))
        output = subprocess.run(
            ["node", str(PDFJS_SCRIPT), *paths],
            capture_output=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "NODE_NO_WARNINGS": "1"},
        ).stdout.decode()
    return output.split("\0")


def pdfjs(pdf: bytes) -> str:
    return pdfjs_many([pdf])[0]


def extract_all(pdfs, names=EXTRACTORS):
    """{name: [text of each pdf]} for every reader in ``names``."""
    results = {}
    for name in names:
        if name == "pdfjs":
            results[name] = pdfjs_many(pdfs)
        else:
            results[name] = [globals()[name](pdf) for pdf in pdfs]
    return results


def private_use(text: str) -> int:
    return sum(1 for char in text if 0xE000 <= ord(char) <= 0xF8FF)
