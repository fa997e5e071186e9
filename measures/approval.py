"""Approval tied to content: an approval records a SHA-256 of what it covers.

- o34: the analysis of the seven issues, the limitations, and every measure with its steps;
- o35: the progress rows (per measure and per step, whatever progress models there are);
- oit: the OIT checklist.

Any edit after the approval changes the digest: the pages say "มีการแก้ไขหลังอนุมัติ" and
publishing is refused until a manager approves again. The digest is built from every concrete
field and many-to-many link of the rows (except ids, versions and timestamps), so fields added
later are covered without touching this module.
"""

import datetime
import hashlib
import json
from decimal import Decimal

from django.db import models

from assessments.models import Assessment

from .models import EvidenceFile, IssueAnalysis, Measure, MeasureStep, OitChecklistItem, Progress

# Not part of what is approved: bookkeeping, and the organisation's own follow-up of who does a
# measure by when (never printed in a report).
SKIP = {"id", "version", "updated_at", "created_at", "responsible_person", "due_date"}


class ApprovalState(models.TextChoices):
    NONE = "none", "ยังไม่อนุมัติ"
    APPROVED = "approved", "อนุมัติแล้ว"
    CHANGED = "changed", "มีการแก้ไขหลังอนุมัติ"


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj) -> dict:
    row = {f.attname: _plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.attname not in SKIP}
    for f in obj._meta.many_to_many:
        row[f.name] = sorted(o.pk for o in getattr(obj, f.name).all())
    return row


def _m2m(model, prefix=""):
    return [prefix + f.name for f in model._meta.many_to_many]


def _step_progress_models():
    """Progress kept per step (if the step model has such rows): (model, the FK field's name)."""
    return [
        (rel.related_model, rel.field.name)
        for rel in MeasureStep._meta.related_objects
        if "progress" in rel.related_model._meta.model_name
    ]


def covered(assessment: Assessment, kind: str) -> dict:
    """What an approval of `kind` covers, as plain data."""
    if kind == "o34":
        measures = (
            Measure.objects.filter(assessment=assessment)
            .prefetch_related("steps", *_m2m(Measure), *_m2m(MeasureStep, "steps__"))
            .order_by("pk")
        )
        return {
            "limitations": assessment.limitations,
            "analyses": [_row(a) for a in IssueAnalysis.objects.filter(assessment=assessment).order_by("issue_id")],
            "measures": [
                _row(m) | {"steps": [_row(s) for s in sorted(m.steps.all(), key=lambda s: s.pk)]} for m in measures
            ],
        }
    if kind == "o35":
        doc = {
            "progress": [
                _row(p)
                for p in Progress.objects.filter(measure__assessment=assessment).prefetch_related(*_m2m(Progress))
            ]
        }
        for model, fk in _step_progress_models():
            rows = model.objects.filter(**{f"{fk}__measure__assessment": assessment}).prefetch_related(*_m2m(model))
            doc[model._meta.model_name] = sorted((_row(r) for r in rows), key=lambda r: json.dumps(r, default=str))
        doc["progress"].sort(key=lambda r: (r["measure_id"], r["round_id"]))
        doc["files"] = _files(EvidenceFile.objects.of_measures(assessment))
        return doc
    if kind == "oit":
        items = OitChecklistItem.objects.filter(assessment=assessment).order_by("question_id")
        return {"checklist": [_row(c) for c in items], "files": _files(EvidenceFile.objects.of_oit(assessment))}
    raise ValueError(kind)


def _files(queryset) -> list:
    """Evidence files as what they are (target and content), so attaching or removing one after
    approval shows as a change."""
    rows = queryset.values_list("measure_id", "round_id", "oit_code", "sha256", "name")
    return sorted([list(r) for r in rows], key=lambda r: json.dumps(r, default=str))


def digest(assessment: Assessment, kind: str) -> str:
    text = json.dumps(covered(assessment, kind), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def state(assessment: Assessment, kind: str) -> ApprovalState:
    if not getattr(assessment, f"{kind}_approved_at"):
        return ApprovalState.NONE
    recorded = getattr(assessment, f"{kind}_approved_hash")
    if not recorded:  # approved before approvals recorded their content
        return ApprovalState.APPROVED
    return ApprovalState.APPROVED if digest(assessment, kind) == recorded else ApprovalState.CHANGED


def states(assessment: Assessment) -> dict:
    return {kind: state(assessment, kind) for kind in ("o34", "o35", "oit")}
