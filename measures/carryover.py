"""Start a fiscal year from the last one, along the item lineage of the catalogue.

ITA items are renumbered and merged between years (2567 o1 + o3 became 2568 O1), so a
measure's linked questions and the OIT checklist's responsible units are carried to the items
that continue them. Whatever has no successor (or no predecessor) is listed for the user.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from assessments.models import Assessment, Issue, Question
from assessments.services import DomainError, lock_assessment_id
from assessments.thai_periods import months_outside, shift_dated_text, shift_period_text

from .duplicates import measures_by_title, title_key
from .models import ChecklistStatus, ItemTitle, Measure, MeasureStep, OitChecklistItem


@dataclass
class CarryOver:
    previous_year: int
    measures: int = 0
    checklist: int = 0
    titles: int = 0  # the organisation's titles of items the catalogue does not name, carried on
    # (measure title, old code, old text): a linked question with no successor this year
    unmapped_questions: list = field(default_factory=list)
    # (old code, old text, unit name): a checklist row whose item has no successor
    unmapped_checklist: list = field(default_factory=list)
    # this year's OIT items that continue nothing: they need a responsible unit
    new_items: list = field(default_factory=list)
    # (new code, [old codes]): items that merge several of last year's items
    merged: list = field(default_factory=list)
    # the measures this copy created, so that the copy can be undone (moved to the trash)
    measure_ids: list = field(default_factory=list)
    # (title, id of this year's measure): last year's measures already here, not copied again
    skipped: list = field(default_factory=list)
    # free-text periods whose years were moved on
    periods_shifted: int = 0
    # titles, steps and follow-ups whose dating years were moved on ("ประจำปีงบประมาณ 2569")
    texts_shifted: int = 0
    # (new measure id, measure title, where, text, why): periods for a person to check
    periods_to_check: list = field(default_factory=list)


def successors(assessment: Assessment, previous: Assessment) -> dict:
    """{old question id: [this year's questions]} along the lineage, or by code where this
    year's catalogue names no lineage to the previous year (a year copied as-is)."""
    questions = list(
        Question.objects.filter(ita_year=assessment.ita_year).prefetch_related("continues").order_by("order")
    )
    out = {}
    if assessment.ita_year.lineage_from == previous.ita_year.year:
        for q in questions:
            for old in q.continues.all():
                out.setdefault(old.pk, []).append(q)
        return out
    by_code = {q.code.lower(): q for q in questions}
    for old in Question.objects.filter(ita_year=previous.ita_year):
        if old.code.lower() in by_code:
            out[old.pk] = [by_code[old.code.lower()]]
    return out


def previous_assessment(assessment: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(organisation=assessment.organisation, ita_year__year=assessment.ita_year.year - 1)
        .select_related("ita_year")
        .first()
    )


def _match(title: str, here: dict) -> int | None:
    """This year's measure that is last year's `title`: as it was, or carried a year on."""
    return here.get(title_key(title)) or here.get(title_key(shift_dated_text(title, 1)))


def already_here(assessment: Assessment) -> list[tuple[str, int]]:
    """(title, id of this year's measure) for each of last year's measures the year already has:
    what a second copy would double."""
    previous = previous_assessment(assessment)
    if previous is None:
        return []
    here = measures_by_title(assessment)
    titles = previous.measures.order_by("order", "id").values_list("title", flat=True)
    return [(t, _match(t, here)) for t in titles if _match(t, here)]


def _shift_prose(text: str, result: CarryOver) -> str:
    new = shift_dated_text(text, 1)
    result.texts_shifted += new != text
    return new


def _shift(value):
    if isinstance(value, datetime.date):
        try:
            return value.replace(year=value.year + 1)
        except ValueError:  # 29 February
            return value.replace(year=value.year + 1, day=28)
    return value


def _shift_text(text: str, fiscal_year: int, result: CarryOver) -> tuple[str, str | None]:
    """A free-text period a year on, and why a person should check it: it cannot be read with
    confidence, or it still lies outside the new fiscal year (copied unchanged in earlier years)."""
    if not text:
        return text, None
    new, ok = shift_period_text(text, 1)
    result.periods_shifted += new != text
    if not ok:
        return new, "อ่านปีไม่ได้แน่ชัด ระบบไม่ได้เลื่อนปีให้"
    if months_outside(new, fiscal_year):
        return new, f"อยู่นอกปีงบประมาณ {fiscal_year}"
    return new, None


def _copy_step(old: MeasureStep, new_measure: Measure, result: CarryOver):
    """Copy a step with whatever detail the step model holds (period, units …), dates a year on."""
    values = {
        f.name: _shift(getattr(old, f.name))
        for f in MeasureStep._meta.concrete_fields
        if not f.primary_key and f.name not in ("measure", "version", "updated_at")
    }
    values["text"] = _shift_prose(values["text"], result)
    values["period_text"], why = _shift_text(values.get("period_text", ""), new_measure.assessment.fiscal_year, result)
    step = MeasureStep.objects.create(measure=new_measure, **values)
    if why:
        where = f"ขั้นตอนที่ {old.order}"
        result.periods_to_check.append((new_measure.pk, new_measure.title, where, step.period_text, why))
    for m2m in MeasureStep._meta.many_to_many:
        getattr(step, m2m.name).set(getattr(old, m2m.name).all())
    return step


@transaction.atomic
def carry_over(assessment: Assessment, add_duplicates: bool = False) -> CarryOver:
    """Copy last fiscal year's measures (as a draft) and OIT checklist units into this year.

    A measure the year already has (same title, see duplicates.py) is skipped and listed, unless
    the user chose to add it again (add_duplicates): a second copy never doubles by accident."""
    lock_assessment_id(assessment.pk)
    previous = previous_assessment(assessment)
    if previous is None or not (previous.measures.exists() or previous.checklist.exists()):
        raise DomainError(f"ไม่มีมาตรการหรือรายการ OIT ของปีงบประมาณ {assessment.fiscal_year - 1} ให้คัดลอก")
    result = CarryOver(previous_year=previous.fiscal_year)
    succ = successors(assessment, previous)
    issues = {i.number: i for i in Issue.objects.filter(ita_year=assessment.ita_year)}

    top = assessment.measures.aggregate(m=Max("order"))["m"] or 0
    here = {} if add_duplicates else measures_by_title(assessment)
    old_measures = previous.measures.for_report().prefetch_related("steps", "units", "issues", "questions")
    for old in old_measures:
        if _match(old.title, here):
            result.skipped.append((old.title, _match(old.title, here)))
            continue
        result.measures += 1
        period_text, why = _shift_text(old.period_text, assessment.fiscal_year, result)
        new = Measure.objects.create(
            assessment=assessment,
            order=top + result.measures,
            title=_shift_prose(old.title, result),
            period_start=_shift(old.period_start),
            period_end=_shift(old.period_end),
            period_text=period_text,
            follow_up=_shift_prose(old.follow_up, result),
            responsible_person=old.responsible_person,
            due_date=_shift(old.due_date),
        )
        if why:
            result.periods_to_check.append((new.pk, new.title, "ระยะเวลาของมาตรการ", period_text, why))
        result.measure_ids.append(new.pk)
        new.units.set(old.units.all())
        new.issues.set([issues[i.number] for i in old.issues.all() if i.number in issues])
        linked = []
        for q in sorted(old.questions.all(), key=lambda q: q.order):
            if q.pk in succ:
                linked += [s for s in succ[q.pk] if s not in linked]
            else:
                result.unmapped_questions.append((old.title, q.code, q.text))
        new.questions.set(linked)
        for step in sorted(old.steps.all(), key=lambda s: s.order):
            _copy_step(step, new, result)

    existing = set(assessment.checklist.values_list("question_id", flat=True))
    carried = {}
    for row in previous.checklist.select_related("question", "unit").order_by("question__order"):
        targets = [q for q in succ.get(row.question_id, []) if q.is_oit]
        if not targets:
            result.unmapped_checklist.append((row.question.code, row.question.text, row.unit.name if row.unit else ""))
            continue
        for q in targets:
            if q.pk in existing or q.pk in carried:
                continue
            carried[q.pk] = OitChecklistItem(
                assessment=assessment, question=q, unit=row.unit, status=ChecklistStatus.NOT_DONE
            )
    bulk_create_with_history(list(carried.values()), OitChecklistItem)  # recorded in the audit trail
    result.checklist = len(carried)

    # A title typed for an item no source names goes on to the item that continues it, if that
    # one is unnamed too (2570 copies 2569: O2 stays unknown) and has no title of its own yet.
    titled = set(assessment.item_titles.values_list("question_id", flat=True))
    for t in previous.item_titles.all():
        for q in succ.get(t.question_id, []):
            if q.is_oit and not q.title_known and q.pk not in titled:
                ItemTitle.objects.create(assessment=assessment, question=q, title=t.title)
                titled.add(q.pk)
                result.titles += 1

    this_year_oit = Question.objects.filter(ita_year=assessment.ita_year, instrument="OIT").prefetch_related(
        "continues"
    )
    for q in this_year_oit.order_by("order"):
        old = list(q.continues.all())
        if assessment.ita_year.lineage_from == previous.ita_year.year and not old:
            result.new_items.append((q.code, q.text))
        if len(old) > 1:
            result.merged.append((q.code, [o.code for o in sorted(old, key=lambda o: o.order)]))
    return result
