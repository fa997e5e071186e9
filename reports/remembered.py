"""The report options and introductions a fiscal year remembers (ReportSettings), saved without
losing anyone's edit.

The options form and the introductions form both carry what the page showed of the stored row
("seen", assessments.concurrency). On save, under the assessment's row lock, box by box: a box left
as shown keeps what is stored now, a box changed here and by nobody else is written, a box changed
by both is a conflict (nothing written, the typed text kept, the other person's value shown).
The boxes are every field of ReportSettings that a person edits (`tracked_fields`), so a field
added to the model later is covered without touching this module.
"""

from django.db import transaction
from django.utils import timezone

from assessments.concurrency import ConcurrentEditError, canonical, lock_assessment, merge, seen_token

from .models import DIGIT_CHOICES, GROUPING_CHOICES, ReportSettings

# Bookkeeping, not what a person typed.
NOT_EDITED = {"id", "assessment", "updated_by", "updated_at", "options_saved_at"}


def tracked_fields() -> list[str]:
    return [f.name for f in ReportSettings._meta.concrete_fields if f.editable and f.name not in NOT_EDITED]


def current_values(assessment, defaults: dict, row=False) -> dict:
    """What a page shows of the stored row: the remembered options (or, while none were remembered,
    the form's own defaults) and the introductions. `row`: the row already read (None: there is none)."""
    if row is False:
        row = ReportSettings.objects.filter(assessment=assessment).first()
    fields = {f.name: f for f in ReportSettings._meta.concrete_fields}
    values = {name: defaults.get(name) for name in tracked_fields()}
    values = {name: fields[name].get_default() if v is None else v for name, v in values.items()}
    if row is not None:
        values |= {name: getattr(row, name) for name in tracked_fields() if name.startswith("intro_")}
        if row.options_saved_at:
            values |= {name: getattr(row, name) for name in tracked_fields() if not name.startswith("intro_")}
    return values


def seen_for(assessment, defaults: dict, row=False) -> str:
    return seen_token(current_values(assessment, defaults, row))


LABELS = {f.name: f.verbose_name for f in ReportSettings._meta.concrete_fields}
_CHOICES = dict(DIGIT_CHOICES + GROUPING_CHOICES)


def _shown(value):
    if isinstance(value, bool):
        return "มี" if value else "ไม่มี"
    return _CHOICES.get(value, value) if isinstance(value, str) else canonical(value)


@transaction.atomic
def save(assessment, submitted: dict, seen: dict | None, user, defaults: dict, *, options: bool) -> ReportSettings:
    """Write the boxes of `submitted` that this user changed; `options` marks the options as
    remembered. Raises ConcurrentEditError naming the boxes someone else changed meanwhile."""
    lock_assessment(assessment)
    current = current_values(assessment, defaults)
    texts = {k: canonical(v) for k, v in current.items()}
    to_write, conflicts = merge({k: canonical(v) for k, v in submitted.items()}, texts, seen)
    if conflicts:
        names = ", ".join(str(LABELS.get(k, k)) for k in conflicts)
        raise ConcurrentEditError(
            conflicts,
            texts,
            message=f"มีผู้อื่นบันทึก {names} ไปก่อนแล้วระหว่างที่คุณแก้ไข ระบบยังไม่ได้บันทึก ข้อความของคุณยังอยู่ในช่องเดิม "
            "และฉบับของผู้อื่นแสดงไว้ใต้ช่อง ตรวจสอบแล้วกดบันทึกอีกครั้งเพื่อใช้ฉบับของคุณ",
            shown={k: _shown(v) for k, v in current.items()},
        )
    row = ReportSettings.objects.filter(assessment=assessment).first() or ReportSettings(
        assessment=assessment, digits="thai"
    )
    if options and not row.options_saved_at:
        # The first time options are remembered, the boxes left as shown are the form's defaults.
        for name in tracked_fields():
            if not name.startswith("intro_"):
                setattr(row, name, current[name])
    for name in to_write:
        setattr(row, name, submitted[name])
    row.updated_by = user
    if options:
        row.options_saved_at = timezone.now()
    row.save()
    return row
