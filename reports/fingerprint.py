"""The canonical JSON of a built Report, and the SHA-256 an approval records of it.

The approval fingerprint is taken from the Report itself (reports/data.build): every text, number,
name, introduction and link the report prints is in it, so anything printed is covered by
construction, whatever model it comes from (docs/security.md, "Approvals").
"""

import dataclasses
import datetime
import hashlib
import json

from django.db import models


def plain(value):
    """The report data as JSON-able values: dataclasses and model rows become dicts of their fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, models.Model):
        fields = {f.attname: plain(f.value_from_object(value)) for f in value._meta.concrete_fields}
        return {"model": value._meta.label, **fields}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # Decimal and anything else: its exact text


def canonical_json(report) -> str:
    return json.dumps(plain(report), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def approval_fingerprint(report) -> str:
    """SHA-256 of what the report prints.

    The options are left out as such: their effect is printed (digits, introductions, grouping,
    the round, who signs), except the digits of the page counters, kept. An option that changes
    nothing printed (the o35 round on an o34 report) does not undo an approval. A report dated
    "today" (no report date chosen) is approved for whichever day it is published on.
    """
    doc = plain(report)
    doc["opts"] = {"digits": report.opts.digits}
    if report.opts.report_date is None:
        doc.pop("date_text")
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
