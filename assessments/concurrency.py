"""Compare-and-swap for pages that edit many shared values at once (analysis, results grid).

A page remembers a fingerprint of every value it showed ("seen"). On save, under a row lock
on the assessment, each submitted value is compared with what the page showed and with what
is stored now:

- the user left a value as shown        -> the stored value stays (a stale page never overwrites);
- the user changed it, nobody else did  -> it is written;
- both changed it (to different texts)  -> a conflict: nothing is written, the user's text is
  kept in the form, and the page shows the other person's text.

So two people editing different issues both keep their work, and the same issue is never
silently overwritten. See docs/security.md.
"""

import datetime
import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.db import models, transaction
from django.utils.html import strip_tags

from .models import Assessment
from .services import DomainError, lock_assessment_id, save_scores, score_sheet  # noqa: F401 (re-exported)
from .thai import to_arabic

CONFLICT_MESSAGE = (
    "มีผู้อื่นบันทึกข้อความในช่องเดียวกันไปก่อนแล้วระหว่างที่คุณแก้ไข ระบบยังไม่ได้บันทึกสิ่งที่คุณแก้ "
    "ข้อความของคุณยังอยู่ในช่องเดิม และฉบับของผู้อื่นแสดงไว้ใต้ช่อง ตรวจสอบแล้วกดบันทึกอีกครั้งเพื่อใช้ฉบับของคุณ"
)


class ConcurrentEditError(DomainError):
    """Someone else changed a value this user also changed. `current` holds the stored values."""

    def __init__(self, fields, current, message=CONFLICT_MESSAGE, shown=None):
        super().__init__(message)
        self.fields = list(fields)
        self.current = current
        self.shown = shown or {}  # how a stored value reads to a person (unit names, Thai dates)


def canonical(value) -> str:
    """A value as compared and fingerprinted: a date as ISO text, a row (a unit) or a list of rows
    as its ids, sorted; nothing (None, False, "") as the empty text."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, frozenset, models.QuerySet)):
        return ",".join(sorted(canonical(v) for v in value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value or "")


def fingerprint(value) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()[:20]


def seen_token(values: dict) -> str:
    """The hidden form value that records what a page showed."""
    return json.dumps({key: fingerprint(v) for key, v in values.items()}, sort_keys=True, separators=(",", ":"))


def parse_seen(raw) -> dict | None:
    """{key: fingerprint}, or None where the form carried none (an old page or a script)."""
    if not raw:
        return None
    try:
        seen = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return {str(k): str(v) for k, v in seen.items()} if isinstance(seen, dict) else {}


def merge(submitted: dict, current: dict, seen: dict | None):
    """(values to write, conflicting keys). With no `seen`, every submitted value is written."""
    if seen is None:
        return {k: v for k, v in submitted.items() if v != current.get(k, "")}, []
    to_write, conflicts = {}, []
    for key, new in submitted.items():
        now = current.get(key, "")
        base = seen.get(key, fingerprint(""))
        if fingerprint(new) == base or new == now:  # left as shown, or already what is stored
            continue
        if fingerprint(now) != base:
            conflicts.append(key)
        else:
            to_write[key] = new
    return to_write, conflicts


def lock_assessment(assessment: Assessment) -> Assessment:
    """Serialise writers of one assessment (PostgreSQL row lock; SQLite runs IMMEDIATE transactions)."""
    return Assessment.objects.select_for_update().select_related("ita_year", "organisation").get(pk=assessment.pk)


# --- the results grid -------------------------------------------------------------------


def _score_text(value) -> str:
    return "" if value is None else f"{value:.2f}"


def normalise_score(raw) -> str:
    """'98.7', '๙๘.๗๐' and '98.70' are the same score; anything unparsable is compared as typed."""
    text = to_arabic(str(raw or "")).strip().replace(",", "")
    if not text:
        return ""
    try:
        return _score_text(Decimal(text))
    except InvalidOperation:
        return text


def score_values(assessment: Assessment) -> dict:
    """The grid's values as its form shows them: q_<code>, ind_<number>, overall."""
    sheet = score_sheet(assessment)
    values = {f"q_{q.code}": _score_text(sheet.question_scores.get(q.code)) for q in sheet.questions}
    values |= {f"ind_{i.number}": _score_text(sheet.indicator_scores.get(i.number)) for i in sheet.indicators}
    values |= {f"inst_{name}": _score_text(v) for name, v in assessment.official_instruments().items()}
    values["overall"] = _score_text(assessment.overall_score)
    return values


@transaction.atomic
def save_scores_checked(assessment: Assessment, submitted: dict, seen: dict | None) -> int:
    """Save the grid's values (form field name -> raw text) unless another writer changed the same ones."""
    locked = lock_assessment(assessment)
    current = score_values(locked)
    to_write, conflicts = merge({k: normalise_score(v) for k, v in submitted.items()}, current, seen)
    if conflicts:
        raise ConcurrentEditError(conflicts, current)
    if not to_write:
        return 0
    questions = {k[2:]: v for k, v in to_write.items() if k.startswith("q_")}
    indicators = {int(k[4:]): v for k, v in to_write.items() if k.startswith("ind_")}
    instruments = {k[5:]: v for k, v in to_write.items() if k.startswith("inst_")}
    changed = save_scores(
        locked,
        questions=questions,
        indicators=indicators,
        instruments=instruments,
        overall=to_write.get("overall"),
        overall_given="overall" in to_write,
    )
    assessment.refresh_from_db()
    return changed


def keep_in_form(form, exc: ConcurrentEditError):
    """After a conflict: the user's text stays in the bound form, the other writer's value is shown
    under each box, and the page now 'saw' the stored values, so saving again overwrites on purpose."""
    for name in exc.fields:
        theirs = strip_tags(str(exc.shown.get(name, exc.current.get(name, "")))).strip() or "(ว่าง)"
        form.add_error(name, f"ฉบับที่ผู้อื่นบันทึกไว้: {theirs}")
    form.data = form.data.copy()
    form.data[form.add_prefix("seen")] = seen_token(exc.current)
