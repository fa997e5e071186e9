"""Business rules of the fiscal-year work: measures, progress, checklist, approval."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone

from assessments.concurrency import ConcurrentEditError, canonical, lock_assessment, lock_assessment_id, merge
from assessments.models import Assessment, Issue, Question
from assessments.richtext import plain_text, sanitise
from assessments.services import DomainError
from assessments.thai import thai_date

from . import approval
from .models import (
    ChecklistStatus,
    IssueAnalysis,
    ItemTitle,
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


def reporting_round(rounds, round_id=None):
    """The round a progress report (O26) is of: the one asked for, else the one being reported now:
    the earliest whose O26 is not yet published (all published: the last)."""
    rounds = sorted(rounds, key=lambda r: r.as_of)
    if not rounds:
        return None
    if round_id:
        asked = next((r for r in rounds if r.pk == round_id), None)
        if asked is not None:
            return asked
    return next((r for r in rounds if r.published_at is None), rounds[-1])


def future_round_warning(round_, today=None) -> str | None:
    """Thai warning when a round's date is still ahead: approving or publishing its report would
    claim data as of a day that has not come. None when the date has come."""
    today = today or timezone.localdate()
    if round_ is None or round_.as_of <= today:
        return None
    return (
        f"รายงานนี้เป็นของ{round_.name} ข้อมูล ณ วันที่ {thai_date(round_.as_of)} ซึ่งยังมาไม่ถึง "
        f"(วันนี้ {thai_date(today)}) ผลที่รายงานอาจยังไม่ครบรอบ"
    )


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


STEP_DETAIL = ("period_text", "period_start", "period_end", "units", "responsible_person", "due_date")
FIELD_LABELS = {
    "period_text": "ช่วงเวลา",
    "period_start": "วันเริ่ม",
    "period_end": "วันสิ้นสุด",
    "units": "ผู้รับผิดชอบ",
    "responsible_person": "ผู้รับผิดชอบ (ชื่อ)",
    "due_date": "กำหนดเสร็จ",
    "status": "สถานะ",
    "output": "ผลการดำเนินการ",
    "outcome": "ผลลัพธ์",
    "done_on": "วันที่ดำเนินการ",
    "evidence": "ลิงก์หลักฐาน",
    "unit": "ผู้รับผิดชอบ",
    "description": "สิ่งที่ดำเนินการ",
    "evidence_url": "URL หลักฐาน",
}


class RowsConflict(DomainError):
    """Some rows of a many-row page (steps, OIT checklist) were changed by someone else in the same
    boxes. `rows` maps a row's key to its ConcurrentEditError (the boxes, the stored values)."""

    def __init__(self, rows: dict, names: dict, saved: int = 0):
        self.rows, self.saved = rows, saved
        what = "; ".join(
            f"{names[key]} ({', '.join(FIELD_LABELS.get(f, f) for f in exc.fields)})" for key, exc in rows.items()
        )
        head = f"บันทึกรายการอื่นแล้ว {saved} รายการ แต่ " if saved else ""
        super().__init__(
            f"{head}{what}: มีผู้อื่นบันทึกช่องเดียวกันไปก่อนแล้วระหว่างที่คุณแก้ไข ระบบยังไม่ได้บันทึกช่องเหล่านี้ "
            "ข้อความของคุณยังอยู่ในช่องเดิม และฉบับของผู้อื่นแสดงไว้ใต้ช่อง ตรวจสอบแล้วกดบันทึกอีกครั้งเพื่อใช้ฉบับของคุณ"
        )


def _shown(name, value):
    """A stored value as a person reads it under a conflicting box."""
    if name == "units" or name == "unit":
        items = value if isinstance(value, (list, tuple)) else [value] if value else []
        return ", ".join(u.name for u in items)
    if isinstance(value, datetime.date):
        from assessments.thai import thai_date

        return thai_date(value)
    if name == "status":
        return dict(ProgressStatus.choices + ChecklistStatus.choices).get(value, value)
    return value or ""


def _merge_row(submitted: dict, current: dict, seen: dict | None):
    """(fields to write, ConcurrentEditError or None) for one row, comparing canonical texts."""
    to_write, conflicts = merge(
        {k: canonical(v) for k, v in submitted.items()}, {k: canonical(v) for k, v in current.items()}, seen
    )
    if not conflicts:
        return set(to_write), None
    shown = {k: _shown(k, v) for k, v in current.items()}
    return set(to_write), ConcurrentEditError(conflicts, {k: canonical(v) for k, v in current.items()}, shown=shown)


@transaction.atomic
def save_steps(measure: Measure, round_: ReportingRound | None, rows: dict, seen: dict | None = None) -> int:
    """Save each step's own period, units and (for `round_`) result, all or nothing.

    `rows` maps a step id to a form's cleaned_data; `seen` maps a step id to what its form showed
    (assessments.concurrency): a box left as shown keeps what is stored now, so a page opened
    earlier never puts back old values; a box changed here and by someone else since is a conflict
    (RowsConflict) and nothing is written. A step without `seen` (an old page, a script) is written
    as posted, its result checked against the version it carries.
    A step's result row is created only once something is said about it, so a measure reported as
    a whole keeps no empty step rows. Returns the number of steps whose detail or result changed.
    """
    lock_assessment(measure.assessment)  # one writer of this year at a time: the comparison holds
    steps = {s.pk: s for s in measure.steps.prefetch_related("units")}
    if set(rows) - set(steps):
        raise DomainError("ขั้นตอนไม่ใช่ของมาตรการนี้")
    if round_ is not None and round_.assessment_id != measure.assessment_id:
        raise DomainError("รอบรายงานไม่ใช่ของปีนี้")
    existing = {p.step_id: p for p in StepProgress.objects.filter(step__measure=measure, round=round_)}
    plans, conflicts = [], {}
    for pk, data in rows.items():
        step = steps[pk]
        units = list(data.get("units") or [])
        if any(u.organisation_id != measure.assessment.organisation_id for u in units):
            raise DomainError("ส่วนราชการไม่ใช่ของหน่วยงานนี้")
        start, end = data.get("period_start"), data.get("period_end")
        submitted = {
            "period_text": " ".join(plain_text(data.get("period_text", "")).split()),
            "period_start": start,
            "period_end": end,
            "units": units,
            "responsible_person": " ".join(plain_text(data.get("responsible_person", "")).split()),
            "due_date": data.get("due_date"),
        }
        current = {name: getattr(step, name) for name in STEP_DETAIL if name != "units"}
        current["units"] = sorted(step.units.all(), key=lambda u: u.pk)
        row = existing.get(pk)
        if round_ is not None:
            submitted |= _result_values(data)
            current |= {f: getattr(row, f) for f in StepProgress.FIELDS} if row else _result_values({})
        step_seen = (seen or {}).get(pk)
        to_write, clash = _merge_row(submitted, current, step_seen)
        if clash:
            conflicts[pk] = clash
            continue
        values = {name: submitted[name] if name in to_write else current[name] for name in submitted}
        if values["period_start"] and values["period_end"] and values["period_end"] < values["period_start"]:
            raise DomainError(f"ขั้นตอนที่ {step.order}: วันสิ้นสุดอยู่ก่อนวันเริ่ม")
        plans.append((step, row, values, step_seen is None, data.get("version") or None))
    if conflicts:
        raise RowsConflict(conflicts, {pk: f"ขั้นตอนที่ {steps[pk].order}" for pk in conflicts})
    changed = 0
    for step, row, values, unchecked, posted_version in plans:
        detail = tuple(values[name] for name in STEP_DETAIL if name != "units")
        if detail != tuple(getattr(step, name) for name in STEP_DETAIL if name != "units"):
            for name in STEP_DETAIL:
                if name != "units":
                    setattr(step, name, values[name])
            step.save()
            changed += 1
        if {u.pk for u in values["units"]} != {u.pk for u in step.units.all()}:
            step.units.set(values["units"])
            changed += 1
        if round_ is None:
            continue
        result = {f: values[f] for f in StepProgress.FIELDS}
        said = result["status"] != ProgressStatus.NOT_STARTED or any(result[f] for f in StepProgress.FIELDS[1:])
        if row is None and not said:
            continue
        if row is not None and all(getattr(row, f) == v for f, v in result.items()):
            continue
        # Checked above under the lock; a page without `seen` still needs the version it saw.
        expected = posted_version if unchecked else (row.version if row else None)
        _save_row(StepProgress, {"step": step, "round": round_}, result, expected)
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


CHECKLIST_FIELDS = ("unit", "status", "description", "evidence_url")


def save_checklist(assessment: Assessment, rows, seen: dict | None = None) -> int:
    """Save many checklist rows at once: [(question, cleaned_data)]. Rows left as they were are not
    written (no version bump, no history entry). Returns rows changed.

    `seen` maps a question code to what its row showed (assessments.concurrency). With it, only the
    boxes two people both changed conflict: every other changed row is saved (together, in one
    transaction), the conflicting rows are not, and RowsConflict names them, so the user keeps the
    rest of the page's work and re-decides only those rows. Without it (an old page, a script),
    all or nothing: any row saved by someone since its version was read stops the whole save.
    """
    if seen is None:
        return _save_checklist_versions(assessment, rows)
    with transaction.atomic():
        lock_assessment(assessment)
        existing = {
            c.question_id: c for c in OitChecklistItem.objects.filter(assessment=assessment).select_related("unit")
        }
        conflicts, changed = {}, 0
        for question, data in rows:
            row = existing.get(question.id)
            submitted = {
                "unit": data.get("unit"),
                "status": data["status"],
                "description": plain_text(data.get("description", "")),
                "evidence_url": data.get("evidence_url", ""),
            }
            current = (
                {name: getattr(row, name) for name in CHECKLIST_FIELDS}
                if row
                else {"unit": None, "status": ChecklistStatus.NOT_DONE, "description": "", "evidence_url": ""}
            )
            to_write, clash = _merge_row(submitted, current, seen.get(question.code))
            if clash:
                conflicts[question.code] = clash
                continue
            if not to_write:
                continue
            values = {name: submitted[name] if name in to_write else current[name] for name in CHECKLIST_FIELDS}
            save_checklist_item(assessment, question, values, row.version if row else None)
            changed += 1
    if conflicts:
        raise RowsConflict(conflicts, {code: code for code in conflicts}, saved=changed)
    return changed


@transaction.atomic
def _save_checklist_versions(assessment: Assessment, rows) -> int:
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


# --- titles of items the catalogue does not know -----------------------------------------------

ITEM_TITLE_MAX = ItemTitle._meta.get_field("title").max_length


def untitled_items(assessment: Assessment) -> list:
    """The year's OIT items whose title the catalogue does not know (2569 O2, O6, O7)."""
    return [
        q
        for q in Question.objects.filter(ita_year=assessment.ita_year, instrument="OIT").order_by("order")
        if not q.title_known
    ]


def item_titles(assessment: Assessment) -> dict:
    """{question id: the title the organisation typed}, in one query."""
    return dict(ItemTitle.objects.filter(assessment=assessment).values_list("question_id", "title"))


def with_typed_titles(questions, assessment: Assessment):
    """The questions, each with `typed_title`: the organisation's title for it, or None. Read in
    the same query as the questions (a subquery), so that reports cost no query more."""
    typed = ItemTitle.objects.filter(assessment=assessment, question=OuterRef("pk")).values("title")[:1]
    return questions.annotate(typed_title=Subquery(typed))


@transaction.atomic
@transaction.atomic
def save_item_titles(assessment: Assessment, titles, seen: dict | None = None) -> int:
    """Keep the organisation's titles [(question, title)] all or nothing; a blank title removes
    one (the item then prints its code alone). `seen`: what the page showed (assessments.concurrency),
    so a title a colleague saved meanwhile is never put back. Returns how many changed."""
    lock_assessment_id(assessment.pk)
    cleaned = []
    for question, title in titles:
        if question.ita_year_id != assessment.ita_year_id or not question.is_oit:
            raise DomainError(f"ข้อ {question.code} ไม่ใช่รายการ OIT ของปีนี้")
        if question.title_known:
            raise DomainError(f"ข้อ {question.code} มีชื่อรายการในแค็ตตาล็อกแล้ว ไม่ต้องระบุ")
        title = " ".join((title or "").split())  # one line: a title, not a paragraph
        if len(title) > ITEM_TITLE_MAX:
            raise DomainError(f"ชื่อรายการข้อ {question.code} ยาวเกิน {ITEM_TITLE_MAX} ตัวอักษร")
        cleaned.append((question, title))
    existing = {t.question_id: t for t in ItemTitle.objects.filter(assessment=assessment)}
    current = {q.code: existing[q.id].title if q.id in existing else "" for q, _ in cleaned}
    to_write, conflicts = merge({q.code: title for q, title in cleaned}, current, seen)
    if conflicts:
        names = ", ".join(f"ข้อ {code}" for code in conflicts)
        raise ConcurrentEditError(
            conflicts,
            current,
            message=f"มีผู้อื่นบันทึกชื่อรายการ {names} ไปก่อนแล้วระหว่างที่คุณแก้ไข ระบบยังไม่ได้บันทึก "
            f"ข้อความของคุณยังอยู่ในช่องเดิม (ชื่อที่บันทึกไว้: {'; '.join(current[c] or '–' for c in conflicts)}) "
            "ตรวจสอบแล้วกดบันทึกอีกครั้งเพื่อใช้ฉบับของคุณ",
        )
    changed = 0
    for question, title in cleaned:
        if question.code not in to_write:
            continue
        row = existing.get(question.id)
        if row is None and title:
            ItemTitle.objects.create(assessment=assessment, question=question, title=title)
        elif row is not None and not title:
            row.delete()
        elif row is not None and row.title != title:
            row.title = title
            row.save()
        else:
            continue
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
