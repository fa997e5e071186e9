"""Read last year's o34/o35 Word report (.docx) into measures, in two steps: plan (what would be
created, shown to the user with every cell that could not be placed), then save atomically.

The municipal format is a Word table: a measure's title written once over its step rows (a
merged cell) or continuing in the next row, several numbered steps in one cell, issue headings
between tables or as a row across the table, Thai or Arabic digits, text pasted from websites.
"""

import datetime
import html
import io
import itertools
import re
import zipfile
import zlib
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.db.models import Max
from lxml import etree
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, Issue, Unit
from assessments.services import DomainError, lock_assessment_id
from assessments.thai import to_arabic
from assessments.thai_periods import shift_dated_text, shift_period_text

from .duplicates import measures_by_title, title_key
from .evidence import MAX_FILES_PER_TARGET, copy_files, own_file_id
from .models import (
    OVERVIEW_STEP,
    STATUS_MARKS,
    EvidenceFile,
    IssueAnalysis,
    Measure,
    MeasureStep,
    Progress,
    ProgressStatus,
    ReportingRound,
    StepProgress,
)

MARK_STATUS = {mark: status for status, mark in STATUS_MARKS.items()}

# Column headers as organisations write them, by their key words: a header cell is compared with
# its spaces, line breaks, slashes and U+200B removed ("วิธีการ/ ดำเนินการ" is "วิธีการดำเนินการ"),
# and the first column kind one of whose words it contains wins, in this order (so that
# "ช่วงระยะเวลาการดำเนินการ" is a period, not a result, and "กิจกรรม/ขั้นตอน" is the steps).
COLUMNS = [
    ("number", ("ลำดับ",)),
    ("follow_up", ("ติดตามผล",)),
    ("outcome", ("ผลลัพธ์", "ผลสัมฤทธิ์")),
    ("period", ("ระยะเวลา", "ช่วงเวลา", "ห้วงเวลา", "กำหนดเวลา", "เวลาดำเนิน")),
    ("output", ("ผลการดำเนิน", "ผลการปฏิบัติ", "ผลดำเนิน")),
    ("units", ("รับผิดชอบ",)),
    ("steps", ("ขั้นตอน", "วิธี", "แนวทางการดำเนิน", "แนวทางดำเนิน", "กิจกรรมย่อย")),
    ("title", ("มาตรการ", "โครงการ", "กิจกรรม")),
]
ROW_FIELDS = ("steps", "period", "units", "output", "outcome", "follow_up")
_ISSUE = re.compile(r"^\s*ประเด็น(?:ที่)?\s*([0-9๐-๙]{1,2})\b")
_NUMBERED = re.compile(r"^\s*(?:\(?([0-9๐-๙]{1,2})[.)]|[-•●▪◦]\s*)\s*")
_INLINE_NUMBER = re.compile(r"(?:^|\s)([0-9๐-๙]{1,2})[.)]\s+(?=\S)")
_URL = re.compile(r"^(?:https?://\S+|/evidence/\d+/\S+)$")  # a link, or one of this portal's files
_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</(p|div|li)>|<br\s*/?>", re.IGNORECASE)
_SPLIT_UNITS = re.compile(r"\n|,|、|/| และ ")

MONTHS = {
    "มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
    "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
    "ม.ค.": 1, "ก.พ.": 2, "มี.ค.": 3, "เม.ย.": 4, "พ.ค.": 5, "มิ.ย.": 6,
    "ก.ค.": 7, "ส.ค.": 8, "ก.ย.": 9, "ต.ค.": 10, "พ.ย.": 11, "ธ.ค.": 12,
}  # fmt: skip
_DATE = re.compile(r"^(\d{1,2})\s*([ก-๙.]+?)\s*(\d{2,4})$")


class WordImportError(DomainError):
    """The file cannot be read as a report; the message is Thai."""


# What the file is to the target year: its plan (measures, steps, units, periods moved to the
# target year, no results), or its results for a round (only a document of the target year).
PLAN, RESULTS = "plan", "results"
MODES = {PLAN: "แผนของปีนี้", RESULTS: "ผลของปีนี้"}
_FISCAL_YEAR = re.compile(r"ปีงบประมาณ\s*(?:พ\s?\.\s?ศ\s?\.?)?\s*([0-9๐-๙]{4})")


def results_allowed(plan: dict) -> bool:
    """Results only from a document of the target year (or one whose year the title does not say)."""
    return plan.get("fiscal_year") in (None, plan.get("target_year"))


def year_warning(plan: dict) -> str:
    """Thai warning naming both years when the document is of another fiscal year."""
    fy, target = plan.get("fiscal_year"), plan.get("target_year")
    if fy is None or target is None or fy == target:
        return ""
    return (
        f"ไฟล์นี้เป็นรายงานของปีงบประมาณ พ.ศ. {fy} แต่กำลังนำเข้าสู่ปีงบประมาณ พ.ศ. {target} "
        f"ระบบจะนำเข้าเป็นแผนของปี {target} (มาตรการ ขั้นตอน ผู้รับผิดชอบ ช่วงเวลาเลื่อนเป็นปี {target}) "
        f"โดยไม่นำผลการดำเนินการของปี {fy} มาเป็นผลของปีนี้"
    )


@dataclass
class PlannedStep:
    text: str
    period: str = ""
    units: list = field(default_factory=list)
    output: str = ""
    outcome: str = ""
    status: str = ""  # read from the status mark an O26 of this portal prints; "" none printed


@dataclass
class PlannedMeasure:
    title: str
    issue: int | None = None
    steps: list = field(default_factory=list)
    period: str = ""
    units: list = field(default_factory=list)
    output: str = ""
    outcome: str = ""
    evidence: list = field(default_factory=list)
    follow_up: str = ""
    exists: bool = False
    overview: bool = False  # an O26 of this portal: a first row holds the measure's own result
    status: str = ""


@dataclass
class ImportPlan:
    measures: list = field(default_factory=list)
    new_units: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)  # (where, text)
    unplaced_more: int = 0  # beyond the MAX_UNPLACED listed
    tables: int = 0
    has_results: bool = False
    steps_total: int = 0
    characters: int = 0
    fiscal_year: int | None = None  # the year the document's title names ("ประจำปีงบประมาณ พ.ศ. ๒๕๗๐")
    target_year: int | None = None  # the fiscal year it is being imported into
    mode: str = ""  # the default reading: PLAN or RESULTS (the user may choose the other where allowed)
    # An o34/O25's per-issue analysis: [{"issue", "analysis", "improvement"}], in issue order.
    analyses: list = field(default_factory=list)

    def to_dict(self):
        return asdict(self)


# --- text helpers -------------------------------------------------------------------------


def clean(text: str) -> str:
    """Plain text from a cell: markup left over from web copy removed, entities decoded,
    non-breaking and repeated spaces folded; line breaks kept."""
    text = _BLOCK.sub("\n", text or "")
    text = html.unescape(_TAG.sub("", text))
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _norm(text):
    # U+200B marks where Thai may wrap (our own export, text copied from the web): not a difference.
    return "".join(to_arabic(text or "").replace("\u200b", "").split())


def strip_number(text: str) -> str:
    """'๑. มาตรการ…' → 'มาตรการ…'."""
    return _NUMBERED.sub("", text, count=1).strip()


def split_steps(text: str) -> list[str]:
    """Numbered steps inside one cell: '1. … 2. …' (one per line or inline), Thai or Arabic digits."""
    lines = [line for line in clean(text).splitlines() if line.strip()]
    if not lines:
        return []
    if len(lines) == 1:
        parts = _split_inline(lines[0])
        if len(parts) > 1:
            return parts
    steps = []
    numbered = any(_NUMBERED.match(line) for line in lines)
    for line in lines:
        if not numbered or _NUMBERED.match(line) or not steps:
            steps.append(strip_number(line))
        else:  # a wrapped line of the step above
            steps[-1] = f"{steps[-1]} {line.strip()}"
    return [s for s in steps if s]


def _split_inline(line: str) -> list[str]:
    """'1. ก 2. ข 3. ค' → three steps, only when the numbers run 1, 2, 3 …"""
    marks = list(_INLINE_NUMBER.finditer(line))
    numbers = [int(to_arabic(m.group(1))) for m in marks]
    if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)):
        return [strip_number(line)]
    parts = []
    for m, nxt in zip(marks, marks[1:] + [None], strict=True):
        parts.append(line[m.end() : nxt.start() if nxt else len(line)].strip())
    return [p for p in parts if p]


_UNIT_START = re.compile(r"\s+(?=(?:สำนัก|กอง|งาน|หน่วย|ฝ่าย|ส่วน|ศูนย์)\S)")


def split_units(text: str) -> list[str]:
    """'สำนักปลัด, กองคลัง' or one per line; a space splits only before a unit word
    ('งานประชาสัมพันธ์ กองช่าง'), since names have spaces ('กองการศึกษา ศาสนาและวัฒนธรรม')."""
    names = []
    parts = [p for chunk in _SPLIT_UNITS.split(clean(text)) for p in _UNIT_START.split(chunk)]
    for part in parts:
        name = strip_number(part).strip(" -–•")
        if name and name not in names:
            names.append(name)
    return names


def parse_thai_date(text: str) -> datetime.date | None:
    """'1 ตุลาคม 2567', '๑ ต.ค. ๖๗' → a date (Buddhist Era); None if it is not exactly a date."""
    match = _DATE.match(" ".join(to_arabic(text).replace("\u00a0", " ").split()))
    if not match:
        return None
    day, month_name, year = match.groups()
    month = MONTHS.get(month_name.strip())
    if month is None:
        return None
    year = int(year)
    year = year + 2500 if year < 100 else year
    try:
        return datetime.date(year - 543, month, int(day))
    except ValueError:
        return None


def parse_period(text: str):
    """(start, end, free text): dates where the period is exactly 'date – date', else the text."""
    text = clean(text).replace("\n", " ")
    parts = re.split(r"\s*(?:–|-|ถึง)\s*(?=[0-9๐-๙])", text)
    if len(parts) == 2:
        start, end = (parse_thai_date(p) for p in parts)
        if start and end:
            return start, end, ""
    single = parse_thai_date(text) if text else None
    if single:
        return single, None, ""
    return None, None, text


# --- reading the package ------------------------------------------------------------------
# A .docx is a zip of XML parts. Everything is bounded before it is inflated or parsed, with
# limits that real municipal reports never reach (about 15 measures of up to 16 steps, a few
# tables, some pictures), so that no file can hold a worker for long or fill its memory: the
# sizes the zip declares (zipfile never inflates a part past its declared size), then one pass
# over the document's XML that keeps only the table being read.

MAX_BYTES = 10 * 1024 * 1024  # the upload
MAX_PART = 16 * 1024 * 1024  # the document's XML, unpacked
MAX_UNPACKED = 64 * 1024 * 1024  # every part together, unpacked
MAX_RATIO = 100  # unpacked / packed, for a part over 1 MB (text XML packs 5-20 times)
MAX_ENTRIES = 2000
MAX_TABLES = 50
MAX_ROWS = 2000  # every table row of the document
MAX_COLUMNS = 64
MAX_MEASURES = 300
MAX_STEPS = 3000
MAX_CELL = 20_000  # characters, as a text box of the forms
MAX_TEXT = 1_000_000  # characters in the measures tables (a real report has some 100,000)
MAX_UNPLACED = 200  # listed in the preview; the rest are counted

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Paragraph children whose runs are text (a link, a tracked insertion, a content control…).
_RUN_CONTAINERS = {W + n for n in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "sdt", "sdtContent")}
_CELL_CONTAINERS = {W + n for n in ("sdt", "sdtContent", "customXml")}

NOT_WORD = "อ่านไฟล์ไม่ได้ ต้องเป็นไฟล์ Word (.docx) ที่บันทึกจาก Word หรือ LibreOffice"
DAMAGED = "ไฟล์ Word เสียหายหรือไม่สมบูรณ์ เปิดแล้วบันทึกใหม่เป็น .docx แล้วลองอีกครั้ง"
NOT_A_DOCUMENT = "ไฟล์นี้ไม่มีเนื้อหาเอกสาร Word ที่อ่านได้ (ส่วน document.xml ไม่ใช่เอกสาร) เปิดใน Word แล้วบันทึกใหม่เป็น .docx"
_MB = 1024 * 1024


def _xml_parser():
    # No entities expanded, no DTD or network fetched, libxml2's default depth and size limits.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _open_package(raw: bytes):
    """The zip and the name of its main document part, after checking what it would unpack to."""
    if len(raw) > MAX_BYTES:
        raise WordImportError("ไฟล์ใหญ่เกิน 10 MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise WordImportError(NOT_WORD) from exc
    if len(infos) > MAX_ENTRIES:
        raise WordImportError(f"ไฟล์มีส่วนประกอบ {len(infos):,} ส่วน มากเกินกว่าเอกสาร Word ทั่วไป ระบบจึงไม่อ่าน")
    total = sum(info.file_size for info in infos)
    for info in infos:
        if info.file_size > _MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WordImportError(
                f"ส่วน {info.filename[:80]} ของไฟล์ถูกบีบอัดไว้ถึง {info.file_size // max(info.compress_size, 1):,} เท่า "
                f"ผิดลักษณะของเอกสาร Word ทั่วไป (ไม่เกิน {MAX_RATIO} เท่า) ระบบจึงไม่อ่าน"
            )
    if total > MAX_UNPACKED:
        raise WordImportError(
            f"ไฟล์นี้เมื่อคลายออกมีขนาด {total / _MB:,.0f} MB เกินกว่าที่รายงานจะมี (ไม่เกิน {MAX_UNPACKED // _MB} MB) "
            "ระบบจึงไม่อ่าน ลองลบรูปภาพที่ไม่จำเป็นออกแล้วบันทึกใหม่"
        )
    name = _main_part(archive)
    size = archive.getinfo(name).file_size
    if size > MAX_PART:
        raise WordImportError(
            f"เนื้อหาเอกสารเมื่อคลายออกมีขนาด {size / _MB:,.0f} MB เกินกว่าที่รายงานจะมี (ไม่เกิน {MAX_PART // _MB} MB) "
            "ระบบจึงไม่อ่าน แยกเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"
        )
    return archive, name


def _main_part(archive) -> str:
    """The part the package's relationships name as the document (Word may call it document2.xml)."""
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        try:
            rels = etree.fromstring(archive.read("_rels/.rels"), _xml_parser())
        except etree.XMLSyntaxError:
            rels = None
        for rel in [] if rels is None else rels.iter(_RELS_NS + "Relationship"):
            target = (rel.get("Target") or "").lstrip("/")
            if rel.get("Type") == _OFFICE_DOCUMENT and target in names:
                return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise WordImportError(NOT_WORD)


def _runs_text(element, out):
    for child in element:
        tag = child.tag
        if tag == W + "r":
            for c in child:
                t = c.tag
                if t == W + "t":
                    out.append(c.text or "")
                elif t in (W + "tab", W + "ptab"):
                    out.append("\t")
                elif t == W + "cr" or (t == W + "br" and c.get(W + "type", "textWrapping") == "textWrapping"):
                    out.append("\n")
                elif t == W + "noBreakHyphen":
                    out.append("-")
        elif tag in _RUN_CONTAINERS:
            _runs_text(child, out)


def _paragraph_text(p) -> str:
    out = []
    _runs_text(p, out)
    return "".join(out)


def _cell_paragraphs(element):
    for child in element:
        if child.tag == W + "p":
            yield child
        elif child.tag in _CELL_CONTAINERS:
            yield from _cell_paragraphs(child)


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _Table:
    """The rows of one table as (key, text) per grid column, read row by row. A cell that continues
    a vertical merge carries the key and text of the cell where the merge starts, found in the
    column's last cell (one look-up, where python-docx walks up the table with an XPath per row)."""

    def __init__(self, number):
        self.number = number
        self.rows = []
        self.above = {}  # grid column -> the cell last seen there

    def add(self, tr, keys):
        before = 0
        tr_pr = tr.find(W + "trPr")
        if tr_pr is not None:
            grid_before = tr_pr.find(W + "gridBefore")
            before = max(0, _int(grid_before.get(W + "val") if grid_before is not None else None, 0))
        grid, cells = before, []
        for tc in tr.iterchildren(W + "tc"):
            span, merge = 1, None
            tc_pr = tc.find(W + "tcPr")
            if tc_pr is not None:
                grid_span = tc_pr.find(W + "gridSpan")
                if grid_span is not None:
                    span = max(1, _int(grid_span.get(W + "val"), 1))
                v_merge = tc_pr.find(W + "vMerge")
                if v_merge is not None:
                    merge = v_merge.get(W + "val", "continue")
            if grid + span > MAX_COLUMNS:
                raise WordImportError(
                    f"ตาราง {self.number} แถว {len(self.rows) + 1} กว้างเกิน {MAX_COLUMNS} คอลัมน์ ไม่ใช่ตารางมาตรการ"
                )
            cell = self.above.get(grid) if merge == "continue" else None
            if cell is None:
                cell = (next(keys), "\n".join(_paragraph_text(p) for p in _cell_paragraphs(tc)))
            for column in range(grid, grid + span):
                self.above[column] = cell
            cells += [cell] * span
            grid += span
        self.rows.append(cells)


def _document_blocks(archive, name):
    """("p", text) for each paragraph and ("table", rows) for each table of the body, in order,
    in one pass; rows are dropped from the tree as they are read."""
    keys = itertools.count(1)
    rows = tables = 0
    table = root = None
    with archive.open(name) as stream:
        events = etree.iterparse(
            stream,
            tag=(W + "p", W + "tbl", W + "tr"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        for _, element in events:  # each element once its end is read
            if root is None:
                root = element.getroottree().getroot()
                if root.tag != W + "document":
                    raise WordImportError(NOT_A_DOCUMENT)
            parent = element.getparent()
            if element.tag == W + "tr":
                rows += 1
                if rows > MAX_ROWS:
                    raise WordImportError(
                        f"ไฟล์มีแถวในตารางเกิน {MAX_ROWS:,} แถว มากกว่ารายงานมาตรการทั่วไป แยกเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"
                    )
                grand = parent.getparent()
                if grand is not None and grand.tag == W + "body":  # a row of a table of the body, not a nested one
                    if table is None:  # the table's first row
                        tables = _count_table(tables)
                        table = _Table(tables)
                    table.add(element, keys)
                    _drop(element, parent)
                continue
            if parent is None or parent.tag != W + "body":
                continue  # a paragraph in a cell: read with its row
            if element.tag == W + "p":
                yield "p", _paragraph_text(element)
            else:
                if table is None:  # a table without rows
                    tables = _count_table(tables)
                    table = _Table(tables)
                yield "table", table
                table = None
            _drop(element, parent)
        if root is None and events.root is not None and events.root.tag != W + "document":
            raise WordImportError(NOT_A_DOCUMENT)


def _count_table(tables):
    if tables >= MAX_TABLES:
        raise WordImportError(f"ไฟล์มีตารางเกิน {MAX_TABLES} ตาราง มากกว่ารายงานมาตรการทั่วไป แยกเป็นหลายไฟล์")
    return tables + 1


def _drop(element, parent):
    """Free what has been read: the element's content and the siblings before it."""
    element.clear()
    while element.getprevious() is not None:
        del parent[0]


def _blocks(raw: bytes):
    archive, name = _open_package(raw)
    try:
        yield from _document_blocks(archive, name)
    except etree.XMLSyntaxError as exc:
        raise WordImportError(NOT_A_DOCUMENT) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError) as exc:
        # A damaged or encrypted part, or one packed in a way zipfile cannot unpack.
        raise WordImportError(DAMAGED) from exc
    finally:
        archive.close()


_HEADER_NOISE = re.compile(r"[/\\|\u2060\u00ad]")
_HEADER_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _header_norm(text):
    """A header cell's words without spaces, line breaks, slashes, soft hyphens or U+200B/U+2060."""
    return _HEADER_NOISE.sub("", _norm(clean(text)))


def _header_map(row_texts):
    mapping = {}
    for col, text in enumerate(row_texts):
        norm = _header_norm(text)
        # A header is a few words (an aside in brackets aside), not a measure's text.
        if not norm or len(_HEADER_ASIDE.sub("", norm)) > 40:
            continue
        for name, variants in COLUMNS:
            if name not in mapping and any(v in norm for v in variants):
                mapping[name] = col
                break
    return mapping


def _is_header(mapping):
    return "title" in mapping and len(mapping) >= 2


def plan_import(raw: bytes, assessment: Assessment) -> ImportPlan:
    """What importing the file would create; nothing is saved."""
    plan = ImportPlan()
    issue = None
    analysis = {"issue": None, "field": None, "found": {}}
    for kind, block in _blocks(raw):
        if kind == "p":
            match = _ISSUE.match(block or "")
            if match:
                issue = int(to_arabic(match.group(1)))
            elif plan.fiscal_year is None and not plan.measures:  # the title lines above the tables
                year = _FISCAL_YEAR.search(" ".join((block or "").split()))
                if year:
                    plan.fiscal_year = int(to_arabic(year.group(1)))
            if not plan.tables:  # the analysis comes before the measures
                _read_analysis(analysis, block)
            continue
        tables = plan.tables
        issue = _read_table(block, plan, issue, len(plan.measures))
        if plan.tables == tables and not tables:  # a table of scores and analysis, before the measures
            for row in block.rows:
                for text in dict(row).values():  # each cell once, however merged
                    _read_analysis(analysis, text)
    plan.analyses = [{"issue": n, **texts} for n, texts in sorted(analysis["found"].items())]
    if not plan.tables:
        raise WordImportError("ไม่พบตารางมาตรการในไฟล์ (ต้องมีหัวตาราง เช่น มาตรการ/โครงการ/กิจกรรม และ ขั้นตอน/วิธีปฏิบัติ)")
    plan.target_year = assessment.fiscal_year
    _finish(plan, assessment)
    plan.mode = RESULTS if plan.has_results and results_allowed(asdict(plan)) else PLAN
    return plan


_ANALYSIS_LABEL = re.compile(r"^(วิเคราะห์|ข้อปรับปรุง(?:/การพัฒนา)?|ข้อคำถาม)\s*[:：]\s*")


def _read_analysis(state, text):
    """An o34's analysis of each issue: lines "วิเคราะห์ : …" and "ข้อปรับปรุง: …" (with the
    "ข้อคำถาม : …" they are about) under an issue heading, in paragraphs or in a table's cells."""
    for line in clean(text or "").splitlines():
        line = line.replace("*", "").strip(" ■●•-\t")
        heading = _ISSUE.match(line)
        if heading:
            state["issue"], state["field"] = int(to_arabic(heading.group(1))), None
            continue
        if state["issue"] is None or not line:
            continue
        label = _ANALYSIS_LABEL.match(line)
        if label:
            name = label.group(1)
            state["field"] = "improvement" if name.startswith("ข้อปรับปรุง") else "analysis"
            line = f"ข้อคำถาม: {line[label.end() :]}" if name == "ข้อคำถาม" else line[label.end() :]
        elif state["field"] is None or _NUMBERED.match(line) or line.startswith("วิเคราะห์"):
            state["field"] = None  # a heading or the next section: not the analysis
            continue
        texts = state["found"].setdefault(state["issue"], {"analysis": "", "improvement": ""})
        field_ = state["field"]
        texts[field_] = "\n".join(x for x in (texts[field_], line) if x)[:MAX_CELL]


def _unplaced(plan, where, text):
    if len(plan.unplaced) < MAX_UNPLACED:
        plan.unplaced.append((where, text[:300]))
    else:
        plan.unplaced_more += 1


def _read_table(table, plan, issue, start):
    rows = table.rows
    header_at, mapping = None, {}
    for i, row in enumerate(rows[:4]):
        candidate = _header_map([text for _, text in row])
        if _is_header(candidate):
            header_at, mapping = i, candidate
            break
    if header_at is None:
        return None  # a table of something else (scores, questions): issue headings above it were its own
    cleaned = {}  # key -> clean text: a cell merged down many rows is cleaned once

    def text_of(cell):
        key, raw = cell
        if key not in cleaned:
            cleaned[key] = clean(raw)
        return cleaned[key]

    header_texts = [_norm(text) for _, text in rows[header_at]]
    plan.tables += 1
    plan.has_results = plan.has_results or "output" in mapping or "outcome" in mapping
    table_no = plan.tables
    title_col = mapping["title"]
    numbered_scheme = "number" in mapping or any(
        _NUMBERED.match(text_of(r[title_col]) or "x") for r in rows[header_at + 1 :] if title_col < len(r)
    )
    previous = [cell[0] for cell in rows[header_at]]
    current = plan.measures[-1] if len(plan.measures) > start else None
    for r, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        keys = [key for key, _ in row]
        texts = [text_of(cell) for cell in row]
        if len(texts) == len(header_texts) and [_norm(t) for t in texts] == header_texts:
            previous = keys  # a header row repeated by hand on the next page
            continue

        # A cell that continues the one above (a vertical merge) gives nothing new in this row.
        new = [not (col < len(previous) and key == previous[col]) for col, key in enumerate(keys)]
        for col, text in enumerate(texts):
            if not new[col] or keys[col] in keys[:col]:  # a continued or a horizontally merged cell: counted once
                continue
            if len(text) > MAX_CELL:
                raise WordImportError(
                    f"ตาราง {table_no} แถว {r} คอลัมน์ {col + 1}: ข้อความยาว {len(text):,} ตัวอักษร "
                    f"เกินกว่าที่รับได้ ({MAX_CELL:,} ตัวอักษร)"
                )
            plan.characters += len(text)
        if plan.characters > MAX_TEXT:
            raise WordImportError(
                f"ข้อความในตารางมาตรการรวมเกิน {MAX_TEXT:,} ตัวอักษร มากกว่ารายงานทั่วไปมาก แยกเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"
            )
        joined = next((t for t in texts if t), "")
        if len(set(keys)) == 1 or (joined and all(not t for t in texts[1:]) and _ISSUE.match(joined)):
            match = _ISSUE.match(joined)
            if match:
                issue = int(to_arabic(match.group(1)))
            elif joined:
                _unplaced(plan, f"ตาราง {table_no} แถว {r}", joined)
            previous = keys
            continue

        values = {name: texts[col] if col < len(new) and new[col] else "" for name, col in mapping.items()}
        title, number = values.get("title", ""), values.get("number", "")
        # Beside the next step number ("2." after a measure of one step) a title cell is the
        # title running on, even where titles are not numbered.
        starts_measure = (
            bool(title)
            and (not numbered_scheme or number or _NUMBERED.match(title))
            and not (not number and _continues_numbering(values.get("steps", ""), current))
        )
        if starts_measure:
            current = PlannedMeasure(title=strip_number(title), issue=issue)
            plan.measures.append(current)
        elif title and current is not None:  # the title continues in this row
            current.title = f"{current.title} {title}".strip()
        elif title:
            current = PlannedMeasure(title=strip_number(title), issue=issue)
            plan.measures.append(current)
        if len(plan.measures) > MAX_MEASURES:
            raise WordImportError(f"ไฟล์มีมาตรการเกิน {MAX_MEASURES} มาตรการ มากกว่ารายงานทั่วไป แยกเป็นหลายไฟล์")
        if current is None:
            for col, text in enumerate(texts):
                if text and new[col]:
                    _unplaced(plan, f"ตาราง {table_no} แถว {r} คอลัมน์ {col + 1}", text)
            previous = keys
            continue
        plan.steps_total -= len(current.steps)
        _add_row(current, {name: values.get(name, "") for name in ROW_FIELDS})
        plan.steps_total += len(current.steps)
        if plan.steps_total > MAX_STEPS:
            raise WordImportError(f"ไฟล์มีขั้นตอนรวมเกิน {MAX_STEPS:,} ขั้นตอน มากกว่ารายงานทั่วไป แยกเป็นหลายไฟล์")
        for col, text in enumerate(texts):
            if text and col not in mapping.values() and new[col]:
                _unplaced(plan, f"ตาราง {table_no} แถว {r} คอลัมน์ {col + 1}", text)
        previous = keys
    return issue


def _continues_numbering(steps_text, measure):
    """The steps cell starts with the number after the measure's last step."""
    match = _NUMBERED.match(steps_text or "")
    if measure is None or not measure.steps or not match or not match.group(1):
        return False
    return int(to_arabic(match.group(1))) == len(measure.steps) + 1


def _own_cells(step):
    return bool(step.period or step.units or step.output or step.outcome)


def _add_row(measure: PlannedMeasure, values: dict):
    """One table row of a measure: its steps, and whatever period, units and results it gives."""
    steps = split_steps(values["steps"])
    last = measure.steps[-1] if measure.steps else None
    if not steps and last and _own_cells(last) and (len(measure.steps) > 1 or measure.overview):
        # A row of results only, below a step with its own cells: that step's results running on.
        lines = values["output"].splitlines()
        measure.evidence += [x for x in lines if _URL.match(x) and x not in measure.evidence]
        last.output = "\n".join(x for x in (last.output, *lines) if x and not _URL.match(x))
        last.outcome = "\n".join(x for x in (last.outcome, values["outcome"]) if x)
        last.units += [u for u in split_units(values["units"]) if u not in last.units]
        last.period = last.period or values["period"].replace("\n", " ")
        if values["follow_up"]:
            measure.follow_up = "\n".join(x for x in (measure.follow_up, values["follow_up"]) if x)
        return
    overview = steps == [OVERVIEW_STEP]
    if overview:  # the measure's own cells, not a step
        steps, measure.overview = [], True
    output_lines = [line for line in values["output"].splitlines()]
    status = ""
    if output_lines and output_lines[0][:1] in MARK_STATUS:  # the status mark this portal prints, not typed text
        status = MARK_STATUS[output_lines[0][:1]]
        output_lines[0] = output_lines[0][1:].strip()
        output_lines = [line for line in output_lines if line]
    evidence = [line for line in output_lines if _URL.match(line)]
    output = "\n".join(line for line in output_lines if not _URL.match(line))
    own = {
        "period": values["period"].replace("\n", " "),
        "units": split_units(values["units"]),
        "output": output,
        "outcome": values["outcome"],
    }
    if len(steps) == 1 and (measure.steps or measure.overview) and any(own.values()):
        # A row of its own for this step, with its own cells (the step-level o35 format).
        measure.steps.append(PlannedStep(steps[0], **own, status=status))
    else:
        measure.status = measure.status or status
        measure.steps += [PlannedStep(text) for text in steps]
        if own["period"] and not measure.period:
            measure.period = own["period"]
        for unit in own["units"]:
            if unit not in measure.units:
                measure.units.append(unit)
        measure.output = "\n".join(x for x in (measure.output, output) if x)
        measure.outcome = "\n".join(x for x in (measure.outcome, own["outcome"]) if x)
    measure.evidence += [e for e in evidence if e not in measure.evidence]
    if values["follow_up"]:
        measure.follow_up = "\n".join(x for x in (measure.follow_up, values["follow_up"]) if x)


def _step_level(m: PlannedMeasure):
    """In a step-level table every step row has its own cells; the first row's cells were read as
    the measure's before that was known, so they go to the first step."""
    steps = m.steps
    if m.overview:  # the measure's own cells were on their own row: each step row is the step's
        for step in steps:
            m.units += [u for u in step.units if u not in m.units]
        return
    if len(steps) < 2 or not any(s.period or s.units or s.output or s.outcome for s in steps[1:]):
        return
    first = steps[0]
    if not (first.period or first.units or first.output or first.outcome):
        first.period, first.units, first.output, first.outcome = m.period, list(m.units), m.output, m.outcome
        first.status = first.status or m.status
        m.output = m.outcome = m.status = ""
    for step in steps:
        m.units += [u for u in step.units if u not in m.units]


def _finish(plan: ImportPlan, assessment: Assessment):
    known = {_norm(u.name): u.name for u in Unit.objects.filter(organisation=assessment.organisation)}
    existing = measures_by_title(assessment)
    years = _years_to_shift(asdict(plan))
    new_units = []
    for m in plan.measures:
        _step_level(m)
        # As a plan its title is the shifted one ("ประจำปีงบประมาณ 2571"); as results the one written.
        m.exists = title_key(m.title) in existing or title_key(shift_dated_text(m.title, years)) in existing
        names = m.units + [u for s in m.steps for u in s.units]
        for name in names:
            if _norm(name) not in known and name not in new_units:
                new_units.append(name)
    plan.new_units = new_units


def _years_to_shift(plan: dict) -> int:
    fy, target = plan.get("fiscal_year"), plan.get("target_year")
    return target - fy if fy and target else 0


def as_plan(plan: dict) -> dict:
    """The plan read as this year's plan: titles, steps, periods and follow-up moved to the target
    fiscal year, and nothing of the document's results kept."""
    years = _years_to_shift(plan)

    def period(text):
        return shift_period_text(text, years).text if years and text else text

    def dated(text):
        return shift_dated_text(text, years) if years and text else text

    measures = []
    for m in plan["measures"]:
        steps = [
            {**s, "text": dated(s["text"]), "period": period(s["period"]), "output": "", "outcome": "", "status": ""}
            for s in m["steps"]
        ]
        measures.append(
            {
                **m,
                "title": dated(m["title"]),
                "period": period(m["period"]),
                "follow_up": dated(m["follow_up"]),
                "steps": steps,
                "output": "",
                "outcome": "",
                "evidence": [],
                "status": "",
            }
        )
    return {**plan, "measures": measures, "has_results": False, "mode": PLAN}


# --- saving -------------------------------------------------------------------------------


@transaction.atomic
def apply_plan(assessment: Assessment, plan: dict, round_: ReportingRound | None = None, create_units=True) -> int:
    """Create the planned measures (those not already there), their steps, units and, with a
    round, their results in that round; without a round the file is this year's plan (as_plan).
    All or nothing; a second import of the same file creates nothing. Returns measures created.
    A few queries per kind of row whatever the number of rows (a 1,000-step file included)."""
    plan = {**plan, "target_year": assessment.fiscal_year}
    if round_ is not None and not results_allowed(plan):
        raise WordImportError(
            f"ไฟล์นี้เป็นรายงานของปีงบประมาณ พ.ศ. {plan['fiscal_year']} นำเข้าเป็นผลของปีงบประมาณ "
            f"พ.ศ. {plan['target_year']} ไม่ได้ นำเข้าได้เป็นแผนของปีนี้เท่านั้น"
        )
    if round_ is None:
        plan = as_plan(plan)
    lock_assessment_id(assessment.pk)
    org = assessment.organisation
    units = {_norm(u.name): u for u in Unit.objects.filter(organisation=org)}
    top = Unit.objects.filter(organisation=org).aggregate(m=Max("order"))["m"] or 0
    new_units = []
    for name in plan.get("new_units", []):
        if _norm(name) in units:
            continue
        if not create_units:
            raise WordImportError(f"ไม่มีส่วนราชการ “{name}” ในหน่วยงานนี้")
        top += 1
        units[_norm(name)] = Unit(organisation=org, name=name[:200], order=top)
        new_units.append(units[_norm(name)])
    _create(Unit, new_units)
    issues = {i.number: i.pk for i in Issue.objects.filter(ita_year=assessment.ita_year)}
    existing = set(measures_by_title(assessment))
    order = assessment.measures.aggregate(m=Max("order"))["m"] or 0
    planned = []
    for m in plan["measures"]:
        if title_key(m["title"]) in existing:
            continue
        existing.add(title_key(m["title"]))
        start, end, text = parse_period(m["period"])
        order += 1
        measure = Measure(
            assessment=assessment,
            order=order,
            title=m["title"][:500],
            period_start=start,
            period_end=end,
            period_text=text[:300],
            follow_up=m["follow_up"],
        )
        planned.append((measure, m))

    def unit_ids(names):
        return [units[_norm(n)].pk for n in dict.fromkeys(names) if _norm(n) in units]

    _create(
        Measure,
        [measure for measure, _ in planned],
        {
            "units": [(measure, unit_ids(m["units"])) for measure, m in planned],
            "issues": [(measure, [issues[m["issue"]]] if m["issue"] in issues else []) for measure, m in planned],
        },
    )
    steps = []  # (step, its plan)
    for measure, m in planned:
        for i, step in enumerate(m["steps"], start=1):
            values = {"measure": measure, "order": i, "text": step["text"]}
            if step["period"]:
                s, e, t = parse_period(step["period"])
                values.update(period_start=s, period_end=e, period_text=t[:300])
            steps.append((MeasureStep(**values), step))
    _create(MeasureStep, [s for s, _ in steps], {"units": [(s, unit_ids(p["units"])) for s, p in steps]})
    if results_allowed(plan):  # an analysis is of its own year's results: never carried into another year
        _fill_analyses(assessment, plan.get("analyses") or [], issues)
    if round_ is None:
        return len(planned)
    step_results = {}  # measure -> its steps' own results
    for step, p in steps:
        if p["output"] or p["outcome"]:  # the step's own result, on its own row
            # the status the report printed, else read from what it says
            status = p.get("status") or (ProgressStatus.DONE if p["output"] else ProgressStatus.IN_PROGRESS)
            result = StepProgress(step=step, round=round_, output=p["output"], outcome=p["outcome"], status=status)
            step_results.setdefault(step.measure, []).append(result)
    _create(StepProgress, [r for results in step_results.values() for r in results])
    # Links to this portal's own evidence files are the files themselves: attached again to the
    # new measure in this round (files of this organisation only), not kept as addresses.
    wanted = {own_file_id(e) for _, m in planned for e in m["evidence"]} - {None}
    own_files = EvidenceFile.objects.filter(pk__in=wanted, assessment__organisation=org).in_bulk() if wanted else {}
    progress, copies = [], []
    for measure, m in planned:
        results = step_results.get(measure, [])
        done = m["output"] or any(r.output for r in results)
        links, files = [], []
        for address in m["evidence"]:
            found = own_files.get(own_file_id(address))
            if found is None:
                links.append(address)
            elif found not in files and len(files) < MAX_FILES_PER_TARGET:
                files.append(found)
        copies += [(f, {"measure": measure, "round": round_}) for f in files]
        if m["output"] or m["outcome"] or m["evidence"] or results:
            progress.append(
                Progress(
                    measure=measure,
                    round=round_,
                    status=m.get("status") or (ProgressStatus.DONE if done else ProgressStatus.IN_PROGRESS),
                    output=m["output"],
                    outcome=m["outcome"],
                    evidence="\n".join(links),
                )
            )
    _create(Progress, progress)
    try:
        copy_files(assessment, copies)  # last: the files stored are removed if it fails
    except DomainError as exc:  # over the organisation's quota
        raise WordImportError(str(exc)) from exc
    return len(planned)


def analyses_to_fill(assessment: Assessment, plan: dict) -> list[dict]:
    """The analyses the file would fill: those of the target year, where the year's own is empty."""
    if not results_allowed(plan):
        return []
    have = {a.issue.number: a for a in IssueAnalysis.objects.filter(assessment=assessment).select_related("issue")}
    out = []
    for item in plan.get("analyses") or []:
        own = have.get(item["issue"])
        fill = {k: item[k] for k in ("analysis", "improvement") if item[k] and not (own and getattr(own, k).strip())}
        if fill:
            out.append({"issue": item["issue"], **fill})
    return out


def _fill_analyses(assessment, analyses, issues):
    """The file's analysis of each issue, only where the year's own is empty: nothing typed is replaced."""
    for item in analyses:
        if item["issue"] not in issues:
            continue
        own, _ = IssueAnalysis.objects.get_or_create(assessment=assessment, issue_id=issues[item["issue"]])
        changed = [k for k in ("analysis", "improvement") if item.get(k) and not getattr(own, k).strip()]
        for k in changed:
            setattr(own, k, item[k])
        if changed:
            own.save()


def _create(model, objs, links=None):
    """Insert `objs`, their many-to-many `links` ({field: [(obj, [ids])]}) and their audit-trail
    records, as .create() then .set() would leave them, in a few queries whatever their number."""
    if not objs:
        return
    model.objects.bulk_create(objs)  # sets each pk (PostgreSQL, SQLite 3.35+)
    rows = {}
    for name, pairs in (links or {}).items():
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        rows[field] = through.objects.bulk_create(
            [through(**{source: obj.pk, target: pk}) for obj, pks in pairs for pk in pks]
        )
    records = model.history.bulk_history_create(objs)
    if not records:  # history switched off
        return
    by_pk = {record.id: record for record in records}
    for field, through_rows in rows.items():
        m2m_history = HistoricalRecords.m2m_models.get(field)
        if m2m_history is None or not through_rows:
            continue
        source = f"{field.m2m_field_name()}_id"
        names = [f.attname for f in field.remote_field.through._meta.fields]
        m2m_history.objects.bulk_create(
            m2m_history(history=by_pk[getattr(row, source)], **{n: getattr(row, n) for n in names})
            for row in through_rows
        )
