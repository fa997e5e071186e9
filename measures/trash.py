"""The year's trash: a deleted measure is kept whole and can be restored as it was.

A snapshot holds the measure's fields, its links (issues, questions, units by id), its steps with
their own period, units and results, and its progress rows. Restoring puts it back at its old
place in the list; links to anything deleted since (a unit, a round) are left out, and said.
"""

import datetime

from django.db import transaction
from django.db.models import F

from assessments.models import Issue, Question, Unit
from assessments.services import lock_assessment_id

from .models import (
    DeletedMeasure,
    EvidenceFile,
    Measure,
    MeasureStep,
    Progress,
    ReportingRound,
    RoundResult,
    StepProgress,
)

RESULT_FIELDS = RoundResult.FIELDS


def _iso(value):
    return value.isoformat() if value else None


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _result(row):
    return {"round": row.round_id} | {
        f: _iso(getattr(row, f)) if f == "done_on" else getattr(row, f) for f in RESULT_FIELDS
    }


def snapshot(measure: Measure) -> dict:
    steps = measure.steps.prefetch_related("units", "progress")
    return {
        "order": measure.order,
        "title": measure.title,
        "period_start": _iso(measure.period_start),
        "period_end": _iso(measure.period_end),
        "period_text": measure.period_text,
        "follow_up": measure.follow_up,
        "responsible_person": measure.responsible_person,
        "due_date": _iso(measure.due_date),
        "issues": [i.pk for i in measure.issues.all()],
        "questions": [q.pk for q in measure.questions.all()],
        "units": [u.pk for u in measure.units.all()],
        "steps": [
            {
                "order": s.order,
                "text": s.text,
                "period_start": _iso(s.period_start),
                "period_end": _iso(s.period_end),
                "period_text": s.period_text,
                "responsible_person": s.responsible_person,
                "due_date": _iso(s.due_date),
                "units": [u.pk for u in s.units.all()],
                "results": [_result(r) for r in s.progress.all()],
            }
            for s in steps
        ],
        "progress": [_result(p) for p in measure.progress.all()],
        # Evidence rows outlive their measure (a published report may link to them): relinked on restore.
        "files": [e.pk for e in measure.files.all()],
    }


@transaction.atomic
def delete_measure(measure: Measure, user=None) -> DeletedMeasure:
    """Move a measure to the trash: snapshot it, delete it, close the gap in the numbering."""
    lock_assessment_id(measure.assessment_id)
    trash = DeletedMeasure.objects.create(
        assessment=measure.assessment, title=measure.title, payload=snapshot(measure), deleted_by=user
    )
    assessment = measure.assessment
    measure.delete()
    for i, m in enumerate(assessment.measures.order_by("order", "id"), start=1):
        if m.order != i:
            Measure.objects.filter(pk=m.pk).update(order=i)
    return trash


def _result_values(data):
    return {f: _date(data[f]) if f == "done_on" else data[f] for f in RESULT_FIELDS}


@transaction.atomic
def restore_measure(trash: DeletedMeasure) -> tuple[Measure, list[str]]:
    """Put the measure back at its old place. Returns it and what could not come back."""
    assessment, data = trash.assessment, trash.payload
    lock_assessment_id(assessment.pk)
    lost = []
    count = assessment.measures.count()
    order = min(data["order"], count + 1)
    assessment.measures.filter(order__gte=order).update(order=F("order") + 1)
    measure = Measure.objects.create(
        assessment=assessment,
        order=order,
        title=data["title"],
        period_start=_date(data["period_start"]),
        period_end=_date(data["period_end"]),
        period_text=data["period_text"],
        follow_up=data["follow_up"],
        responsible_person=data.get("responsible_person", ""),
        due_date=_date(data.get("due_date")),
    )
    issues = Issue.objects.filter(ita_year=assessment.ita_year, pk__in=data["issues"])
    questions = Question.objects.filter(ita_year=assessment.ita_year, pk__in=data["questions"])
    units = {u.pk: u for u in Unit.objects.filter(organisation=assessment.organisation)}
    rounds = {r.pk: r for r in ReportingRound.objects.filter(assessment=assessment)}
    measure.issues.set(issues)
    measure.questions.set(questions)
    measure.units.set([units[pk] for pk in data["units"] if pk in units])
    gone_units = {pk for pk in data["units"] if pk not in units}
    gone_rounds = set()
    for step_data in data["steps"]:
        step = MeasureStep.objects.create(
            measure=measure,
            order=step_data["order"],
            text=step_data["text"],
            period_start=_date(step_data["period_start"]),
            period_end=_date(step_data["period_end"]),
            period_text=step_data["period_text"],
            responsible_person=step_data.get("responsible_person", ""),
            due_date=_date(step_data.get("due_date")),
        )
        step.units.set([units[pk] for pk in step_data["units"] if pk in units])
        gone_units |= {pk for pk in step_data["units"] if pk not in units}
        for result in step_data["results"]:
            if result["round"] in rounds:
                StepProgress.objects.create(step=step, round=rounds[result["round"]], **_result_values(result))
            else:
                gone_rounds.add(result["round"])
    for result in data["progress"]:
        if result["round"] in rounds:
            Progress.objects.create(measure=measure, round=rounds[result["round"]], **_result_values(result))
        else:
            gone_rounds.add(result["round"])
    EvidenceFile.objects.filter(assessment=assessment, pk__in=data.get("files", []), measure=None).update(
        measure=measure
    )
    if gone_units:
        lost.append(f"ผู้รับผิดชอบ {len(gone_units)} หน่วยที่ถูกลบไปแล้ว")
    if gone_rounds:
        lost.append(f"ผลการดำเนินการของรอบรายงานที่ถูกลบไปแล้ว {len(gone_rounds)} รอบ")
    trash.delete()
    return measure, lost
