"""Business rules of the fiscal-year work: measures, progress, checklist, approval."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from assessments.concurrency import ConcurrentEditError, lock_assessment, lock_assessment_id, merge
from assessments.models import Assessment, Issue, Question
from assessments.richtext import plain_text, sanitise
from assessments.services import DomainError

from . import approval
from .models import (
    ChecklistStatus,
    IssueAnalysis,
    Measure,
    MeasureStep,
    OitChecklistItem,
    Progress,
    ProgressStatus,
    ReportingRound,
    StepProgress,
)

CONFLICT_MESSAGE = (
    "มีผู้อื่นบันทึกรายการนี้ไปก่อนแล้วระหว่างที่คุณแก้ไข ระบบยังไม่ได้บันทึกข้อความของคุณ "
    "(ข้อความยังอยู่บนหน้าจอ) กรุณาคัดลอกเก็บไว้ แล้วเปิดหน้านี้ใหม่เพื่อดูฉบับล่าสุดก่อนบันทึกอีกครั้ง"
)


class ConflictError(DomainError):
    def __init__(self, message=CONFLICT_MESSAGE):
        super().__init__(message)


def _claim(model, pk, expected_version, **values):
    """Save only if nobody saved since `expected_version` was read; never a silent overwrite.

    The version is bumped by a compare-and-swap UPDATE (only one of two concurrent saves
    gets through), then the row is saved normally so that the audit trail records it.
    """
    if not model.objects.filter(pk=pk, version=expected_version).update(version=F("version") + 1):
        raise ConflictError()
    obj = model.objects.get(pk=pk)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def _save_row(model, keys, values, expected_version):
    """Create the row if nobody has yet (expected_version None), else update it through _claim."""
    row = model.objects.filter(**keys).first()
    if row is None:
        if expected_version is not None:
            raise ConflictError()
        try:
            with transaction.atomic():  # a savepoint: the loser of a first-save race gets a conflict, not a 500
                return model.objects.create(**keys, **values)
        except IntegrityError:
            raise ConflictError() from None
    if expected_version is None:  # someone created it since this page was opened
        raise ConflictError()
    return _claim(model, row.pk, expected_version, **values)


def default_rounds(fiscal_year):
    ce = fiscal_year - 543
    return [("รอบ 6 เดือน", datetime.date(ce, 3, 31)), ("รอบ 12 เดือน", datetime.date(ce, 9, 30))]


def ensure_rounds(assessment: Assessment):
    """The natural rounds (31 March, 30 September) exist from the first visit on."""
    rounds = list(assessment.rounds.all())
    if not rounds:
        rounds = [
            ReportingRound.objects.get_or_create(assessment=assessment, as_of=as_of, defaults={"name": name})[0]
            for name, as_of in default_rounds(assessment.fiscal_year)
        ]
    return rounds


# --- analysis ----------------------------------------------------------------------------


@transaction.atomic
def save_analysis(assessment: Assessment, texts: dict, limitations: str, seen: dict | None = None):
    """texts maps issue number -> (analysis, improvement); all saved together, or nothing.

    `seen` is what the page showed (assessments.concurrency): a box left as shown keeps what is
    stored now, and a box that someone else changed since raises ConcurrentEditError.
    """
    locked = lock_assessment(assessment)  # one writer at a time: no lost update, no duplicate first row
    issues = {i.number: i for i in Issue.objects.filter(ita_year=assessment.ita_year)}
    existing = {a.issue_id: a for a in IssueAnalysis.objects.filter(assessment=locked)}
    current = {"limitations": locked.limitations}
    submitted = {"limitations": sanitise(limitations)}
    for number, (analysis, improvement) in texts.items():
        row = existing.get(issues[number].id)
        current[f"analysis_{number}"] = row.analysis if row else ""
        current[f"improvement_{number}"] = row.improvement if row else ""
        submitted[f"analysis_{number}"], submitted[f"improvement_{number}"] = sanitise(analysis), sanitise(improvement)
    to_write, conflicts = merge(submitted, current, seen)
    if conflicts:
        raise ConcurrentEditError(conflicts, current)
    for number in texts:
        keys = (f"analysis_{number}", f"improvement_{number}")
        if not any(k in to_write for k in keys):
            continue
        issue = issues[number]
        row = existing.get(issue.id) or IssueAnalysis(assessment=locked, issue=issue)
        row.analysis = to_write.get(keys[0], current[keys[0]])
        row.improvement = to_write.get(keys[1], current[keys[1]])
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # a first save raced past the lock (cannot happen under it; never a 500)
            raise ConcurrentEditError([keys[0]], current) from None
    if "limitations" in to_write:
        locked.limitations = to_write["limitations"]
        locked.save(update_fields=["limitations", "updated_at"])
        assessment.limitations = locked.limitations


# --- measures ----------------------------------------------------------------------------


def _steps(text):
    """One step per line; pasted markup (a Word list, <p> paragraphs) becomes lines of text."""
    return [line.strip().removeprefix("• ") for line in plain_text(text).splitlines() if line.strip()]


@transaction.atomic
def save_measure(assessment: Assessment, measure: Measure | None, data: dict, expected_version=None) -> Measure:
    """Create or update a measure with its steps. `data` is a form's cleaned_data."""
    lock_assessment_id(assessment.pk)  # the assessment lock: see assessments.services.lock_assessment_id
    values = {
        "title": " ".join(plain_text(data["title"]).split()),
        "period_start": data.get("period_start"),
        "period_end": data.get("period_end"),
        "period_text": " ".join(plain_text(data.get("period_text", "")).split()),
        "follow_up": sanitise(data.get("follow_up", "")),
        "responsible_person": " ".join(plain_text(data.get("responsible_person", "")).split()),
        "due_date": data.get("due_date"),
    }
    if measure is None:
        top = assessment.measures.aggregate(m=Max("order"))["m"] or 0
        measure = Measure.objects.create(assessment=assessment, order=top + 1, **values)
    else:
        measure = _claim(Measure, measure.pk, expected_version, **values)
    measure.issues.set(data.get("issues") or [])
    measure.questions.set(data.get("questions") or [])
    measure.units.set(data.get("units") or [])
    steps = _steps(data.get("steps"))
    current = list(measure.steps.all())
    if [s.text for s in current] != steps:
        # Steps are changed one by one (never bulk), so the audit trail shows each added, reworded
        # (before → after) and removed step, and a step keeps its identity when it is reworded.
        for i, (step, text) in enumerate(zip(current, steps, strict=False), start=1):
            if (step.text, step.order) != (text, i):
                step.text, step.order = text, i
                step.save()
        for step in current[len(steps) :]:
            step.delete()
        for i, text in enumerate(steps[len(current) :], start=len(current) + 1):
            MeasureStep.objects.create(measure=measure, order=i, text=text)
    return measure


@transaction.atomic
def move_measure(measure: Measure, direction: str):
    lock_assessment_id(measure.assessment_id)
    ordered = list(measure.assessment.measures.order_by("order", "id"))
    i = next(n for n, m in enumerate(ordered) if m.pk == measure.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ordered):
        ordered[i], ordered[j] = ordered[j], ordered[i]
    for n, m in enumerate(ordered, start=1):
        if m.order != n:
            Measure.objects.filter(pk=m.pk).update(order=n)


# --- progress and checklist ----------------------------------------------------------------


def _result_values(data) -> dict:
    """A round's result of a measure or a step, as stored. Plain fields (docs/text-fields.md):
    pasted markup becomes text, never <p> in the textarea; one evidence link per line."""
    values = {
        "status": data.get("status") or ProgressStatus.NOT_STARTED,
        "output": plain_text(data.get("output")),
        "outcome": plain_text(data.get("outcome")),
        "done_on": data.get("done_on"),
        "evidence": "\n".join(_steps(data.get("evidence"))),
    }
    if values["status"] not in ProgressStatus.values:
        raise DomainError("สถานะไม่ถูกต้อง")
    return values


@transaction.atomic
def save_progress(measure: Measure, round_: ReportingRound, data: dict, expected_version: int | None) -> Progress:
    """Save one progress row. expected_version None means 'I saw no row yet'."""
    lock_assessment_id(measure.assessment_id)
    values = _result_values(data)
    return _save_row(Progress, {"measure": measure, "round": round_}, values, expected_version)


@transaction.atomic
def save_steps(measure: Measure, round_: ReportingRound | None, rows: dict) -> int:
    """Save each step's own period, units and (for `round_`) result, all or nothing.

    `rows` maps a step id to a form's cleaned_data. A step's result row is created only once
    something is said about it, so a measure reported as a whole keeps no empty step rows.
    Returns the number of steps whose detail or result changed.
    """
    lock_assessment_id(measure.assessment_id)
    steps = {s.pk: s for s in measure.steps.prefetch_related("units")}
    if set(rows) - set(steps):
        raise DomainError("ขั้นตอนไม่ใช่ของมาตรการนี้")
    if round_ is not None and round_.assessment_id != measure.assessment_id:
        raise DomainError("รอบรายงานไม่ใช่ของปีนี้")
    existing = {p.step_id: p for p in StepProgress.objects.filter(step__measure=measure, round=round_)}
    changed = 0
    for pk, data in rows.items():
        step = steps[pk]
        units = list(data.get("units") or [])
        if any(u.organisation_id != measure.assessment.organisation_id for u in units):
            raise DomainError("ส่วนราชการไม่ใช่ของหน่วยงานนี้")
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise DomainError(f"ขั้นตอนที่ {step.order}: วันสิ้นสุดอยู่ก่อนวันเริ่ม")
        detail = (
            start,
            end,
            " ".join(plain_text(data.get("period_text", "")).split()),
            " ".join(plain_text(data.get("responsible_person", "")).split()),
            data.get("due_date"),
        )
        if detail != (step.period_start, step.period_end, step.period_text, step.responsible_person, step.due_date):
            step.period_start, step.period_end, step.period_text, step.responsible_person, step.due_date = detail
            step.save()
            changed += 1
        if {u.pk for u in units} != {u.pk for u in step.units.all()}:
            step.units.set(units)
            changed += 1
        if round_ is None:
            continue
        values = _result_values(data)
        row = existing.get(pk)
        said = values["status"] != ProgressStatus.NOT_STARTED or any(values[f] for f in StepProgress.FIELDS[1:])
        if row is None and not said:
            continue
        if row is not None and all(getattr(row, f) == v for f, v in values.items()):
            continue
        expected = data.get("version") or None
        _save_row(StepProgress, {"step": step, "round": round_}, values, expected)
        changed += 1
    return changed


@transaction.atomic
def save_checklist_item(assessment: Assessment, question: Question, data: dict, expected_version: int | None):
    if not question.is_oit or question.ita_year_id != assessment.ita_year_id:
        raise DomainError("ไม่ใช่รายการ OIT ของปีนี้")
    lock_assessment_id(assessment.pk)
    unit = data.get("unit")
    if unit is not None and unit.organisation_id != assessment.organisation_id:
        raise DomainError("ส่วนราชการไม่ใช่ของหน่วยงานนี้")
    values = {
        "unit": unit,
        "status": data["status"],
        "description": plain_text(data.get("description", "")),
        "evidence_url": data.get("evidence_url", ""),
    }
    if values["status"] not in ChecklistStatus.values:
        raise DomainError("สถานะไม่ถูกต้อง")
    return _save_row(OitChecklistItem, {"assessment": assessment, "question": question}, values, expected_version)


@transaction.atomic
def save_checklist(assessment: Assessment, rows) -> int:
    """Save many checklist rows at once, all or nothing: [(question, cleaned_data)]. Rows left
    as they were are not written (no version bump, no history entry). Returns rows changed."""
    existing = {c.question_id: c for c in OitChecklistItem.objects.filter(assessment=assessment)}
    changed = 0
    for question, data in rows:
        row = existing.get(question.id)
        unit = data.get("unit")
        new = (
            unit.pk if unit else None,
            data["status"],
            plain_text(data.get("description", "")),
            data.get("evidence_url", ""),
        )
        if row is not None and (row.unit_id, row.status, row.description, row.evidence_url) == new:
            continue
        if row is None and new == (None, ChecklistStatus.NOT_DONE, "", ""):
            continue
        try:
            save_checklist_item(assessment, question, data, data.get("version") or None)
        except ConflictError:
            raise ConflictError(f"{question.code}: {CONFLICT_MESSAGE}") from None
        changed += 1
    return changed


# --- approval -----------------------------------------------------------------------------

APPROVABLE = {
    "o34": "การวิเคราะห์และมาตรการ",
    "o35": "รายงานผลการดำเนินการ",
    "oit": "รายงานความก้าวหน้า OIT",
}


def approval_label(assessment: Assessment, kind: str) -> str:
    """What an approval covers, with the year's own item code: "การวิเคราะห์และมาตรการ (O25)"."""
    code = assessment.ita_year.report_code(kind)
    return f"{APPROVABLE[kind]} ({code})" if code else APPROVABLE[kind]


def check_approvable(assessment: Assessment, kind: str) -> None:
    """There is something to approve; else a Thai DomainError."""
    if kind not in APPROVABLE:
        raise DomainError("ไม่รู้จักรายการที่จะอนุมัติ")
    if kind == "o34" and not assessment.measures.exists():
        raise DomainError(f"ยังไม่มีมาตรการ อนุมัติ{approval_label(assessment, kind)}ไม่ได้")
    if kind == "o35" and not Progress.objects.filter(measure__assessment=assessment).exists():
        raise DomainError(f"ยังไม่มีผลการดำเนินการ อนุมัติ{approval_label(assessment, kind)}ไม่ได้")
    if kind == "oit" and not OitChecklistItem.objects.filter(assessment=assessment).exists():
        raise DomainError("ยังไม่มีรายการตรวจ OIT อนุมัติไม่ได้")


@transaction.atomic
def approve(assessment: Assessment, kind: str, user, fingerprint: str | None = None, opts=None):
    """Record the approval of the report's fingerprint (measures/approval.py).

    `fingerprint` is what the manager's page showed, checked by the caller under the assessment
    lock (reports/approval.py); None approves the report as it prints now with `opts`
    (reports.data.ReportOptions; None: the remembered options), as the demo data and scripts do.
    """
    check_approvable(assessment, kind)
    locked = lock_assessment(assessment)  # no save slips in between the fingerprint and the record
    for name, value in {
        f"{kind}_approved_by": user,
        f"{kind}_approved_at": timezone.now(),
        f"{kind}_approved_hash": fingerprint or approval.digest(locked, kind, opts),
    }.items():
        setattr(locked, name, value)
        setattr(assessment, name, value)
    locked.save()
