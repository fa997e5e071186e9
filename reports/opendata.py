"""Open data of a published report: JSON and CSV in a documented schema (docs/open-data.md).

Rich text becomes plain text; scores are numbers. JSON is for machines: ISO dates (Common
Era) and status codes. CSV is opened by people in a spreadsheet: dates in the Buddhist Era and
statuses in Thai, as on the report.
"""

import csv
import datetime
import io
import json

from django.db.models import Prefetch

from assessments.richtext import to_plain
from assessments.services import score_sheet
from assessments.thai import thai_date
from measures import evidence
from measures.models import (
    ChecklistStatus,
    EvidenceFile,
    Measure,
    OitChecklistItem,
    ProgressStatus,
    StepProgress,
    numbered,
)
from measures.services import item_titles

from .data import chosen_round


def _title(question, typed):
    """As the report prints it: the catalogue's title, else the organisation's, else empty."""
    return question.text if question.title_known else typed.get(question.id, "")


SCHEMA = "ita-portal-open-data/1"


def _measure(m, number, progress=None):
    row = {
        "number": number,  # the measure's one number, as the reports print it (measures.models.numbered)
        "order": m.order,
        "title": m.title,
        "issues": sorted(i.number for i in m.issues.all()),
        "questions": [q.code for q in sorted(m.questions.all(), key=lambda q: q.order)],
        "steps": [s.text for s in m.steps.all()],
        "responsible_units": [u.name for u in sorted(m.units.all(), key=lambda u: (u.order, u.id))],
        "period_start": m.period_start.isoformat() if m.period_start else None,
        "period_end": m.period_end.isoformat() if m.period_end else None,
        "period_text": m.period_text,
        "follow_up": to_plain(m.follow_up),
    }
    if progress is not None:
        row["progress"] = progress
    return row


def document(kind, assessment, opts, number, published_at) -> dict:
    org = assessment.organisation
    doc = {
        "schema": SCHEMA,
        "kind": kind,
        "version": number,
        "published_at": published_at.isoformat() if published_at else None,  # set when stored
        "organisation": {
            "slug": org.slug,
            "name": org.name,
            "type": org.get_org_type_display(),
            "district": org.district,
            "province": org.province,
        },
        "fiscal_year": assessment.fiscal_year,
        "ita_year": assessment.ita_year.year,
    }
    round_ = chosen_round(assessment, opts) if kind == "o35" else None
    measures = Measure.objects.filter(assessment=assessment).for_report().prefetch_related("progress__round")
    if kind == "o35":
        in_round = StepProgress.objects.filter(round=round_)
        measures = measures.prefetch_related(Prefetch("steps__progress", queryset=in_round, to_attr="in_round"))
    measures = list(measures)
    numbers = numbered(measures)
    typed = item_titles(assessment) if kind in ("o34", "oit") else {}
    if kind == "o34":
        sheet = score_sheet(assessment)
        doc["results"] = {
            "overall_score": _num(assessment.overall_score),
            "level": assessment.level,
            "indicators": [
                {
                    "number": i.number,
                    "name": i.name,
                    "instrument": i.instrument,
                    "score": _num(sheet.indicator_scores.get(i.number)),
                }
                for i in sheet.indicators
            ],
            "questions": [
                {
                    "code": q.code,
                    "instrument": q.instrument,
                    "text": _title(q, typed),
                    "score": _num(sheet.question_scores.get(q.code)),
                }
                for q in sheet.questions
            ],
        }
        doc["analysis"] = [
            {
                "issue": a.issue.number,
                "issue_name": a.issue.name,
                "analysis": to_plain(a.analysis),
                "improvement": to_plain(a.improvement),
            }
            for a in assessment.analyses.select_related("issue").order_by("issue__number")
        ]
        doc["limitations"] = to_plain(assessment.limitations)
        doc["measures"] = [_measure(m, numbers[m.pk]) for m in measures]
    elif kind == "o35":
        files = evidence.grouped(
            EvidenceFile.objects.in_round(assessment, round_),
            "measure_id",
            evidence.url,
        )
        doc["round"] = {"name": round_.name, "as_of": round_.as_of.isoformat()} if round_ else None
        rows = []
        for m in measures:
            p = next((p for p in m.progress.all() if round_ and p.round_id == round_.id), None)
            progress = {
                "status": p.status if p else "not_started",
                "output": to_plain(p.output) if p else "",
                "outcome": to_plain(p.outcome) if p else "",
                "done_on": p.done_on.isoformat() if p and p.done_on else None,
                # typed links, then the files attached (their addresses on this site), as the PDF prints them
                "evidence": (p.evidence_links if p else []) + files.get(m.id, []),
                # each step's own result in the round, as the report prints it (none typed: not listed)
                "steps": [_result(i, s.in_round[0]) for i, s in enumerate(m.steps.all(), start=1) if s.in_round],
            }
            rows.append(_measure(m, numbers[m.pk], progress))
        doc["measures"] = rows
    else:
        items = {
            c.question_id: c for c in OitChecklistItem.objects.filter(assessment=assessment).select_related("unit")
        }
        files = evidence.grouped(EvidenceFile.objects.of_oit(assessment), "oit_code", evidence.url)
        doc["items"] = [
            {
                "code": q.code,
                "title": _title(q, typed),
                "subindicator": q.subindicator.code if q.subindicator else None,
                "responsible_unit": items[q.id].unit.name if q.id in items and items[q.id].unit else None,
                "status": items[q.id].status if q.id in items else "not_done",
                "description": to_plain(items[q.id].description) if q.id in items else "",
                "evidence_url": items[q.id].evidence_url if q.id in items else "",
                "evidence_files": files.get(q.code, []),
            }
            for q in assessment.ita_year.questions.filter(instrument="OIT")
            .select_related("subindicator")
            .order_by("order")
        ]
    return doc


def _result(number, r) -> dict:
    return {
        "step": number,
        "status": r.status,
        "output": to_plain(r.output),
        "outcome": to_plain(r.outcome),
        "done_on": r.done_on.isoformat() if r.done_on else None,
        "evidence": r.evidence_links,
    }


def _num(value):
    return None if value is None else float(value)


def to_json(doc) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


CSV_COLUMNS = {
    "o34": [
        "ลำดับ",
        "มาตรการ/โครงการ/กิจกรรม",
        "ประเด็น",
        "ขั้นตอน/วิธีปฏิบัติ",
        "ผู้รับผิดชอบ",
        "วันเริ่ม",
        "วันสิ้นสุด",
        "ระยะเวลา (ข้อความ)",
        "การติดตามผล",
    ],
    "o35": [
        "ลำดับ",
        "มาตรการ/โครงการ/กิจกรรม",
        "ประเด็น",
        "ขั้นตอน/วิธีปฏิบัติ",
        "ผู้รับผิดชอบ",
        "วันเริ่ม",
        "วันสิ้นสุด",
        "ระยะเวลา (ข้อความ)",
        "สถานะ",
        "ผลการดำเนินการ",
        "ผลลัพธ์/ผลสัมฤทธิ์",
        "หลักฐาน",
        "ผลรายขั้นตอน",
    ],
    "oit": ["ข้อ", "ข้อมูล", "ตัวชี้วัดย่อย", "ผู้รับผิดชอบ", "สถานะ", "ความก้าวหน้าผลการดำเนินการ", "URL หลักฐาน"],
}


# A cell that starts with one of these is run as a formula by Excel and LibreOffice
# ("=HYPERLINK(…)", "+cmd|…", "-2+3", "@SUM(…)"); such text cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A text cell as a spreadsheet shows it, never as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, out):
        self._writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row):
        self._writer.writerow([csv_cell(v) for v in row])


def _thai_date(iso):
    """A spreadsheet is read by people: dates as on the report (1 ตุลาคม 2567); JSON keeps ISO."""
    return thai_date(datetime.date.fromisoformat(iso)) if iso else ""


def _label(choices, value):
    return choices(value).label if value in choices.values else (value or "")


def _step_line(s) -> str:
    """A step's result in one cell line: "ขั้นตอนที่ 3 (ดำเนินการแล้ว): output / outcome"."""
    said = " / ".join(filter(None, [s["output"], s["outcome"], *s["evidence"]]))
    return f"ขั้นตอนที่ {s['step']} ({_label(ProgressStatus, s['status'])})" + (f": {said}" if said else "")


def to_csv(doc) -> bytes:
    """UTF-8 with BOM, so Excel opens Thai correctly; one row per measure or OIT item.

    Text cells that a spreadsheet would run as a formula are escaped (csv_cell).
    """
    out = io.StringIO()
    writer = _SafeWriter(out)
    kind = doc["kind"]
    writer.writerow(CSV_COLUMNS[kind])
    if kind == "oit":
        for item in doc["items"]:
            writer.writerow(
                [
                    item["code"],
                    item["title"],
                    item["subindicator"] or "",
                    item["responsible_unit"] or "",
                    _label(ChecklistStatus, item["status"]),
                    item["description"],
                    "\n".join(filter(None, [item["evidence_url"], *item["evidence_files"]])),
                ]
            )
    else:
        for m in doc["measures"]:
            row = [
                m["number"],
                m["title"],
                " ".join(str(i) for i in m["issues"]),
                "\n".join(f"{i}. {s}" for i, s in enumerate(m["steps"], start=1)),
                ", ".join(m["responsible_units"]),
                _thai_date(m["period_start"]),
                _thai_date(m["period_end"]),
                m["period_text"],
            ]
            if kind == "o34":
                row.append(m["follow_up"])
            else:
                p = m["progress"]
                row += [_label(ProgressStatus, p["status"]), p["output"], p["outcome"], "\n".join(p["evidence"])]
                row.append("\n".join(_step_line(s) for s in p.get("steps", [])))
            writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
