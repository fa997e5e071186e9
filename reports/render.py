"""Render report data to HTML (preview) and PDF (WeasyPrint), fonts and CSS loaded once."""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from assessments.thai import ZWSP, break_opportunities

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


_URL = re.compile(r"(?:https?://|www\.)[^\s<]+")
_URL_BREAK = re.compile(r"(?<=[/._=?-])(?=[^/\s])")


def _url_breaks(match) -> str:
    """A long address may wrap after "/", ".", "_", "=", "?" or "-": nowhere else, and no
    character is added to its text (U+200B never reaches the text layer)."""
    return _URL_BREAK.sub(ZWSP, match.group(0))


_MONTHS = (
    "มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม"
    "|ม\\.ค\\.|ก\\.พ\\.|มี\\.ค\\.|เม\\.ย\\.|พ\\.ค\\.|มิ\\.ย\\.|ก\\.ค\\.|ส\\.ค\\.|ก\\.ย\\.|ต\\.ค\\.|พ\\.ย\\.|ธ\\.ค\\."
)
# A date typed as text ("๑ มี.ค. ๖๙", "ม.ค. 2568", "๑ ต.ค.", "พ.ศ. 2569") is printed on one line.
_D, _SEP = "[0-9\u0e50-\u0e59]", "[ \u00a0\u200b]?"
_TYPED_DATE = re.compile(
    f"(?<!{_D})(?:{_D}{{1,2}}{_SEP}(?:{_MONTHS})(?:{_SEP}{_D}{{2,4}})?|(?:{_MONTHS}){_SEP}(?:พ\\.ศ\\.{_SEP})?{_D}{{2,4}}"
    f"|พ\\.ศ\\.{_SEP}{_D}{{4}})(?!{_D})"
)


def _keep_dates(text: str) -> str:
    def keep(match):
        date = match.group(0).replace(ZWSP, "")
        # U+200B after it: a line may still break before a "/" or "–" that follows ("2567 / ม.ค.")
        return f'<span class="nobr">{date}</span>{ZWSP}' if " " in date or "\u00a0" in date else date

    return _TYPED_DATE.sub(keep, text)


def word_breaks(html: str) -> str:
    """Every text of the body with line-break opportunities between Thai words only (see
    assessments.thai.break_opportunities) and at the separators of addresses: with
    `overflow-wrap: normal` in report.css no line then breaks inside a word, a number or a code."""
    out, in_body = [], False
    for part in _TAG_SPLIT.split(html):
        if part.startswith("<"):
            in_body = in_body or part.startswith("<body")
            out.append(part)
        elif in_body and part.strip():
            text = _URL.sub(_url_breaks, part)
            text = break_opportunities(text) if not _URL.search(part) else _thai_outside_urls(text)
            out.append(_keep_dates(text))
        else:
            out.append(part)
    return "".join(out)


def _thai_outside_urls(text: str) -> str:
    pieces = _URL.split(text)
    links = _URL.findall(text)
    out = [break_opportunities(pieces[0])]
    for link, piece in zip(links, pieces[1:], strict=True):
        out += [link, break_opportunities(piece)]
    return "".join(out)


_ROW_OR_GROUP = re.compile(r"<(tbody|tr)\b")


def _number_rows(html: str) -> str:
    """Ids on table row groups and rows, by which the pagination pass names them."""
    counter = iter(range(1, 1_000_000))
    return _ROW_OR_GROUP.sub(lambda m: f'<{m.group(1)} id="pf{next(counter)}"', html)


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
    return _number_rows(word_breaks(keep_hyphenated_words(html))) if for_pdf else html


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


MAX_LAYOUT_PASSES = 4


def _page_boxes(page):
    """The boxes laid out on a page, in document order, without its margin boxes (page number)."""
    from weasyprint.formatting_structure.boxes import MarginBox

    for child in page._page_box.children:
        if not isinstance(child, MarginBox):
            yield from child.descendants()


def _first_body_row(page):
    from weasyprint.formatting_structure.boxes import TableRowBox, TableRowGroupBox

    group = None
    for box in _page_boxes(page):
        if isinstance(box, TableRowGroupBox):
            group = box
        elif isinstance(box, TableRowBox) and group is not None and not group.is_header:
            return group, box
    return None, None


def _allow_split(page, split: set) -> bool:
    """Let what a page starts with, kept whole, split instead: the first measure (row group) kept
    whole, else the first row kept whole (never a one-line section heading)."""
    from weasyprint.formatting_structure.boxes import TableRowBox, TableRowGroupBox

    groups, rows, header = [], [], False
    for box in _page_boxes(page):
        if isinstance(box, TableRowGroupBox):
            header = box.is_header
        if header or box.element is None or box.style["break_inside"] not in ("avoid", "avoid-page"):
            continue
        box_id = box.element.get("id")
        if not box_id or box_id in split:
            continue
        if isinstance(box, TableRowGroupBox):
            groups.append(box_id)
        elif isinstance(box, TableRowBox) and "section" not in (box.element.get("class") or ""):
            rows.append(box_id)
    chosen = (groups or rows or [None])[0]
    if chosen:
        split.add(chosen)
    return chosen is not None


def _last_body_row(page):
    """The last table row of a page outside headers, and the id that moves it to the next page:
    its own, or its row group's when it is the group's first row (WeasyPrint 70 breaks before a
    group only by the group's own `break-before`)."""
    from weasyprint.formatting_structure.boxes import TableRowBox, TableRowGroupBox

    last, group, header = None, None, False
    for box in _page_boxes(page):
        if isinstance(box, TableRowGroupBox):
            group, header = box, box.is_header
        elif isinstance(box, TableRowBox) and not header and box.element is not None:
            last = (box, group)
    if last is None:
        return None, None
    row, group = last
    first = group is not None and group.children and group.children[0] is row and group.element is not None
    return row, (group.element.get("id") if first else row.element.get("id"))


def _fill(page) -> float:
    """How far down the page its text goes, as a part of the page's height."""
    from weasyprint.formatting_structure.boxes import LineBox

    bottom = max((b.position_y + b.height for b in _page_boxes(page) if isinstance(b, LineBox)), default=0)
    return bottom / page._page_box.margin_height()


def _alone_signatures(document):
    """The id of the last table row when the signature block begins a page without it."""
    from weasyprint.formatting_structure.boxes import TableRowBox

    if len(document.pages) < 2:
        return None
    for box in _page_boxes(document.pages[-1]):
        if isinstance(box, TableRowBox):
            return None
        if box.element is not None and "signatures" in (box.element.get("class") or "").split():
            break
    else:
        return None
    row, move_id = _last_body_row(document.pages[-2])
    if row is None:
        return None
    # Only when the page it leaves stays at least half full: an empty page is worse.
    left = _fill(document.pages[-2]) - row.margin_height() / document.pages[-2]._page_box.margin_height()
    return move_id if left >= 0.5 else None


SHORT_MEASURE = 0.4  # of a page's height: a measure up to this tall is never split


def _short_measures(document):
    """Ids of the measures (row groups of class "measure") short enough to move to the next page
    whole: all of them from the first layout at once, so that one pass settles them."""
    from weasyprint.formatting_structure.boxes import TableRowGroupBox

    heights = {}
    for page in document.pages:
        for box in _page_boxes(page):
            if isinstance(box, TableRowGroupBox) and box.element is not None:
                if "measure" in (box.element.get("class") or "").split():
                    heights[box.element.get("id")] = heights.get(box.element.get("id"), 0) + box.height
    page_height = document.pages[0]._page_box.height if document.pages else 0
    return {i for i, height in heights.items() if height <= SHORT_MEASURE * page_height}


def pagination_rules(document, shown: set, split: set, moved: set, kept: set) -> bool:
    """Look at a laid-out report and add what the next layout needs; True if anything was added.

    - A measure continued on a new page shows its title again with "(ต่อ)" on the first row there
      (`shown`: rows whose `.again` label is displayed).
    - No page but the last stays under half full: when the next page starts with a measure (or a
      row) kept whole by `break-inside: avoid`, that one may split instead (`split`).
    - The signature block never begins a page alone: the last row goes with it; a section
      heading never ends a page: it goes to the next with its first measure (`moved`).
    - A short measure never splits: it moves to the next page whole (`kept`).
    """
    changed = False
    for group_id in _short_measures(document) - kept - split:
        kept.add(group_id)
        changed = True
    row_id = _alone_signatures(document)
    if row_id and row_id not in moved:
        moved.add(row_id)
        changed = True
    pages = document.pages
    tops = set()
    for number, page in enumerate(pages):
        group, row = _first_body_row(page)
        if row is None:
            continue
        if number and row.element is not None and "cont" in (row.element.get("class") or "").split():
            tops.add(row.element.get("id"))
        if number and _fill(pages[number - 1]) < 0.5 and _allow_split(page, split):
            changed = True
        last, move_id = _last_body_row(page)
        heading = last is not None and "section" in (last.element.get("class") or "")
        if heading and number + 1 < len(pages) and move_id not in moved:
            moved.add(move_id)
            changed = True
    if tops != shown:  # exactly the rows that begin a page: a label left from a pass before goes
        shown.clear()
        shown.update(tops)
        changed = True
    return changed


def _extra_css(shown: set, split: set, moved: set, kept: set) -> str:
    rules = [f"#{i} .again {{ display: block; }}" for i in sorted(shown)]
    rules += [f"#{i} {{ break-inside: avoid; }}" for i in sorted(kept)]  # `split` below wins
    rules += [f"#{i} {{ break-before: page; }}" for i in sorted(moved)]
    rules += [f"#{i} {{ break-inside: auto; }}" for i in sorted(split)]
    return "\n".join(rules)


def html_to_pdf(html: str, *, archival: bool = False) -> bytes:
    from weasyprint import CSS, HTML

    font_config, css = pdf_resources()
    # Tagged (structure tree: headings, tables, rows, cells) so that screen readers and tag-aware
    # tools read a report cell by cell; published files are PDF/A-3a, the accessible level.
    options = {"pdf_variant": "pdf/a-3a"} if archival else {"pdf_tags": True}
    page = HTML(string=html, base_url=str(settings.BASE_DIR))
    shown, split, moved, kept = set(), set(), set(), set()
    stylesheets = [css]
    for last in range(MAX_LAYOUT_PASSES, -1, -1):
        document = page.render(stylesheets=stylesheets, font_config=font_config, **options)
        if not last or not pagination_rules(document, shown, split, moved, kept):
            break
        stylesheets = [css, CSS(string=_extra_css(shown, split, moved, kept), font_config=font_config)]
    return document.write_pdf(**options)


def render_pdf(report, *, archival: bool = False) -> bytes:
    return html_to_pdf(render_html(report, for_pdf=True), archival=archival)
