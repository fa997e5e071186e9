"""Load per-year catalogue files (assessments/catalogue/<year>.yaml) into the database, check
them without loading, and write a year back out as YAML.

Idempotent: a second run with the same files changes nothing and says so. Every problem with a
file is a CatalogueError whose Thai message names the file, the line, the path and the field.
"""

import datetime
import json
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import ProtectedError
from jsonschema import Draft202012Validator

from .models import (
    Confidence,
    Indicator,
    Issue,
    IssueQuestion,
    ItaYear,
    LevelRule,
    Question,
    SubIndicator,
)

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "catalogue.schema.json"
SECTIONS = ("rules", "levels", "indicators", "questions", "issues")
MAX_ERRORS = 10


class CatalogueError(Exception):
    """A catalogue file is wrong; the message is Thai and names where."""


# --- reading and checking files ------------------------------------------------------------


class YearFile:
    """One YAML file: its data and the node tree that knows each value's line."""

    def __init__(self, path: Path, text: str | None = None):
        self.path = Path(path)
        self.name = self.path.name
        try:
            text = self.path.read_text(encoding="utf-8") if text is None else text
        except UnicodeDecodeError as exc:
            raise CatalogueError(f"{self.name}: อ่านไฟล์ไม่ได้ ต้องเป็นข้อความ UTF-8 ({exc.reason})") from exc
        except OSError as exc:
            raise CatalogueError(f"{self.name}: เปิดไฟล์ไม่ได้ ({exc.strerror})") from exc
        try:
            self.node = yaml.compose(text)
            self.data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" บรรทัด {mark.line + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise CatalogueError(f"{self.name}{where}: รูปแบบ YAML ไม่ถูกต้อง ({problem})") from exc
        if not isinstance(self.data, dict):
            raise CatalogueError(f"{self.name} บรรทัด 1: ไฟล์ต้องเป็นชุดคีย์ (year:, questions: …)")

    def line(self, path) -> int | None:
        """The line of the value at `path` (keys and indexes), or of its nearest parent."""
        node, line = self.node, 1
        for part in path:
            if node is None:
                break
            line = node.start_mark.line + 1
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                node = None
        if node is not None:
            line = node.start_mark.line + 1
        return line

    def error(self, path, message) -> str:
        return f"{self.name} บรรทัด {self.line(path)} ({format_path(path)}): {message}"


def format_path(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(ทั้งไฟล์)"


@cache
def _validator():
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


_TYPES = {
    "integer": "จำนวนเต็ม",
    "number": "ตัวเลข",
    "string": "ข้อความ",
    "boolean": "true หรือ false",
    "array": "รายการ (- …)",
    "object": "ชุดคีย์",
    "null": "ค่าว่าง",
}


def _thai_message(err) -> str:
    v, value, instance = err.validator, err.validator_value, err.instance
    if v == "required":
        missing = [k for k in value if k not in instance]
        return f"ขาดช่อง “{', '.join(missing)}”"
    if v == "additionalProperties":
        allowed = set(err.schema.get("properties", {}))
        extra = [k for k in instance if k not in allowed]
        return f"ไม่รู้จักช่อง “{', '.join(map(str, extra))}”"
    if v == "type":
        return f"ต้องเป็น{_TYPES.get(value, value)} (พบ “{instance}”)"
    if v == "enum":
        return f"ต้องเป็นค่าใดค่าหนึ่งใน {', '.join(map(str, value))} (พบ “{instance}”)"
    if v in ("minimum", "maximum"):
        return f"ค่า {instance} อยู่นอกช่วงที่รับได้"
    if v == "minLength":
        return "ต้องไม่ว่าง"
    if v == "maxLength":
        return f"ยาวเกิน {value} ตัวอักษร"
    if v == "minItems":
        return "ต้องมีอย่างน้อยหนึ่งรายการ"
    defs = _validator().schema["$defs"]
    schema_text = json.dumps(err.schema)

    def uses(name):
        return err.schema == defs[name] or f"#/$defs/{name}" in schema_text

    if uses("score"):
        return f"คะแนน “{instance}” ไม่ถูกต้อง (ต้องเป็น 0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง)"
    if uses("weight"):
        return f"น้ำหนัก “{instance}” ไม่ถูกต้อง (ต้องเป็น 0–1 เช่น 0.3)"
    if uses("code"):
        return f"รหัสข้อ “{instance}” ไม่ถูกต้อง (ต้องเป็น i, e หรือ o ตามด้วยตัวเลข เช่น i1, O25)"
    if v == "pattern":
        return f"รูปแบบของ “{instance}” ไม่ถูกต้อง"
    if "derived" in schema_text:
        return "ต้องเป็นรายการประเด็น หรือคำว่า derived"
    return f"ค่า “{instance}” ไม่ถูกต้อง"


def check_schema(year_file: YearFile):
    errors = sorted(_validator().iter_errors(year_file.data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = [year_file.error(list(e.absolute_path), _thai_message(e)) for e in errors[:MAX_ERRORS]]
        if len(errors) > MAX_ERRORS:
            lines.append(f"… และอีก {len(errors) - MAX_ERRORS} จุด")
        raise CatalogueError("\n".join(lines))


class Resolved:
    """One year's sections after based_on, with the file each section came from (for messages)."""

    def __init__(self, year_file: YearFile):
        self.year = int(year_file.data["year"])
        self.file = year_file
        self.data = dict(year_file.data)
        self.origin = {key: year_file for key in self.data}

    def error(self, path, message) -> CatalogueError:
        origin = self.origin.get(path[0], self.file) if path else self.file
        return CatalogueError(origin.error(path, message))


def _copy_from(target: Resolved, base: Resolved):
    """Fill the sections the file does not give from its base year. Copied items continue the
    base year's item of the same code, and are marked inferred: nothing confirms them for this year."""
    for section in (*SECTIONS, "reports", "issues_derived"):
        if section in target.data or section not in base.data:
            continue
        value = base.data[section]
        if section == "questions":
            value = [
                {
                    **q,
                    "continues": [q["code"]],
                    "confidence": "unknown" if q.get("confidence") == "unknown" else "inferred",
                    "source": f"สำเนาจาก ITA {base.year}",
                }
                for q in value
            ]
            target.data.setdefault("lineage_from", base.year)
            target.origin.setdefault("lineage_from", target.file)
        target.data[section] = value
        target.origin[section] = base.origin.get(section, base.file)


def read_year_files(directory=CATALOGUE_DIR, paths: list[Path] | None = None) -> dict[int, Resolved]:
    """Return {year: Resolved} for every *.yaml in `directory` (or the given `paths`), checked
    against the schema, with based_on years resolved and the cross-references checked."""
    files = {}
    for path in paths if paths is not None else sorted(Path(directory).glob("*.yaml")):
        year_file = YearFile(path)
        check_schema(year_file)
        files[int(year_file.data["year"])] = Resolved(year_file)
    done = set()

    def resolve(year, seen=()):
        if year in done:
            return files[year]
        item = files[year]
        base = item.data.get("based_on")
        if base is not None:
            if base not in files:
                raise item.error(["based_on"], f"ไม่มีไฟล์ของปี {base} ให้คัดลอก")
            if base in seen:
                raise item.error(["based_on"], "คัดลอกวนกันระหว่างปี")
            _copy_from(item, resolve(base, (*seen, year)))
        done.add(year)
        return item

    for year in list(files):
        resolve(year)
    for year in sorted(files):
        check_references(files[year], files)
    return files


def check_references(item: Resolved, files: dict[int, Resolved]):
    """Check what the schema cannot: every code and number a section names exists."""
    data = item.data
    missing = [s for s in SECTIONS if s not in data]
    if missing:
        raise item.error([], f"ปี {item.year}: ขาดส่วน {', '.join(missing)} (ใส่ในไฟล์ หรือใช้ based_on)")
    numbers, subs = set(), set()
    for i, row in enumerate(data["indicators"]):
        if row["number"] in numbers:
            raise item.error(["indicators", i, "number"], f"ตัวชี้วัดที่ {row['number']} ซ้ำ")
        numbers.add(row["number"])
        subs.update(s["code"] for s in row.get("subindicators") or [])
    codes = set()
    for i, row in enumerate(data["questions"]):
        code = row["code"].lower()
        if code in codes:
            raise item.error(["questions", i, "code"], f"รหัสข้อ {row['code']} ซ้ำ")
        codes.add(code)
        if row["indicator"] not in numbers:
            raise item.error(["questions", i, "indicator"], f"ไม่รู้จักตัวชี้วัดที่ {row['indicator']}")
        if row.get("subindicator") and row["subindicator"] not in subs:
            raise item.error(["questions", i, "subindicator"], f"ไม่รู้จักตัวชี้วัดย่อย {row['subindicator']}")
    previous = _lineage_codes(item, files)
    for i, row in enumerate(data["questions"]):
        for j, code in enumerate(row.get("continues") or []):
            if previous is None:
                raise item.error(["questions", i, "continues"], "ใช้ “continues” ต้องระบุ lineage_from (ปีที่อ้างถึง)")
            if previous is not False and code.lower() not in previous:
                raise item.error(["questions", i, "continues", j], f"ไม่มีข้อ {code} ใน ITA {data['lineage_from']}")
    if data["issues"] == "derived":
        if not data.get("lineage_from"):
            raise item.error(["issues"], "อนุมานประเด็นได้ต้องระบุ lineage_from")
    else:
        seen = set()
        for i, row in enumerate(data["issues"]):
            if row["number"] in seen:
                raise item.error(["issues", i, "number"], f"ประเด็นที่ {row['number']} ซ้ำ")
            seen.add(row["number"])
            for j, code in enumerate(row["questions"]):
                if code.lower() not in codes:
                    raise item.error(["issues", i, "questions", j], f"ไม่มีข้อ {code} ในปีนี้")
    for kind, code in (data.get("reports") or {}).items():
        if code and code.lower() not in codes:
            raise item.error(["reports", kind], f"ไม่มีข้อ {code} ในปีนี้")
    calendar = data.get("calendar") or {}
    for key in ("oit_opens", "oit_closes"):
        try:
            _iso_date(calendar.get(key))
        except ValueError:
            raise item.error(["calendar", key], f"ไม่มีวันที่ “{calendar[key]}” (ใช้ ปี-เดือน-วัน ค.ศ.)") from None
    if calendar.get("oit_opens") and calendar.get("oit_closes") and calendar["oit_opens"] > calendar["oit_closes"]:
        raise item.error(["calendar", "oit_closes"], "วันปิดการตอบ OIT ต้องไม่ก่อนวันเปิด")
    labels = set()
    for i, row in enumerate(data["levels"]):
        if row["label"] in labels:
            raise item.error(["levels", i, "label"], f"ระดับ “{row['label']}” ซ้ำ")
        labels.add(row["label"])


def _lineage_codes(item: Resolved, files):
    """Lower-case codes of the lineage year (None: no lineage_from; False: checked at load time)."""
    year = item.data.get("lineage_from")
    if not year:
        return None
    if year in files:
        return {q["code"].lower() for q in files[year].data["questions"]}
    codes = set(Question.objects.filter(ita_year__year=year).values_list("code", flat=True))
    if not codes:
        raise item.error(["lineage_from"], f"ไม่มีแค็ตตาล็อก ITA {year} ในไฟล์หรือในฐานข้อมูล")
    return {c.lower() for c in codes}


def check_file(path: Path, directory=CATALOGUE_DIR) -> Resolved:
    """Check one file (with the other files of `directory` for based_on and lineage) without loading."""
    path = Path(path)
    others = [p for p in Path(directory).glob("*.yaml") if p.resolve() != path.resolve()]
    year_file = YearFile(path)
    check_schema(year_file)
    year = int(year_file.data["year"])
    keep = []
    for other in others:
        try:
            other_year = int(yaml.safe_load(other.read_text(encoding="utf-8"))["year"])
        except Exception:  # a broken neighbour is not this file's problem
            continue
        if other_year != year:
            keep.append(other)
    return read_year_files(paths=[*keep, path])[year]


# --- loading -----------------------------------------------------------------------------


class _Report:
    def __init__(self):
        self.counts = Counter()

    def upsert(self, model, lookup, values):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            self.counts[(model._meta.verbose_name, "created")] += 1
            return obj
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            obj.save(update_fields=changed)
            self.counts[(model._meta.verbose_name, "updated")] += 1
        return obj

    def prune(self, queryset):
        n = queryset.count()
        if n:
            queryset.delete()
            self.counts[(queryset.model._meta.verbose_name, "deleted")] += n

    def note(self, name, action, n=1):
        self.counts[(name, action)] += n

    @property
    def changed(self):
        return sum(self.counts.values())

    def lines(self):
        words = {"created": "เพิ่ม", "updated": "แก้ไข", "deleted": "ลบ"}
        return [f"{name}: {words[action]} {n}" for (name, action), n in sorted(self.counts.items())]


def _dec(value):
    return None if value is None else Decimal(str(value))


def _text(value):
    return (value or "").strip()


def _iso_date(value):
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_year(item: Resolved, report: _Report):
    data = item.data
    rules = data["rules"]
    weights = rules.get("weights", {})
    reports = data.get("reports") or {}
    calendar = data.get("calendar") or {}
    derived = data["issues"] == "derived"
    year = report.upsert(
        ItaYear,
        {"year": item.year},
        {
            "confirmed": bool(data.get("confirmed", False)),
            "source": _text(data.get("source")),
            "notes": _text(data.get("notes")),
            "weight_iit": _dec(weights.get("IIT", "0.3")),
            "weight_eit": _dec(weights.get("EIT", "0.3")),
            "weight_oit": _dec(weights.get("OIT", "0.4")),
            "computes_overall": bool(rules.get("computes_overall", True)),
            "weak_threshold": _dec(rules.get("weak_threshold", "85")),
            "report_o34": reports.get("o34") or "",
            "report_o35": reports.get("o35") or "",
            "oit_opens": _iso_date(calendar.get("oit_opens")),
            "oit_closes": _iso_date(calendar.get("oit_closes")),
            "calendar_source": _text(calendar.get("source"))[:300],
            "lineage_from": data.get("lineage_from"),
            "issues_derived": derived or bool(data.get("issues_derived", False)),
        },
    )

    indicators, subs = {}, {}
    for row in data["indicators"]:
        ind = report.upsert(
            Indicator,
            {"ita_year": year, "number": int(row["number"])},
            {"name": row["name"], "instrument": row["instrument"], "method": row["method"]},
        )
        indicators[ind.number] = ind
        for order, sub in enumerate(row.get("subindicators") or [], start=1):
            s = report.upsert(
                SubIndicator, {"indicator": ind, "code": str(sub["code"])}, {"name": sub["name"], "order": order}
            )
            subs[s.code] = s

    # Codes are kept as the year writes them (o1 in 2567, O1 from 2568) and matched ignoring case.
    existing = {q.code.lower(): q for q in Question.objects.filter(ita_year=year)}
    questions = {}
    for order, row in enumerate(data["questions"], start=1):
        code = row["code"]
        indicator = indicators[int(row["indicator"])]
        values = {
            "code": code,
            "instrument": indicator.instrument,
            "indicator": indicator,
            "subindicator": subs[row["subindicator"]] if row.get("subindicator") else None,
            "order": order,
            "text": " ".join(str(row["text"]).split()),
            "components": _text(row.get("components")),
            "notes": _text(row.get("notes")),
            "confidence": row.get("confidence") or Confidence.CONFIRMED,
            "source": _text(row.get("source")),
        }
        current = existing.get(code.lower())
        if current is not None and current.code != code:
            report.upsert(Question, {"pk": current.pk}, values)
            questions[code.lower()] = Question.objects.get(pk=current.pk)
        else:
            values.pop("code")
            questions[code.lower()] = report.upsert(Question, {"ita_year": year, "code": code}, values)
    report.prune(Question.objects.filter(ita_year=year).exclude(pk__in=[q.pk for q in questions.values()]))
    # Only now that the year's old items are gone can the sub-indicators they pointed at go.
    for row in data["indicators"]:
        keep = [str(sub["code"]) for sub in row.get("subindicators") or []]
        report.prune(SubIndicator.objects.filter(indicator=indicators[int(row["number"])]).exclude(code__in=keep))

    _load_lineage(year, data, questions, report)

    if derived:
        issues = derive_issues(year, questions)
    else:
        issues = [(int(r["number"]), r["name"], [c.lower() for c in r["questions"]]) for r in data["issues"]]
    for number, name, codes in issues:
        issue = report.upsert(Issue, {"ita_year": year, "number": number}, {"name": name})
        for order, code in enumerate(codes, start=1):
            report.upsert(IssueQuestion, {"issue": issue, "question": questions[code]}, {"order": order})
        report.prune(IssueQuestion.objects.filter(issue=issue).exclude(question__in=[questions[c] for c in codes]))
    report.prune(Issue.objects.filter(ita_year=year).exclude(number__in=[n for n, _, _ in issues]))

    labels = []
    for order, row in enumerate(data["levels"], start=1):
        labels.append(row["label"])
        values = {
            "order": order,
            "min_overall": _dec(row["min"]),
            "min_iit": _dec(row.get("min_iit")),
            "min_eit": _dec(row.get("min_eit")),
            "min_oit": _dec(row.get("min_oit")),
            "source": _text(row.get("source")),
        }
        rule = LevelRule.objects.filter(ita_year=year, label=row["label"]).first()
        clash = LevelRule.objects.filter(ita_year=year, order=order).exclude(label=row["label"])
        if clash.exists():  # the order is unique: move the old holder out of the way first
            clash.update(order=1000 + order)
        if rule is None or any(getattr(rule, k) != v for k, v in values.items()):
            report.upsert(LevelRule, {"ita_year": year, "label": row["label"]}, values)
    report.prune(LevelRule.objects.filter(ita_year=year).exclude(label__in=labels))

    report.prune(Indicator.objects.filter(ita_year=year).exclude(number__in=list(indicators)))
    return year


def _load_lineage(year, data, questions, report):
    lineage_year = data.get("lineage_from")
    previous = {}
    if lineage_year:
        previous = {q.code.lower(): q for q in Question.objects.filter(ita_year__year=lineage_year)}
    through = Question.continues.through
    wanted = set()
    for row in data["questions"]:
        question = questions[row["code"].lower()]
        for code in row.get("continues") or []:
            wanted.add((question.pk, previous[code.lower()].pk))
    current = set(
        through.objects.filter(from_question__ita_year=year).values_list("from_question_id", "to_question_id")
    )
    added, removed = wanted - current, current - wanted
    through.objects.bulk_create([through(from_question_id=a, to_question_id=b) for a, b in sorted(added)])
    for a, b in removed:
        through.objects.filter(from_question_id=a, to_question_id=b).delete()
    if added:
        report.note("สายรายการระหว่างปี", "created", len(added))
    if removed:
        report.note("สายรายการระหว่างปี", "deleted", len(removed))


def derive_issues(year: ItaYear, questions: dict):
    """Issues of the lineage year, each holding this year's items that continue one of its items."""
    previous = (
        Issue.objects.filter(ita_year__year=year.lineage_from)
        .prefetch_related("issuequestion_set__question")
        .order_by("number")
    )
    successors = {}
    for q in sorted(questions.values(), key=lambda q: q.order):
        for old in q.continues.all():
            successors.setdefault(old.pk, []).append(q)
    out = []
    for issue in previous:
        codes = []
        for link in sorted(issue.issuequestion_set.all(), key=lambda x: x.order):
            for q in successors.get(link.question_id, []):
                if q.code.lower() not in codes:
                    codes.append(q.code.lower())
        out.append((issue.number, issue.name, codes))
    if not out:
        raise CatalogueError(f"ปี {year.year}: อนุมานประเด็นไม่ได้ เพราะ ITA {year.lineage_from} ไม่มีประเด็น")
    return out


def load_catalogue(directory=CATALOGUE_DIR, years=None, paths=None):
    """Load every year file (or only `years`); returns the report of what changed."""
    report = _Report()
    files = read_year_files(directory, paths=paths)
    try:
        with transaction.atomic():
            for year in sorted(files):
                if years and year not in years:
                    continue
                load_year(files[year], report)
    except ProtectedError as exc:
        names = ", ".join(sorted({str(obj) for obj in exc.protected_objects})[:5])
        raise CatalogueError(f"ลบรายการที่มีข้อมูลของหน่วยงานอ้างถึงอยู่ไม่ได้ ({names})") from exc
    return report


# --- writing a year back out -------------------------------------------------------------


def _num(value):
    return None if value is None else format(value.normalize(), "f")


def dump_year(year: int) -> dict:
    """The year as it stands in the database, in the file format (every section written out)."""
    ita = ItaYear.objects.get(year=year)
    questions = list(
        Question.objects.filter(ita_year=ita)
        .select_related("indicator", "subindicator")
        .prefetch_related("continues")
        .order_by("order")
    )
    out = {
        "year": ita.year,
        "confirmed": ita.confirmed,
        "source": ita.source,
        "notes": ita.notes,
    }
    if ita.lineage_from:
        out["lineage_from"] = ita.lineage_from
    out["reports"] = {"o34": ita.report_o34 or None, "o35": ita.report_o35 or None}
    if ita.oit_opens or ita.oit_closes:
        out["calendar"] = {
            "oit_opens": ita.oit_opens.isoformat() if ita.oit_opens else None,
            "oit_closes": ita.oit_closes.isoformat() if ita.oit_closes else None,
            "source": ita.calendar_source,
        }
        out["calendar"] = {k: v for k, v in out["calendar"].items() if v}
    out["rules"] = {
        "weights": {"IIT": _num(ita.weight_iit), "EIT": _num(ita.weight_eit), "OIT": _num(ita.weight_oit)},
        "computes_overall": ita.computes_overall,
        "weak_threshold": _num(ita.weak_threshold),
    }
    out["levels"] = []
    for rule in ita.level_rules.order_by("order"):
        row = {"label": rule.label, "min": _num(rule.min_overall)}
        for key in ("min_iit", "min_eit", "min_oit"):
            if getattr(rule, key) is not None:
                row[key] = _num(getattr(rule, key))
        if rule.source:
            row["source"] = rule.source
        out["levels"].append(row)
    out["indicators"] = []
    for ind in ita.indicators.prefetch_related("subindicators").order_by("number"):
        row = {"number": ind.number, "name": ind.name, "instrument": ind.instrument, "method": ind.method}
        subs = [{"code": s.code, "name": s.name} for s in ind.subindicators.order_by("order")]
        if subs:
            row["subindicators"] = subs
        out["indicators"].append(row)
    out["questions"] = []
    for q in questions:
        row = {"code": q.code, "indicator": q.indicator.number}
        if q.subindicator:
            row["subindicator"] = q.subindicator.code
        row["text"] = q.text
        for key in ("components", "notes", "source"):
            if getattr(q, key):
                row[key] = getattr(q, key)
        if q.confidence != Confidence.CONFIRMED:
            row["confidence"] = q.confidence
        previous = sorted(q.continues.all(), key=lambda p: p.order)
        if previous:
            row["continues"] = [p.code for p in previous]
        out["questions"].append(row)
    if ita.issues_derived:
        out["issues_derived"] = True
    out["issues"] = [
        {
            "number": issue.number,
            "name": issue.name,
            "questions": [link.question.code for link in issue.issuequestion_set.order_by("order")],
        }
        for issue in ita.issues.prefetch_related("issuequestion_set__question").order_by("number")
    ]
    return out


def dump_yaml(year: int) -> str:
    header = (
        f"# ITA catalogue for ITA year {year}, written by `manage.py dump_catalogue --year {year}`.\n"
        "# Load with `manage.py load_catalogue`; format: docs/catalogue.md\n"
    )
    return header + yaml.safe_dump(dump_year(year), allow_unicode=True, sort_keys=False, width=120)
