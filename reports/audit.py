"""The audit trail of one organisation-year, read from django-simple-history's tables."""

from dataclasses import dataclass

from assessments.models import Assessment, Indicator, IndicatorScore, Question, QuestionScore
from assessments.richtext import to_plain
from assessments.thai import shorten
from measures.models import IssueAnalysis, Measure, MeasureStep, OitChecklistItem, Progress

ACTIONS = {"+": "เพิ่ม", "~": "แก้ไข", "-": "ลบ"}
SKIP = {
    "id",
    "updated_at",
    "version",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
}


@dataclass
class Entry:
    when: object
    who: str
    action: str
    what: str
    label: str
    changes: list  # (field label, before, after)


def _fields(model):
    return [f for f in model._meta.fields if f.attname not in SKIP and f.name not in SKIP]


def _value(record, field):
    value = getattr(record, field.attname)
    if isinstance(value, str) and "<" in value:
        value = to_plain(value)
    return "" if value is None else shorten(str(value), 120)


def trail(assessment: Assessment, limit=300):
    measure_ids = set(Measure.history.filter(assessment_id=assessment.id).values_list("id", flat=True))
    titles = dict(
        Measure.history.filter(assessment_id=assessment.id).order_by("history_date").values_list("id", "title")
    )
    codes = dict(Question.objects.filter(ita_year_id=assessment.ita_year_id).values_list("id", "code"))
    numbers = dict(Indicator.objects.filter(ita_year_id=assessment.ita_year_id).values_list("id", "number"))
    sources = [
        (Assessment, Assessment.history.filter(id=assessment.id), lambda r: "ผลการประเมิน"),
        (
            QuestionScore,
            QuestionScore.history.filter(assessment_id=assessment.id),
            lambda r: codes.get(r.question_id, ""),
        ),
        (
            IndicatorScore,
            IndicatorScore.history.filter(assessment_id=assessment.id),
            lambda r: f"ตัวชี้วัดที่ {numbers.get(r.indicator_id, '')}",
        ),
        (IssueAnalysis, IssueAnalysis.history.filter(assessment_id=assessment.id), lambda r: f"ประเด็น #{r.issue_id}"),
        (Measure, Measure.history.filter(assessment_id=assessment.id), lambda r: r.title),
        (MeasureStep, MeasureStep.history.filter(measure_id__in=measure_ids), lambda r: titles.get(r.measure_id, "")),
        (Progress, Progress.history.filter(measure_id__in=measure_ids), lambda r: titles.get(r.measure_id, "")),
        (
            OitChecklistItem,
            OitChecklistItem.history.filter(assessment_id=assessment.id),
            lambda r: codes.get(r.question_id, ""),
        ),
    ]
    entries = []
    for model, records, label in sources:
        fields = _fields(model)
        previous = {}
        for r in records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(r.id)
            if r.history_type == "~" and before is not None:
                changes = [
                    (f.verbose_name, _value(before, f), _value(r, f))
                    for f in fields
                    if _value(before, f) != _value(r, f)
                ]
                if not changes:
                    previous[r.id] = r
                    continue
            elif r.history_type == "+":
                changes = [(f.verbose_name, "", _value(r, f)) for f in fields if _value(r, f)]
            else:
                changes = [(f.verbose_name, _value(before or r, f), "") for f in fields if _value(before or r, f)]
            previous[r.id] = r
            who = r.history_user.get_full_name() or r.history_user.get_username() if r.history_user else "ระบบ"
            entries.append(
                Entry(
                    r.history_date,
                    who,
                    ACTIONS[r.history_type],
                    model._meta.verbose_name,
                    shorten(str(label(r)), 80),
                    changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
