"""Reports as editable Word documents, from the same report data as the PDF (reports.data).

TH Sarabun New 16 pt (named, not embedded: Word and LibreOffice use the copy installed on the
computer), A4, the PDF's orientation and margins per section, tables across the usable width with
columns wide enough for their longest unbreakable word, U+200B at Thai word boundaries (neither
LibreOffice nor every Word finds them itself), the measure cell merged over its step rows, header
rows repeated on every page, rows kept whole, the signature block kept with the last row.
"""

import html
import io
import re
from functools import lru_cache

from django.conf import settings
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from assessments.templatetags.thai import _KEEP_TOGETHER
from assessments.thai import ZWSP, break_opportunities

from .data import Report

FONT = "TH Sarabun New"
SIZE = 16
A4 = (Cm(21.0), Cm(29.7))
# The PDF's @page rules (templates/reports/base.html): portrait 3 cm left, landscape 2 cm all round
# but 2.5 cm at the top.
MARGINS = {
    False: {"left": Cm(3), "right": Cm(2), "top": Cm(2), "bottom": Cm(2)},
    True: {"left": Cm(2), "right": Cm(2), "top": Cm(2.5), "bottom": Cm(2)},
}
URL_SIZE = 13
SMALL = 14  # the PDF's .small: the OIT item's list of required components
ROW_SPLIT_SHARE = 0.5  # a row taller than half the page may break over it
CELL_PADDING_CM = 2 * 0.19 + 0.2  # Table Grid's 108-twip left and right cell margins, and some slack
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|tr)>|<br\s*/?>", re.IGNORECASE)
_LI = re.compile(r"<li[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def rich_lines(value: str) -> list[str]:
    """Sanitised rich text (analysis, outputs) as plain lines: paragraphs and list items kept."""
    if not value:
        return []
    text = _LI.sub("• ", value)
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    return [line.strip() for line in text.splitlines() if line.strip()]


def _thai_font(rpr, size):
    """TH Sarabun New for every script; Thai is a complex script, which Word sizes with szCs."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        rpr.append(size_cs)
    size_cs.set(qn("w:val"), str(size * 2))


def _font(run, size=SIZE, bold=None):
    run.font.name = FONT
    run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    _thai_font(rpr, size)
    if bold and rpr.find(qn("w:bCs")) is None:
        rpr.append(OxmlElement("w:bCs"))


def _default_style(doc):
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(SIZE)
    rpr = style.element.get_or_add_rPr()
    _thai_font(rpr, SIZE)
    # Thai is a complex script: its language is w:bidi. Latin words keep an English w:val, or
    # LibreOffice wraps them with Thai rules, anywhere inside ("Faceboo|k").
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:bidi"), "th-TH")
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    # TH Sarabun New's own line height is tall; 19 pt matches the PDF's 1.15 × 16 pt and still
    # leaves room for stacked vowels and tone marks.
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(19)


def _page_setup(section, landscape=False):
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side, value in MARGINS[landscape].items():
        setattr(section, f"{side}_margin", value)


def _usable_cm(section) -> float:
    return Emu(section.page_width - section.left_margin - section.right_margin).cm


_URL = re.compile(r"^(?:https?://|www\.)\S+$")


def wrappable(text: str) -> str:
    """A line as written into the document: U+200B where it may wrap. Thai wraps between words
    (break_opportunities); a link after each "/" of its path, as it cannot fit a narrow column."""
    if _URL.match(text):
        return re.sub(r"(?<=[^/]/)(?=[^/])", ZWSP, text)
    return _THAI_SLASH.sub(ZWSP, break_opportunities(text, compounds=True))  # "มาตรการ/|โครงการ/|กิจกรรม"


@lru_cache(maxsize=2)
def _face(bold: bool):
    """The font the document names, for measuring words; None where it is not installed."""
    from PIL import ImageFont

    path = settings.FONT_DIR / ("THSarabunNew_bold-webfont.ttf" if bold else "THSarabunNew-webfont.ttf")
    try:
        return ImageFont.truetype(str(path), 1000, layout_engine=ImageFont.Layout.BASIC)
    except OSError:
        return None


@lru_cache(maxsize=16384)
def _word_cm(word: str, bold: bool, size: float = SIZE) -> float:
    face = _face(bold)
    em = face.getlength(word) / 1000 if face else 0.6 * len(word)  # 0.6 em: wider than any Thai letter
    return em * size / 72 * 2.54


_BREAKS = re.compile(f"[ \t{ZWSP}]+")


# A link, a web or e-mail address: it may wrap anywhere (the PDF's .url), so it does not widen a column.
_ADDRESS = re.compile(r"https?:|www\.|[A-Za-z0-9]/[A-Za-z0-9]|@|[A-Za-z0-9]\.[A-Za-z]+\.[A-Za-z]")
_THAI_SLASH = re.compile(r"(?<=[\u0e01-\u0e5b]/)(?=[\u0e01-\u0e5b])")


def longest_word_cm(text: str, bold: bool = False, size: float = SIZE) -> float:
    """The width of the widest piece of text that no line break may cut (a Thai word, a date, a code)."""
    words = (w for w in _BREAKS.split(text) if w and not _ADDRESS.search(w))
    return max((_word_cm(word, bold, size) for word in words), default=0.0)


def line_size(line: str, size: float = SIZE) -> float:
    """A link prints at 13 pt, as in the PDF (.url): long, and not read aloud."""
    return URL_SIZE if _URL.match(line) else size


def _lines_in(text: str, width_cm: float, size: float) -> int:
    """About how many lines a paragraph takes in a column (words never cut)."""
    width_cm = max(width_cm - CELL_PADDING_CM, 0.5)
    lines, used = 1, 0.0
    space = _word_cm(" ", False, size)
    for word in _BREAKS.split(wrappable(text)):
        w = _word_cm(word, False, size) if word else 0.0
        if used and used + w > width_cm:
            lines, used = lines + 1, w
        else:
            used += w + space
    return lines


def _row_height_cm(cells, widths) -> float:
    """About how tall a row is: its tallest cell, each line 19 pt (or 1.2 × a smaller size)."""
    return max(
        (
            sum(_lines_in(line, width, size) * round(size * 1.2 if size != SIZE else 19) / 72 * 2.54 for line in lines)
            for (lines, size), width in zip(cells, widths, strict=True)
        ),
        default=0.0,
    )


def fit_widths(weights, minimums, total):
    """Column widths in proportion to `weights` (the PDF's colgroup) over `total`, except that a
    column is never narrower than its minimum: what it needs more comes from the other columns."""
    cap = 0.45 * total  # a longer word wraps inside anyway rather than squeeze every other column
    minimums = [min(m, cap) for m in minimums]
    if sum(minimums) >= total:
        return [total * m / sum(minimums) for m in minimums]
    fixed: set[int] = set()
    widths = [total * w / sum(weights) for w in weights]
    while short := [i for i, w in enumerate(widths) if i not in fixed and w < minimums[i]]:
        fixed.update(short)
        rest = total - sum(minimums[i] for i in fixed)
        free = sum(w for i, w in enumerate(weights) if i not in fixed)
        widths = [minimums[i] if i in fixed else rest * w / free for i, w in enumerate(weights)]
    return widths


def _page_number(section, thai_digits):
    """'- ๒ -' at the top centre of every page but the first."""
    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.text = ""
    _font(paragraph.add_run("- "))
    # Thai digits through the section's page-number format, which Word and LibreOffice both honour.
    number_type = section._sectPr.find(qn("w:pgNumType"))
    if number_type is None:
        number_type = OxmlElement("w:pgNumType")
        section._sectPr.append(number_type)
    number_type.set(qn("w:fmt"), "thaiNumbers" if thai_digits else "decimal")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "๒" if thai_digits else "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    _font(paragraph.add_run(" -"))


class Writer:
    def __init__(self, report: Report):
        self.report = report
        self.doc = Document()
        _default_style(self.doc)
        first = self.doc.sections[0]
        _page_setup(first)
        first.different_first_page_header_footer = True
        self.thai = report.opts.digits == "thai"
        _page_number(first, self.thai)
        self.tables = []

    # --- blocks ---------------------------------------------------------------------------

    def paragraph(self, text="", bold=False, center=False, indent=False, keep_with_next=False):
        p = self.doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent:
            p.paragraph_format.first_line_indent = Cm(2.5)
        if keep_with_next:
            p.paragraph_format.keep_with_next = True
        if text:
            _font(p.add_run(wrappable(text)), bold=bold)
        return p

    def heading(self, text):
        return self.paragraph(text, bold=True, keep_with_next=True)

    def title(self):
        """The title lines at 18 pt; "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" never breaks inside, as in the PDF."""
        for line in self.report.title_lines:
            p = self.paragraph(center=True)
            for i, part in enumerate(_KEEP_TOGETHER.split(line)):
                # kept: non-breaking spaces, and a word joiner where LibreOffice's own Thai
                # dictionary would otherwise wrap ("ประจำ|ปีงบประมาณ")
                kept = break_opportunities(part, compounds=True).replace(ZWSP, "\u2060").replace(" ", "\u00a0")
                text = kept if i % 2 else wrappable(part)
                if text:
                    _font(p.add_run(text), size=18, bold=True)
        self.paragraph()

    def landscape(self, new_page=True):
        """The following pages in landscape; the first section is turned in place."""
        if not new_page:
            _page_setup(self.doc.sections[0], landscape=True)
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape=True)
        section.different_first_page_header_footer = False
        _page_number(section, self.thai)

    def portrait(self):
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section)
        section.different_first_page_header_footer = False
        _page_number(section, self.thai)

    def table(self, headers, weights, split_rows=False):
        """A table across the section's usable width, its columns in the proportions of the PDF's
        colgroup (`weights`); the widths are fitted to the words once the rows are in (save)."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        table._weights = weights
        table._usable = _usable_cm(self.doc.sections[-1])
        table._longest = [longest_word_cm(wrappable(text), bold=True) for text in headers]
        table._split_rows = split_rows
        table._row_texts = []  # (lines, size) of each cell of each row, to tell a row's height
        table._filled = [False] * len(headers)
        table._groups = []  # (first row, last row, columns to merge, last measure) of each measure
        row = table.rows[0]
        _repeat_header(row)
        for cell, text in zip(row.cells, headers, strict=True):
            _cell_text(cell, [text], bold=True, center=True)
            _shade(cell, "F2F2F2")
        self.tables.append(table)
        return table

    def row(self, table, values, bold=False, spanning=False, small=()):
        """values: one list of lines per cell; a spanning row (merged across) does not size columns;
        the columns in `small` print at 14 pt."""
        row = table.add_row()
        sizes = [SMALL if i in small else SIZE for i in range(len(values))]
        table._row_texts.append((row, list(zip(values, sizes, strict=True))))
        for i, (cell, lines) in enumerate(zip(row.cells, values, strict=True)):
            size = sizes[i]
            if not spanning and any(lines):
                table._filled[i] = True
            _cell_text(cell, lines, bold=bold, size=size)
            if not spanning:
                words = [longest_word_cm(wrappable(line), bold, line_size(line, size)) for line in lines if line]
                table._longest[i] = max([table._longest[i], *words])
        return row

    def fit_tables(self):
        for table in self.tables:
            minimums = [width + CELL_PADDING_CM for width in table._longest]
            weights = table._weights
            if table._split_rows:  # the OIT: a column the catalogue leaves empty gives its share away
                weights = [w if filled else 0 for w, filled in zip(weights, table._filled, strict=True)]
            widths = fit_widths(weights if any(weights) else table._weights, minimums, table._usable)
            _set_widths(table, widths)
            # A row moves to the next page whole, and the last one takes the signature with it; only
            # a row too tall to move (a long list of components, a very long measure) may go on over
            # a page: a whole row taller than the page would be cut off at its foot.
            _merge_groups(table, widths)
            page_cm = Emu(self.doc.sections[-1].page_height).cm - 4.5
            share = ROW_SPLIT_SHARE if table._split_rows else 0.9
            for row, cells in table._row_texts:
                if _row_height_cm(cells, widths) < share * page_cm:
                    _cant_split(row)
            if getattr(table, "_keep_last_row", False):
                for cell in table.rows[-1].cells:
                    for p in cell.paragraphs:
                        p.paragraph_format.keep_with_next = True

    def signatures(self):
        """The block stays with what it signs: the last table row and the empty line keep with it."""
        if self.tables and self.doc.element.body[-2] is self.tables[-1]._tbl:
            self.tables[-1]._keep_last_row = True  # once its cells are merged (fit_tables)
        self.paragraph(keep_with_next=True)
        for s in self.report.signatures:
            for line in (
                f"ลงชื่อ ........................................ {s.label}",
                f"({s.name or '........................................'})",
                f"ตำแหน่ง {s.position or '........................................'}",
            ):
                p = self.paragraph(line, center=True, keep_with_next=True)
                p.paragraph_format.left_indent = Cm(8)
            self.paragraph(keep_with_next=True)
        p = self.paragraph(f"วันที่ {self.report.date_text}", center=True)
        p.paragraph_format.left_indent = Cm(8)

    def save(self) -> bytes:
        self.fit_tables()
        props = self.doc.core_properties
        props.title = self.report.title[:250]
        props.author = self.report.organisation.name
        props.language = "th-TH"
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _repeat_header(row):
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))
    _cant_split(row)


def _set_widths(table, widths_cm):
    """The grid LibreOffice lays out by, each cell's width for Word (a merged cell spans its
    columns) and the table's own width."""
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            tc.width = Cm(sum(widths_cm[col : col + tc.grid_span]))
            col += tc.grid_span
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(round(sum(widths_cm) / 2.54 * 1440)))


def _cant_split(row):
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.append(OxmlElement("w:cantSplit"))


def _shade(cell, fill):
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell_text(cell, lines, bold=False, center=False, size=SIZE):
    lines = [line for line in lines if line is not None] or [""]
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if line:
            run_size = line_size(line, size)
            if run_size != SIZE:  # 19 pt lines are for 16 pt text; smaller text, closer lines
                p.paragraph_format.line_spacing = Pt(round(run_size * 1.2))
            _font(p.add_run(wrappable(line)), size=run_size, bold=bold)


def _merge_down(table, column, first_row, last_row, merge=True):
    """Merge one column's cells over a measure's step rows (the text sits in the first). Unmerged,
    the cells below the first stay empty and the rules between them are left out, as in the PDF."""
    if last_row <= first_row:
        return
    if merge:
        table.cell(first_row, column).merge(table.cell(last_row, column))
        return
    for r in range(first_row, last_row + 1):
        tc_pr = table.cell(r, column)._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        for side, hidden in (("top", r > first_row), ("bottom", r < last_row)):
            if hidden:
                edge = OxmlElement(f"w:{side}")
                edge.set(qn("w:val"), "nil")
                borders.append(edge)
        tc_pr.append(borders)


def _merge_groups(table, widths):
    """A measure's own cells merged over its step rows, except where a row of the group must be
    free to move on its own, and the measure's cells are then written in its first row only, as in
    the PDF: the o34's last measure, whose last row goes over with the signature (LibreOffice will
    not take a row out of a merged group), and a measure whose own text is taller than its steps
    (LibreOffice spreads it over pages with a step row on each)."""
    texts = {id(row._tr): cells for row, cells in table._row_texts}
    for start, end, merged, last in table._groups:
        if end == start or not merged:
            continue
        rows = [texts[id(table.rows[r]._tr)] for r in range(start, end + 1)]
        own = _row_height_cm([rows[0][c] for c in merged], [widths[c] for c in merged])
        others = [c for c in range(len(widths)) if c not in merged]
        steps = sum(_row_height_cm([row[c] for c in others], [widths[c] for c in others]) for row in rows)
        for col in merged:
            _merge_down(table, col, start, end, merge=not last and own <= steps)


def _measure_rows(w, table, m, columns, last=False):
    """Write a measure: one row per step; `columns` maps each column to (per-measure lines, step key).

    A column whose value belongs to the measure is merged over the step rows (once the widths are
    known: Writer.fit_tables); a column that a step fills itself (step-level period, units,
    results) gets that step's own cell.
    """
    steps = m.get("steps") or [{}]
    per_step = set(m.get("per_step") or [])
    if "evidence" in per_step:
        per_step.add("output")  # evidence links print under the output, in its cell
    start = len(table.rows)
    for i, step in enumerate(steps):
        values = []
        for measure_lines, step_key in columns:
            if step_key == "__step__":
                values.append([_step_text(step, numbered=len(steps) > 1)])
            elif step_key in per_step:
                values.append(_step_cell(step, step_key))
            else:
                values.append(measure_lines if i == 0 else [""])
        w.row(table, values)
    end = len(table.rows) - 1
    merged = [col for col, (_, key) in enumerate(columns) if key != "__step__" and key not in per_step]
    table._groups.append((start, end, merged, last))


def _step_cell(step, key):
    if key == "period":
        return _period(step["period"])
    if key == "output":
        return _marked(step.get("mark"), _lines(step["output"])) + list(step["evidence"])
    return _lines(step[key])


def _step_text(step, numbered):
    if not step:
        return ""
    return f"{step['number']}. {step['text']}" if numbered and step.get("number") else step["text"]


def _marked(mark, lines):
    """A result's status mark before its first line, as the PDF prints it."""
    if not mark:
        return lines
    return [f"{mark} {lines[0]}" if lines else mark, *lines[1:]]


def _lines(value):
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return rich_lines(value) if "<" in str(value or "") else [line for line in str(value or "").splitlines()]


# --- the three reports ----------------------------------------------------------------------


def _o34(w: Writer):
    b = w.report.body
    w.title()
    w.heading(b["headings"]["results"])
    for line in b["intro"].splitlines():  # one paragraph per typed paragraph, as the PDF prints it
        w.paragraph(line, indent=True)
    w.heading(b["headings"]["summary"])
    t = w.table(["แบบ", "ลำดับ", "รายละเอียดตัวชี้วัด", "คะแนน"], [12, 12, 56, 20])
    for row in b["summary"]:
        w.row(t, [[row["instrument"]], [row["number"]], [row["name"]], [row["score"]]])
    w.heading(b["headings"]["issues"])
    for issue in b["issues"]:
        w.heading(issue["heading"])
        if issue["rows"]:
            t = w.table(["เครื่องมือการประเมิน", "ข้อคำถาม", "คะแนน"], [18, 66, 16])
            for row in issue["rows"]:
                w.row(t, [[row["instrument"]], [row["text"]], [row["score"]]])
        w.heading("วิเคราะห์ข้อบกพร่อง/ข้อปรับปรุง ข้อที่ต้องพัฒนา หรือรักษาระดับ")
        w.paragraph("วิเคราะห์: " + (" ".join(rich_lines(issue["analysis"])) or "–"))
        w.paragraph("ข้อปรับปรุง/การพัฒนา: " + (" ".join(rich_lines(issue["improvement"])) or "–"))
    w.heading(b["headings"]["limitations"])
    for line in rich_lines(b["limitations"]) or ["–"]:
        w.paragraph(line)
    w.landscape()
    w.heading(b["headings"]["measures"])
    follow = b.get("has_follow_up")
    numbered = b.get("number_column")
    headers = ["มาตรการ/โครงการ/กิจกรรม", "ขั้นตอน/วิธีปฏิบัติ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ"]
    if follow:
        headers.append("การติดตามผล")
    if numbered:
        headers = ["ลำดับ", *headers]
    widths = {  # templates/reports/o34.html's colgroups
        (False, False): [26, 38, 16, 20],
        (False, True): [22, 31, 13, 20, 14],
        (True, False): [7, 23, 35, 16, 19],
        (True, True): [7, 19, 28, 13, 19, 14],
    }[bool(numbered), bool(follow)]
    t = w.table(headers, widths)
    for n, m in enumerate(b["measures"], start=1):
        columns = [([m["number"]], None)] if numbered else []
        columns += [
            ([m["label"]], None),
            (None, "__step__"),
            (m["units"], "units"),
            (_period(m["period"]), "period"),
        ]
        if follow:
            columns.append((_lines(m["follow_up"]), None))
        _measure_rows(w, t, m, columns, last=n == len(b["measures"]))
    w.signatures()


_RANGE_DASH = re.compile(r"\s*[–-]\s+|\s+[–-]\s*")


def _period(parts):
    """A date is never split across lines: spaces inside each date are non-breaking; a range may
    wrap after its dash ("ธ.ค. 2567 –" / "ม.ค. 2568"), also where one part holds the range."""
    if isinstance(parts, str):
        return [parts]
    dates = [d for part in parts for d in _RANGE_DASH.split(part)]
    return [" – ".join(d.strip().replace(" ", "\u00a0") for d in dates)] if parts else [""]


def _o35(w: Writer):
    b = w.report.body
    w.landscape(new_page=False)
    w.title()
    for line in b["intro"].splitlines():  # one paragraph per typed paragraph, as the PDF prints it
        w.paragraph(line, indent=True)
    if b.get("as_of"):
        w.paragraph(b["as_of"], bold=True)
    w.paragraph("สถานะ: " + "   ".join(f"{mark} {label}" for mark, label in b["legend"]))
    headers = [
        "มาตรการ/โครงการ/กิจกรรม",
        "ขั้นตอน/วิธีปฏิบัติ",
        "ช่วงระยะเวลาการดำเนินการ",
        "ผู้รับผิดชอบ",
        "ผลการดำเนินการ",
        "ผลลัพธ์/ผลสัมฤทธิ์",
    ]
    widths = [16, 21, 13, 13, 19, 18]  # templates/reports/o35.html's colgroups
    numbered = b.get("number_column")
    if numbered:
        headers, widths = ["ลำดับ", *headers], [7, 14, 19, 12, 12, 19, 17]
    t = w.table(headers, widths)
    for s in b["sections"]:
        if s.get("heading"):
            row = w.row(t, [[s["heading"]]] + [[""]] * (len(headers) - 1), bold=True, spanning=True)
            row.cells[0].merge(row.cells[-1])
            row.cells[0].paragraphs[0].paragraph_format.keep_with_next = True  # with its first measure
        for m in s["rows"]:
            evidence = list(m.get("evidence") or [])
            columns = [([m["number"]], None)] if numbered else []
            columns += [
                ([m["label"]], None),
                (None, "__step__"),
                (_period(m["period"]), "period"),
                (m["units"], "units"),
                (_marked(m.get("mark"), _lines(m["output"])) + evidence, "output"),
                (_lines(m["outcome"]), "outcome"),
            ]
            _measure_rows(w, t, m, columns)
    w.signatures()


# templates/reports/oit.html's colgroup (per cent); a column left out gives its room to the title,
# unit and progress.
OIT_PCT = {"code": 5, "title": 15, "components": 38, "unit": 13, "progress": 29}


def _oit(w: Writer):
    b = w.report.body
    w.landscape(new_page=False)  # a wide page, as the PDF
    w.title()
    columns = b["columns"]  # the same columns as the PDF: none that every row leaves empty
    spare = sum(OIT_PCT.values()) - sum(OIT_PCT[c["key"]] for c in columns)
    growing = [c["key"] for c in columns if c["key"] in ("title", "unit", "progress")]
    widths = [OIT_PCT[c["key"]] + (spare / len(growing) if c["key"] in growing else 0) for c in columns]
    small = tuple(i for i, c in enumerate(columns) if c["key"] == "components")
    for s in b["sections"]:
        w.heading(s["heading"])
        # a long list of components may go on over a page
        t = w.table([c["label"] for c in columns], widths, split_rows=True)
        for row in s["rows"]:
            progress = [f"{box} {label}" for box, label in row["boxes"]] + _lines(row["description"])
            if row.get("evidence_url"):
                progress.append(row["evidence_url"])
            progress += row.get("files", [])
            cells = {
                "code": [row["code"]],
                "title": [row["title"]],
                "components": row["components"],
                "unit": [row["unit"]],
                "progress": progress,
            }
            w.row(t, [cells[c["key"]] for c in columns], small=small)
    w.signatures()


BUILDERS = {"o34": _o34, "o35": _o35, "oit": _oit}


def report_to_docx(report: Report) -> bytes:
    writer = Writer(report)
    BUILDERS[report.kind](writer)
    return writer.save()
