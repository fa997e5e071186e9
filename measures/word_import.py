"""Read last year's o34/o35 Word report (.docx) into measures, in two steps: plan (what would be
created, shown to the user with every cell that could not be placed), then save atomically.

The municipal format is a Word table: a measure's title written once over its step rows (a
merged cell) or continuing in the next row, several numbered steps in one cell, issue headings
between tables or as a row across the table, Thai or Arabic digits, text pasted from websites.
"""

import datetime
import html
import io
import re
import zipfile
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.db.models import Max
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from assessments.models import Assessment, Issue, Unit
from assessments.services import DomainError
from assessments.thai import to_arabic

from .models import Measure, MeasureStep, Progress, ProgressStatus, ReportingRound, StepProgress

MAX_BYTES = 10 * 1024 * 1024

# Column headers as organisations write them; the first variant that a header cell contains wins,
# in this order (so that "ช่วงระยะเวลาการดำเนินการ" is a period, not a result).
COLUMNS = [
    ("number", ("ลำดับ",)),
    ("follow_up", ("การติดตามผล", "ติดตามผล")),
    ("outcome", ("ผลลัพธ์", "ผลสัมฤทธิ์")),
    ("period", ("ช่วงระยะเวลา", "ระยะเวลาดำเนินการ", "ระยะเวลาการดำเนินการ", "ระยะเวลา", "ช่วงเวลา")),
    ("output", ("ผลการดำเนินการ", "ผลการดำเนินงาน")),
    ("units", ("หน่วยงานผู้รับผิดชอบ", "ผู้รับผิดชอบ")),
    ("steps", ("ขั้นตอน", "วิธีปฏิบัติ", "วิธีการปฏิบัติ", "วิธีดำเนินการ")),
    ("title", ("มาตรการ", "โครงการ", "กิจกรรม")),
]
ROW_FIELDS = ("steps", "period", "units", "output", "outcome", "follow_up")
_ISSUE = re.compile(r"^\s*ประเด็น(?:ที่)?\s*([0-9๐-๙]{1,2})\b")
_NUMBERED = re.compile(r"^\s*(?:\(?([0-9๐-๙]{1,2})[.)]|[-•●▪◦]\s*)\s*")
_INLINE_NUMBER = re.compile(r"(?:^|\s)([0-9๐-๙]{1,2})[.)]\s+(?=\S)")
_URL = re.compile(r"^https?://\S+$")
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


@dataclass
class PlannedStep:
    text: str
    period: str = ""
    units: list = field(default_factory=list)
    output: str = ""
    outcome: str = ""


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


@dataclass
class ImportPlan:
    measures: list = field(default_factory=list)
    new_units: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)  # (where, text)
    tables: int = 0
    has_results: bool = False

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


# --- reading the document -----------------------------------------------------------------


def _blocks(document):
    """Paragraphs and tables in document order."""
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            yield Paragraph(child, document)
        elif child.tag.endswith("}tbl"):
            yield Table(child, document)


def _header_map(row_texts):
    mapping = {}
    for col, text in enumerate(row_texts):
        norm = _norm(text)
        if not norm or len(norm) > 40:  # a header is a few words, not a measure's text
            continue
        for name, variants in COLUMNS:
            if name not in mapping and any(_norm(v) in norm for v in variants):
                mapping[name] = col
                break
    return mapping


def _is_header(mapping):
    return "title" in mapping and len(mapping) >= 2


def open_document(raw: bytes):
    if len(raw) > MAX_BYTES:
        raise WordImportError("ไฟล์ใหญ่เกิน 10 MB")
    try:
        return Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise WordImportError("อ่านไฟล์ไม่ได้ ต้องเป็นไฟล์ Word (.docx) ที่บันทึกจาก Word หรือ LibreOffice") from exc
    except Exception as exc:  # a damaged package raises lxml or zip errors of many kinds
        raise WordImportError("ไฟล์ Word เสียหายหรือไม่สมบูรณ์ เปิดแล้วบันทึกใหม่เป็น .docx แล้วลองอีกครั้ง") from exc


def plan_import(raw: bytes, assessment: Assessment) -> ImportPlan:
    """What importing the file would create; nothing is saved."""
    document = open_document(raw)
    plan = ImportPlan()
    issue = None
    for block in _blocks(document):
        if isinstance(block, Paragraph):
            match = _ISSUE.match(block.text or "")
            if match:
                issue = int(to_arabic(match.group(1)))
            continue
        issue = _read_table(block, plan, issue, len(plan.measures))
    if not plan.tables:
        raise WordImportError("ไม่พบตารางมาตรการในไฟล์ (ต้องมีหัวตาราง เช่น มาตรการ/โครงการ/กิจกรรม และ ขั้นตอน/วิธีปฏิบัติ)")
    _finish(plan, assessment)
    return plan


def _read_table(table, plan, issue, start):
    rows = table.rows
    header_at, mapping = None, {}
    for i, row in enumerate(rows[:4]):
        candidate = _header_map([c.text for c in row.cells])
        if _is_header(candidate):
            header_at, mapping = i, candidate
            break
    if header_at is None:
        return None  # a table of something else (scores, questions): issue headings above it were its own
    header_texts = [_norm(c.text) for c in rows[header_at].cells]
    plan.tables += 1
    plan.has_results = plan.has_results or "output" in mapping or "outcome" in mapping
    table_no = plan.tables
    numbered_scheme = "number" in mapping or any(
        _NUMBERED.match(clean(r.cells[mapping["title"]].text) or "x") for r in rows[header_at + 1 :]
    )
    previous_tcs = [None] * len(rows[header_at].cells)
    current = plan.measures[-1] if len(plan.measures) > start else None
    for r, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = row.cells
        tcs = [c._tc for c in cells]
        texts = [clean(c.text) for c in cells]
        if [_norm(t) for t in texts] == header_texts:  # a header row repeated by hand on the next page
            previous_tcs = tcs
            continue
        distinct = {id(tc) for tc in tcs}
        joined = next((t for t in texts if t), "")
        if len(distinct) == 1 or (joined and all(not t for t in texts[1:]) and _ISSUE.match(joined)):
            match = _ISSUE.match(joined)
            if match:
                issue = int(to_arabic(match.group(1)))
            elif joined:
                plan.unplaced.append((f"ตาราง {table_no} แถว {r}", joined))
            previous_tcs = tcs
            continue

        # A cell that continues the one above (a vertical merge) gives nothing new in this row.
        fresh = {
            name: "" if col >= len(cells) or tcs[col] is previous_tcs[col] else texts[col]
            for name, col in mapping.items()
        }
        title, number = fresh.get("title", ""), fresh.get("number", "")
        starts_measure = bool(title) and (not numbered_scheme or number or _NUMBERED.match(title))
        if starts_measure:
            current = PlannedMeasure(title=strip_number(title), issue=issue)
            plan.measures.append(current)
        elif title and current is not None:  # the title continues in this row
            current.title = f"{current.title} {title}".strip()
        elif title:
            current = PlannedMeasure(title=strip_number(title), issue=issue)
            plan.measures.append(current)
        if current is None:
            for col, text in enumerate(texts):
                if text:
                    plan.unplaced.append((f"ตาราง {table_no} แถว {r} คอลัมน์ {col + 1}", text))
            previous_tcs = tcs
            continue
        _add_row(current, {name: fresh.get(name, "") for name in ROW_FIELDS})
        for col, text in enumerate(texts):
            if text and col not in mapping.values() and tcs[col] is not previous_tcs[col]:
                plan.unplaced.append((f"ตาราง {table_no} แถว {r} คอลัมน์ {col + 1}", text))
        previous_tcs = tcs
    return issue


def _add_row(measure: PlannedMeasure, values: dict):
    """One table row of a measure: its steps, and whatever period, units and results it gives."""
    steps = split_steps(values["steps"])
    output_lines = [line for line in values["output"].splitlines()]
    evidence = [line for line in output_lines if _URL.match(line)]
    output = "\n".join(line for line in output_lines if not _URL.match(line))
    own = {
        "period": values["period"].replace("\n", " "),
        "units": split_units(values["units"]),
        "output": output,
        "outcome": values["outcome"],
    }
    if len(steps) == 1 and measure.steps and any(own.values()):
        # A row of its own for this step, with its own cells (the step-level o35 format).
        measure.steps.append(PlannedStep(steps[0], **own))
    else:
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
    if len(steps) < 2 or not any(s.period or s.units or s.output or s.outcome for s in steps[1:]):
        return
    first = steps[0]
    if not (first.period or first.units or first.output or first.outcome):
        first.period, first.units, first.output, first.outcome = m.period, list(m.units), m.output, m.outcome
        m.output = m.outcome = ""
    for step in steps:
        m.units += [u for u in step.units if u not in m.units]


def _finish(plan: ImportPlan, assessment: Assessment):
    known = {_norm(u.name): u.name for u in Unit.objects.filter(organisation=assessment.organisation)}
    existing = {_norm(t) for t in assessment.measures.values_list("title", flat=True)}
    new_units = []
    for m in plan.measures:
        _step_level(m)
        m.exists = _norm(m.title) in existing
        names = m.units + [u for s in m.steps for u in s.units]
        for name in names:
            if _norm(name) not in known and name not in new_units:
                new_units.append(name)
    plan.new_units = new_units


# --- saving -------------------------------------------------------------------------------


@transaction.atomic
def apply_plan(assessment: Assessment, plan: dict, round_: ReportingRound | None = None, create_units=True) -> int:
    """Create the planned measures (those not already there), their steps, units and results.
    All or nothing; a second import of the same file creates nothing. Returns measures created."""
    org = assessment.organisation
    units = {_norm(u.name): u for u in Unit.objects.filter(organisation=org)}
    top = Unit.objects.filter(organisation=org).aggregate(m=Max("order"))["m"] or 0
    for name in plan.get("new_units", []):
        if _norm(name) in units:
            continue
        if not create_units:
            raise WordImportError(f"ไม่มีส่วนราชการ “{name}” ในหน่วยงานนี้")
        top += 1
        units[_norm(name)] = Unit.objects.create(organisation=org, name=name[:200], order=top)
    issues = {i.number: i for i in Issue.objects.filter(ita_year=assessment.ita_year)}
    existing = {_norm(t) for t in assessment.measures.values_list("title", flat=True)}
    order = assessment.measures.aggregate(m=Max("order"))["m"] or 0
    created = 0
    for m in plan["measures"]:
        if _norm(m["title"]) in existing:
            continue
        start, end, text = parse_period(m["period"])
        order += 1
        measure = Measure.objects.create(
            assessment=assessment,
            order=order,
            title=m["title"][:500],
            period_start=start,
            period_end=end,
            period_text=text[:300],
            follow_up=m["follow_up"],
        )
        existing.add(_norm(m["title"]))
        created += 1
        measure.units.set([units[_norm(n)] for n in m["units"] if _norm(n) in units])
        if m["issue"] in issues:
            measure.issues.set([issues[m["issue"]]])
        step_extra = _step_detail_fields()
        step_results = []
        for i, step in enumerate(m["steps"], start=1):
            values = {"measure": measure, "order": i, "text": step["text"]}
            if "period_text" in step_extra and step["period"]:
                s, e, t = parse_period(step["period"])
                values.update(
                    {k: v for k, v in (("period_start", s), ("period_end", e), ("period_text", t)) if k in step_extra}
                )
            created_step = MeasureStep.objects.create(**values)
            if "units" in step_extra and step["units"]:
                created_step.units.set([units[_norm(n)] for n in step["units"] if _norm(n) in units])
            if step["output"] or step["outcome"]:  # the step's own result, on its own row
                step_results.append(StepProgress(step=created_step, output=step["output"], outcome=step["outcome"]))
        if round_ is None:
            continue
        for result in step_results:
            result.round = round_
            result.status = ProgressStatus.DONE if result.output else ProgressStatus.IN_PROGRESS
            result.save()
        done = m["output"] or any(r.output for r in step_results)
        if m["output"] or m["outcome"] or m["evidence"] or step_results:
            Progress.objects.create(
                measure=measure,
                round=round_,
                status=ProgressStatus.DONE if done else ProgressStatus.IN_PROGRESS,
                output=m["output"],
                outcome=m["outcome"],
                evidence="\n".join(m["evidence"]),
            )
    return created


def _step_detail_fields():
    names = {f.name for f in MeasureStep._meta.get_fields()}
    return names & {"period_start", "period_end", "period_text", "units"}
