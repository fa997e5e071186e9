"""Render report data to HTML (preview) and PDF (WeasyPrint), fonts and CSS loaded once."""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from . import pdf_text

CSS_PATH = Path(__file__).resolve().parent / "report.css"
FONTS = [
    ("TH Sarabun New", "normal", "normal", "THSarabunNew-webfont.ttf"),
    ("TH Sarabun New", "bold", "normal", "THSarabunNew_bold-webfont.ttf"),
    ("TH Sarabun New", "normal", "italic", "THSarabunNew_italic-webfont.ttf"),
    ("TH Sarabun New", "bold", "italic", "THSarabunNew_bolditalic-webfont.ttf"),
]
DEJAVU = settings.NODE_MODULES / "dejavu-fonts-ttf" / "ttf" / "DejaVuSans.ttf"
_THAI = "\u0e00-\u0e7f"
_INLINE = r"(?:b|strong|i|em|u|a)"


class FontsMissing(RuntimeError):
    pass


def font_face_css(for_pdf: bool) -> str:
    rules = []
    for family, weight, style, filename in FONTS:
        path = settings.FONT_DIR / filename
        url = path.as_uri() if for_pdf else f"{settings.STATIC_URL}vendor/fonts/{filename}"
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; src: url("{url}"); }}'
        )
    if for_pdf:
        rules.append(f'@font-face {{ font-family: "DejaVu Sans"; src: url("{DEJAVU.as_uri()}"); }}')
    return "\n".join(rules)


def report_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def thai_breaks(html: str) -> str:
    """Offer a line break where an inline tag meets Thai text (WeasyPrint #1614)."""
    html = re.sub(f"(?<=[{_THAI}])(<{_INLINE}\\b[^>]*>)", "\u200b\\1", html)
    return re.sub(f"(</{_INLINE}>)(?=[{_THAI}])", "\\1\u200b", html)


_TAG_SPLIT = re.compile(r"(<[^>]+>)")
_HYPHENATED = re.compile(r"(?<![\w/.:-])([A-Za-z0-9]+(?:-[A-Za-z0-9]+)+)(?![\w-])")


def keep_hyphenated_words(html: str) -> str:
    """Never break "E-Service" or "Walk-in" at the hyphen: text extractors would read the
    line-end hyphen as a soft hyphen and give back "EService"."""
    out, in_body = [], False
    for part in _TAG_SPLIT.split(html):
        if part.startswith("<"):
            if part.startswith("<body"):
                in_body = True
            out.append(part)
        elif in_body and "-" in part:
            out.append(_HYPHENATED.sub(r'<span class="nobr">\1</span>', part))
        else:
            out.append(part)
    return "".join(out)


def render_html(report, *, for_pdf: bool, preview: bool = False, bar: str = "") -> str:
    """The report as one HTML document; the PDF gets the shared stylesheet separately. A staff
    preview (not the published copy) says above the document when the year is unconfirmed; `bar` is
    the preview's approval bar (reports/views.py), above the report and never printed."""
    context = {
        "bar": bar,
        "r": report,
        "b": report.body,
        "for_pdf": for_pdf,
        "note": report.catalogue_note if preview and not for_pdf else "",
        "page_counter": "thai" if report.opts.digits == "thai" else "decimal",
        "inline_css": "" if for_pdf else font_face_css(False) + report_css(),
    }
    html = render_to_string(f"reports/{report.kind}.html", context)
    return keep_hyphenated_words(html) if for_pdf else html


@lru_cache(maxsize=1)
def pdf_resources():
    """Install the exact-text override, load fonts and parse the CSS once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    missing = [name for *_, name in FONTS if not (settings.FONT_DIR / name).exists()]
    if missing:
        raise FontsMissing(f"ไม่พบไฟล์ฟอนต์ {', '.join(missing)} ใน {settings.FONT_DIR} (รัน npm ci หรือ make setup)")
    pdf_text.install()
    font_config = FontConfiguration()
    css = CSS(string=font_face_css(True) + report_css(), font_config=font_config)
    return font_config, css


def html_to_pdf(html: str, *, archival: bool = False) -> bytes:
    from weasyprint import HTML

    font_config, css = pdf_resources()
    # Tagged (structure tree: headings, tables, rows, cells) so that screen readers and tag-aware
    # tools read a report cell by cell; published files are PDF/A-3a, the accessible level.
    options = {"pdf_variant": "pdf/a-3a"} if archival else {"pdf_tags": True}
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[css], font_config=font_config, **options
    )


def render_pdf(report, *, archival: bool = False) -> bytes:
    return html_to_pdf(render_html(report, for_pdf=True), archival=archival)
