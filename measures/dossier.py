"""The dossier: one organisation-year as JSON, to move between installs.

`fiscal_year` is always the fiscal year of the measures (as on the reports); the ITA
results inside it are those of the year before. Documented in docs/dossier.md.
"""

import datetime
import functools
import json
import re
from pathlib import Path

import jsonschema
from django.db import transaction

from assessments.models import Assessment, Issue, ItaYear, Organisation, Question, Unit
from assessments.richtext import plain_text, sanitise
from assessments.services import DomainError, ScoreError, refresh_level, save_scores
from assessments.thai import thai_date
from assessments.validators import is_safe_url

from .models import (
    IssueAnalysis,
    ItemTitle,
    Measure,
    MeasureStep,
    OitChecklistItem,
    Progress,
    ReportingRound,
    StepProgress,
)

FORMAT = "ita-portal-dossier"
# Version 2 adds steps as objects (their own period, units, results). A file without them is
# written as version 1, so that a portal not yet upgraded still reads it.
VERSION = 2
VERSIONS = (1, 2)


class DossierError(DomainError):
    pass


def _d(value):
    return value.isoformat() if value else None


def _progress(p):
    return {
        "round": _d(p.round.as_of),
        "status": p.status,
        "output": p.output,
        "outcome": p.outcome,
        "done_on": _d(p.done_on),
        "evidence": p.evidence_links,
    }


def _export_step(step):
    """A bare step is its text (as in version 1 files); a step with its own period, units or
    results is an object."""
    units = [u.name for u in step.units.all()]  # Unit.Meta.ordering: the organisation's unit order
    results = sorted(step.progress.all(), key=lambda p: p.round.as_of)
    own = (step.period_start, step.period_end, step.period_text, step.responsible_person, step.due_date)
    if not (any(own) or units or results):
        return step.text
    return {
        "text": step.text,
        "period_start": _d(step.period_start),
        "period_end": _d(step.period_end),
        "period_text": step.period_text,
        "responsible_person": step.responsible_person,
        "due_date": _d(step.due_date),
        "units": units,
        "progress": [_progress(p) for p in results],
    }


def _score(value):
    return None if value is None else f"{value:.2f}"


def export_dossier(organisation: Organisation, fiscal_year: int) -> dict:
    assessment = (
        Assessment.objects.select_related("ita_year")
        .filter(organisation=organisation, ita_year__year=fiscal_year - 1)
        .first()
    )
    if assessment is None:
        raise DossierError(f"{organisation} ไม่มีผลการประเมินสำหรับปีงบประมาณ {fiscal_year}")
    rounds = list(assessment.rounds.order_by("as_of"))
    measures = (
        Measure.objects.filter(assessment=assessment)
        .for_report()
        .prefetch_related("progress__round", "steps__units", "steps__progress__round")
    )
    data = {
        "format": FORMAT,
        "version": VERSION,
        "fiscal_year": fiscal_year,
        "ita_year": assessment.ita_year.year,
        "organisation": {
            "slug": organisation.slug,
            "name": organisation.name,
            "org_type": organisation.org_type,
            "district": organisation.district,
            "province": organisation.province,
            "website": organisation.website,
            "executive_title": organisation.executive_title,
        },
        "units": [u.name for u in organisation.units.order_by("order", "id")],
        "results": {
            "overall_score": _score(assessment.overall_score),
            "level": assessment.level,
            "instrument_scores": {
                name: _score(value) for name, value in assessment.official_instruments().items() if value is not None
            },
            "indicator_scores": {
                str(s.indicator.number): _score(s.score)
                for s in assessment.indicator_scores.select_related("indicator").order_by("indicator__number")
            },
            "question_scores": {
                s.question.code: _score(s.score)
                for s in assessment.question_scores.select_related("question").order_by("question__order")
            },
        },
        "limitations": assessment.limitations,
        "analysis": [
            {"issue": a.issue.number, "analysis": a.analysis, "improvement": a.improvement}
            for a in assessment.analyses.select_related("issue").order_by("issue__number")
        ],
        "rounds": [{"name": r.name, "as_of": _d(r.as_of)} for r in rounds],
        "measures": [
            {
                "title": m.title,
                "issues": sorted(i.number for i in m.issues.all()),
                "questions": [q.code for q in sorted(m.questions.all(), key=lambda q: q.order)],
                "units": [u.name for u in sorted(m.units.all(), key=lambda u: (u.order, u.id))],
                "period_start": _d(m.period_start),
                "period_end": _d(m.period_end),
                "period_text": m.period_text,
                "follow_up": m.follow_up,
                "responsible_person": m.responsible_person,
                "due_date": _d(m.due_date),
                "steps": [_export_step(s) for s in m.steps.all()],
                "progress": [_progress(p) for p in sorted(m.progress.all(), key=lambda p: p.round.as_of)],
            }
            for m in measures
        ],
        "oit_checklist": [
            {
                "question": c.question.code,
                "unit": c.unit.name if c.unit else None,
                "status": c.status,
                "description": c.description,
                "evidence_url": c.evidence_url,
            }
            for c in assessment.checklist.select_related("question", "unit").order_by("question__order")
        ],
    }
    titles = assessment.item_titles.select_related("question").order_by("question__order")
    if titles:  # only where the organisation typed some: older dossiers stay as they were
        data["item_titles"] = [{"question": t.question.code, "title": t.title} for t in titles]
    if all(isinstance(step, str) for m in data["measures"] for step in m["steps"]):
        data["version"] = 1
    return data


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"  # keys in export order


# --- import ------------------------------------------------------------------------------


class _Reader:
    """Reads a file check_shape has passed; its messages name the field and the row."""

    def __init__(self, data, path=""):
        self.data, self.path = data, path

    def _where(self, key):
        return f"{self.path}.{key}" if self.path else str(key)

    def get(self, key, default=None):
        """The value at `key`, or `default` where it is missing or null. check_shape has already
        checked every value's presence and type against the schema, so only meaning is left here."""
        value = self.data.get(key)
        return default if value is None else value

    def date(self, key):
        """A date: the schema checked its form (YYYY-MM-DD); an impossible day is named here."""
        value = self.data.get(key)
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise DossierError(f"{self._where(key)}: วันที่ “{value}” ไม่ถูกต้อง (ใช้รูปแบบ YYYY-MM-DD ค.ศ.)") from None

    def rows(self, key):
        return [(_Reader(item, f"{self._where(key)}[{i}]"), item) for i, item in enumerate(self.get(key, []))]


def _parse(raw):
    if isinstance(raw, (bytes, bytearray)):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DossierError("ไฟล์ต้องเป็นข้อความ UTF-8 (บันทึกไฟล์ใหม่เป็น UTF-8 แล้วลองอีกครั้ง)") from None
    if isinstance(raw, str):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DossierError(f"ไฟล์ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด {exc.lineno} คอลัมน์ {exc.colno})") from None
        except RecursionError:
            raise DossierError("ไฟล์ซ้อนกันลึกเกินไป ไม่ใช่แฟ้มข้อมูลของระบบ") from None
    else:
        data = raw
    if not isinstance(data, dict):
        raise DossierError("ไฟล์ต้องเป็นชุดข้อมูล JSON ({…}) ของหน่วยงานหนึ่งปี")
    return data


SCHEMA_PATH = Path(__file__).with_name("dossier.schema.json")
_TYPES = {
    "string": "ข้อความ",
    "integer": "จำนวนเต็ม",
    "number": "ตัวเลข",
    "array": "รายการ [ ]",
    "object": "ออบเจกต์ { }",
    "null": "null",
    "boolean": "true/false",
}
MAX_SHAPE_ERRORS = 10


@functools.cache
def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shape_message(error) -> list[str]:
    """jsonschema's error as Thai lines, each naming the path of the wrong value."""
    where = _path(error.absolute_path)
    kind, expected = error.validator, error.validator_value
    hint = error.schema.get("x-thai") if isinstance(error.schema, dict) else None
    if hint == "date" or kind == "pattern":
        text = f"วันที่ต้องเป็นรูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2024-10-01 ได้ “{error.instance}”"
    elif hint == "step":
        text = "ขั้นตอนต้องเป็นข้อความ หรือออบเจกต์ที่มี text"
    elif "propertyNames" in error.absolute_schema_path:  # jsonschema names the rule of the name (an enum)
        text = f"ชื่อ “{error.instance}” ใช้ไม่ได้ (ต้องเป็นหนึ่งใน {', '.join(map(str, expected))})"  # an enum
    elif kind == "required":
        return [f"{_path([*error.absolute_path, p])}: ไม่มีค่า (จำเป็นต้องมี)" for p in expected if p not in error.instance]
    elif kind == "additionalProperties":
        known = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in known]
        return [f"{_path([*error.absolute_path, k])}: ไม่รู้จักช่องนี้ (สะกดผิด หรือไม่ใช่ช่องของแฟ้ม)" for k in extra]
    elif kind == "type":
        names = [expected] if isinstance(expected, str) else expected
        text = "ต้องเป็น" + " หรือ ".join(_TYPES[n] for n in names)  # every JSON type has a Thai name
    elif kind == "enum":
        text = "ต้องเป็นหนึ่งใน " + ", ".join(str(v) for v in expected)
    elif kind == "const":
        text = f"ต้องเป็น “{expected}”"
    elif kind == "minimum":
        text = f"ต้องไม่น้อยกว่า {expected}"
    elif kind == "maximum":
        text = f"ต้องไม่เกิน {expected}"
    else:
        text = "ค่าไม่ถูกต้อง"
    return [f"{where or 'ไฟล์'}: {text}"]


def check_shape(data) -> None:
    """Check the file against dossier.schema.json before reading it: every wrong value is named
    by its path, in Thai (up to ten at a time, so a converter fixes them in one pass)."""
    # By path: measures[2] before measures[10] (at one place in a file, every path part is of one kind).
    errors = sorted(_validator().iter_errors(data), key=lambda error: list(error.absolute_path))
    lines = []
    for error in errors:
        lines += [line for line in _shape_message(error) if line not in lines]
    if lines:
        more = f"\n… และอีก {len(lines) - MAX_SHAPE_ERRORS} รายการ" if len(lines) > MAX_SHAPE_ERRORS else ""
        raise DossierError("\n".join(lines[:MAX_SHAPE_ERRORS]) + more)


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


@transaction.atomic
def import_dossier(raw) -> Assessment:
    """Create or replace one organisation-year. All or nothing."""
    parsed = _parse(raw)
    check_shape(parsed)
    data = _Reader(parsed)
    if data.get("format") != FORMAT:
        raise DossierError(f"format: ต้องเป็น “{FORMAT}”")
    if data.get("version") not in VERSIONS:
        raise DossierError(f"version: รองรับรุ่น {', '.join(map(str, VERSIONS))}")
    fiscal_year = data.get("fiscal_year")
    ita_year_value = data.get("ita_year")
    if ita_year_value != fiscal_year - 1:
        raise DossierError(f"ita_year: ต้องเป็น {fiscal_year - 1} (ปีก่อนปีงบประมาณ {fiscal_year})")
    ita_year = ItaYear.objects.filter(year=ita_year_value).first()
    if ita_year is None:
        raise DossierError(f"ita_year: ยังไม่มีแค็ตตาล็อก ITA {ita_year_value} (รัน manage.py load_catalogue)")

    o = _Reader(data.get("organisation"), "organisation")
    slug = o.get("slug")
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        raise DossierError("organisation.slug: ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข - และ _ (เช่น don-kaeo)")
    website = o.get("website", "")
    if not is_safe_url(website):
        raise DossierError("organisation.website: ต้องเป็นที่อยู่ที่ขึ้นต้นด้วย http:// หรือ https:// เท่านั้น")
    org, _ = Organisation.objects.update_or_create(
        slug=slug,
        defaults={
            "name": _line(o, "name", 200),
            "org_type": o.get("org_type"),  # choices: the schema's, tested equal to the model's
            "district": _line(o, "district", 100),
            "province": _line(o, "province", 100),
            "website": website[:200],
            "executive_title": _line(o, "executive_title", 200),
        },
    )
    units = {}
    for i, name in enumerate(data.get("units", [])):
        if not isinstance(name, str) or not name.strip():
            raise DossierError(f"units[{i}]: ต้องเป็นชื่อส่วนราชการ")
        if len(name) > 200:
            raise DossierError(f"units[{i}]: ชื่อยาวเกิน 200 ตัวอักษร")
        if name in units:
            raise DossierError(f"units[{i}]: ชื่อ “{name}” ซ้ำ")
        units[name] = Unit.objects.update_or_create(organisation=org, name=name, defaults={"order": i})[0]

    assessment, _ = Assessment.objects.get_or_create(organisation=org, ita_year=ita_year)
    # Replace the year's content wholesale: the file is the truth for this organisation-year.
    assessment.measures.all().delete()
    assessment.rounds.all().delete()
    assessment.analyses.all().delete()
    assessment.checklist.all().delete()
    assessment.item_titles.all().delete()
    assessment.question_scores.all().delete()
    assessment.indicator_scores.all().delete()

    r = _Reader(data.get("results", {}), "results")
    try:
        save_scores(
            assessment,
            questions=r.get("question_scores", {}),
            indicators=r.get("indicator_scores", {}),
            overall=r.get("overall_score"),
            instruments=r.get("instrument_scores", {}),
            overall_given=True,
        )
    except ScoreError as exc:
        field, message = next(iter(exc.errors.items()))
        raise DossierError(f"results.{field}: {message}") from None
    assessment.limitations = sanitise(data.get("limitations", ""))
    refresh_level(assessment)

    issues = {i.number: i for i in Issue.objects.filter(ita_year=ita_year)}
    questions = {q.code.lower(): q for q in Question.objects.filter(ita_year=ita_year)}
    analysed = set()
    for row, _ in data.rows("analysis"):
        number = row.get("issue")
        if number not in issues:
            raise DossierError(f"{row.path}.issue: ไม่มีประเด็นที่ {number} ใน ITA {ita_year.year}")
        if number in analysed:  # one analysis per issue (a database constraint): named here, not a traceback
            raise DossierError(f"{row.path}.issue: ประเด็นที่ {number} ซ้ำกับแถวก่อนหน้า (หนึ่งประเด็นมีการวิเคราะห์เดียว)")
        analysed.add(number)
        IssueAnalysis.objects.create(
            assessment=assessment,
            issue=issues[number],
            analysis=sanitise(row.get("analysis", "")),
            improvement=sanitise(row.get("improvement", "")),
        )

    rounds = {}
    for row, _ in data.rows("rounds"):
        as_of = row.date("as_of")
        if as_of in rounds:
            raise DossierError(f"{row.path}.as_of: รอบรายงาน ณ {thai_date(as_of)} ({as_of}) ซ้ำกับแถวก่อนหน้า")
        rounds[as_of] = ReportingRound.objects.create(assessment=assessment, name=row.get("name"), as_of=as_of)

    for order, (row, _) in enumerate(data.rows("measures"), start=1):
        start = row.date("period_start")
        end = row.date("period_end")
        if start and end and end < start:
            raise DossierError(f"{row.path}.period_end: สิ้นสุดก่อนวันเริ่ม")
        # Plain fields get text, rich fields sanitised HTML, whatever the file carries (docs/text-fields.md).
        title = _line(row, "title", 500)
        measure = Measure.objects.create(
            assessment=assessment,
            order=order,
            title=title,
            period_start=start,
            period_end=end,
            period_text=_line(row, "period_text", 300),
            follow_up=sanitise(row.get("follow_up", "")),
            responsible_person=_line(row, "responsible_person", 200),
            due_date=row.date("due_date"),
        )
        measure.issues.set(_lookup(row, "issues", issues, "ประเด็นที่"))
        measure.questions.set(_lookup(row, "questions", questions, "ข้อ", str.lower))
        measure.units.set(_lookup(row, "units", units, "ส่วนราชการ"))
        for i, item in enumerate(row.get("steps", []), start=1):
            _import_step(measure, i, _Reader(item, f"{row.path}.steps[{i - 1}]"), item, units, rounds)
        reported = set()
        for prow, _ in row.rows("progress"):
            values = _import_progress(prow, rounds)
            if values["round"].pk in reported:
                raise DossierError(f"{prow.path}.round: รอบนี้ซ้ำในมาตรการเดียวกัน")
            reported.add(values["round"].pk)
            Progress.objects.create(measure=measure, **values)

    seen_items = set()
    for row, _ in data.rows("oit_checklist"):
        code = row.get("question")
        question = questions.get(code.lower()) if isinstance(code, str) else None
        if question is None or not question.is_oit:
            raise DossierError(f"{row.path}.question: ไม่มีรายการ OIT “{code}” ใน ITA {ita_year.year}")
        if question.pk in seen_items:
            raise DossierError(f"{row.path}.question: รายการ {code} ซ้ำกับแถวก่อนหน้า")
        seen_items.add(question.pk)
        evidence_url = row.get("evidence_url", "")
        if not is_safe_url(evidence_url):
            raise DossierError(f"{row.path}.evidence_url: ต้องเป็นลิงก์ http:// หรือ https://")
        unit_name = row.get("unit")
        if unit_name is not None and unit_name not in units:
            raise DossierError(f"{row.path}.unit: ไม่มีส่วนราชการ “{unit_name}” ใน units")
        OitChecklistItem.objects.create(
            assessment=assessment,
            question=question,
            unit=units.get(unit_name),
            status=row.get("status"),
            description=_text(row, "description"),
            evidence_url=evidence_url[:500],
        )

    seen_titles = set()
    for row, _ in data.rows("item_titles"):
        code = row.get("question")
        question = questions.get(code.lower()) if isinstance(code, str) else None
        if question is None or not question.is_oit:
            raise DossierError(f"{row.path}.question: ไม่มีรายการ OIT “{code}” ใน ITA {ita_year.year}")
        if question.title_known:
            raise DossierError(f"{row.path}.question: ข้อ {code} มีชื่อรายการในแค็ตตาล็อกแล้ว ไม่ต้องระบุ")
        if question.pk in seen_titles:
            raise DossierError(f"{row.path}.question: รายการ {code} ซ้ำกับแถวก่อนหน้า")
        seen_titles.add(question.pk)
        title = _line(row, "title", ItemTitle._meta.get_field("title").max_length)
        if title:
            ItemTitle.objects.create(assessment=assessment, question=question, title=title)
    return assessment


def _import_progress(prow, rounds) -> dict:
    as_of = prow.date("round")
    if as_of not in rounds:
        raise DossierError(f"{prow.path}.round: ไม่มีรอบรายงาน ณ {thai_date(as_of)} ({as_of}) ใน rounds")
    evidence = prow.get("evidence", [])
    for j, link in enumerate(evidence):
        if not isinstance(link, str) or not link or not is_safe_url(link):
            raise DossierError(f"{prow.path}.evidence[{j}]: ต้องเป็นลิงก์ http:// หรือ https://")
    return {
        "round": rounds[as_of],
        "status": prow.get("status"),
        "output": _text(prow, "output"),
        "outcome": _text(prow, "outcome"),
        "done_on": prow.date("done_on"),
        "evidence": "\n".join(str(e) for e in evidence),
    }


def _import_step(measure, order, reader, item, units, rounds):
    """A step is its text, or an object with its own period, units and per-round results."""
    if isinstance(item, str):  # check_shape has let only a text or an object through
        reader = _Reader({"text": item}, reader.path)
    text = _text(reader, "text")
    if not text.strip():
        raise DossierError(f"{reader.path}.text: ไม่มีค่า (จำเป็นต้องมี)")
    start = reader.date("period_start")
    end = reader.date("period_end")
    if start and end and end < start:
        raise DossierError(f"{reader.path}.period_end: สิ้นสุดก่อนวันเริ่ม")
    step = MeasureStep.objects.create(
        measure=measure,
        order=order,
        text=text,
        period_start=start,
        period_end=end,
        period_text=_line(reader, "period_text", 300),
        responsible_person=_line(reader, "responsible_person", 200),
        due_date=reader.date("due_date"),
    )
    step.units.set(_lookup(reader, "units", units, "ส่วนราชการ"))
    seen = set()
    for prow, _ in reader.rows("progress"):
        values = _import_progress(prow, rounds)
        if values["round"].pk in seen:
            raise DossierError(f"{prow.path}.round: รอบนี้ซ้ำในขั้นตอนเดียวกัน")
        seen.add(values["round"].pk)
        StepProgress.objects.create(step=step, **values)


def _text(row, key, limit=20_000):
    """A plain multi-line field, bounded like the forms' boxes (a 100,000-character cell is refused)."""
    value = plain_text(row.get(key))
    if len(value) > limit:
        raise DossierError(f"{row.path}.{key}: ยาวเกิน {limit:,} ตัวอักษร ({len(value):,})")
    return value


def _line(row, key, limit):
    """A one-line plain field: markup pasted from the web removed, at most `limit` characters."""
    value = " ".join(plain_text(row.get(key)).split())
    if len(value) > limit:
        raise DossierError(f"{row.path}.{key}: ยาวเกิน {limit} ตัวอักษร ({len(value)})")
    return value


def _lookup(row, key, table, label, normalise=lambda v: v):
    out = []
    for i, value in enumerate(row.get(key, [])):
        probe = normalise(value)  # the schema has checked the type: issue numbers, question codes, unit names
        if probe not in table:
            raise DossierError(f"{row.path}.{key}[{i}]: ไม่มี{label} “{value}”")
        out.append(table[probe])
    return out


__all__ = ["export_dossier", "import_dossier", "dumps", "DossierError"]
