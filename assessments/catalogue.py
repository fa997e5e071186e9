"""Load per-year catalogue files (assessments/catalogue/<year>.yaml) into the database.

Idempotent: a second run with the same files changes nothing and says so.
"""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from .models import Indicator, Issue, IssueQuestion, ItaYear, LevelBand, Question, SubIndicator

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
SECTIONS = ("rules", "bands", "indicators", "questions", "issues")


class CatalogueError(Exception):
    pass


def read_year_files(directory=CATALOGUE_DIR):
    """Return {year: data} with `based_on` years resolved."""
    raw = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "year" not in data:
            raise CatalogueError(f"{path.name}: ไม่มีคีย์ year")
        raw[int(data["year"])] = data
    resolved = {}
    for year, data in raw.items():
        merged = dict(data)
        base = data.get("based_on")
        if base is not None:
            if int(base) not in raw:
                raise CatalogueError(f"ปี {year}: based_on {base} ไม่มีไฟล์")
            for section in SECTIONS:
                merged.setdefault(section, raw[int(base)].get(section))
        missing = [s for s in SECTIONS if not merged.get(s)]
        if missing:
            raise CatalogueError(f"ปี {year}: ขาดส่วน {', '.join(missing)}")
        resolved[year] = merged
    return resolved


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

    @property
    def changed(self):
        return sum(self.counts.values())

    def lines(self):
        words = {"created": "เพิ่ม", "updated": "แก้ไข", "deleted": "ลบ"}
        return [f"{name}: {words[action]} {n}" for (name, action), n in sorted(self.counts.items())]


def _dec(value):
    return Decimal(str(value))


@transaction.atomic
def load_year(data, report):
    rules = data["rules"]
    weights = rules.get("weights", {})
    year = report.upsert(
        ItaYear,
        {"year": int(data["year"])},
        {
            "confirmed": bool(data.get("confirmed", False)),
            "source": (data.get("source") or "").strip(),
            "notes": (data.get("notes") or "").strip(),
            "weight_iit": _dec(weights.get("IIT", "0.3")),
            "weight_eit": _dec(weights.get("EIT", "0.3")),
            "weight_oit": _dec(weights.get("OIT", "0.4")),
            "computes_overall": bool(rules.get("computes_overall", True)),
            "weak_threshold": _dec(rules.get("weak_threshold", "85")),
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
        report.prune(
            SubIndicator.objects.filter(indicator=ind).exclude(
                code__in=[str(s["code"]) for s in row.get("subindicators") or []]
            )
        )

    questions = {}
    for order, row in enumerate(data["questions"], start=1):
        code = str(row["code"]).lower()
        try:
            indicator = indicators[int(row["indicator"])]
            sub = subs[str(row["subindicator"])] if row.get("subindicator") else None
        except KeyError as exc:
            raise CatalogueError(f"ปี {year.year} ข้อ {code}: ไม่รู้จักตัวชี้วัด {exc}") from exc
        questions[code] = report.upsert(
            Question,
            {"ita_year": year, "code": code},
            {
                "instrument": indicator.instrument,
                "indicator": indicator,
                "subindicator": sub,
                "order": order,
                "text": " ".join(str(row["text"]).split()),
                "components": (row.get("components") or "").strip(),
                "notes": (row.get("notes") or "").strip(),
            },
        )

    for row in data["issues"]:
        issue = report.upsert(Issue, {"ita_year": year, "number": int(row["number"])}, {"name": row["name"]})
        codes = [str(c).lower() for c in row["questions"]]
        for order, code in enumerate(codes, start=1):
            if code not in questions:
                raise CatalogueError(f"ปี {year.year} ประเด็นที่ {issue.number}: ไม่มีข้อ {code}")
            report.upsert(IssueQuestion, {"issue": issue, "question": questions[code]}, {"order": order})
        report.prune(IssueQuestion.objects.filter(issue=issue).exclude(question__code__in=codes))
    report.prune(Issue.objects.filter(ita_year=year).exclude(number__in=[int(r["number"]) for r in data["issues"]]))

    for row in data["bands"]:
        report.upsert(LevelBand, {"ita_year": year, "label": row["label"]}, {"min_score": _dec(row["min"])})
    report.prune(LevelBand.objects.filter(ita_year=year).exclude(label__in=[r["label"] for r in data["bands"]]))

    report.prune(Question.objects.filter(ita_year=year).exclude(code__in=list(questions)))
    report.prune(Indicator.objects.filter(ita_year=year).exclude(number__in=list(indicators)))
    return year


def load_catalogue(directory=CATALOGUE_DIR, years=None):
    """Load every year file (or only `years`); returns the report of what changed."""
    report = _Report()
    files = read_year_files(directory)
    with transaction.atomic():
        for year in sorted(files):
            if years and year not in years:
                continue
            load_year(files[year], report)
    return report
