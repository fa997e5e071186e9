"""The audit trail of one organisation-year, read from django-simple-history's tables.

Entries read as a person would say them: names instead of ids ("กองคลัง", "ข้อ o9",
"ประเด็นที่ 3"), Thai labels and choices ("ดำเนินการแล้ว", not "done"), many-to-many links
(responsible units, issues) as names added and removed, dates in the Buddhist Era and times
in Asia/Bangkok.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from assessments.models import (
    Assessment,
    Indicator,
    IndicatorScore,
    Issue,
    Organisation,
    Question,
    QuestionScore,
    Unit,
)
from assessments.richtext import to_plain
from assessments.thai import shorten, thai_date
from measures.models import (
    IssueAnalysis,
    ItemTitle,
    Measure,
    MeasureStep,
    OitChecklistItem,
    Progress,
    ReportingRound,
    StepProgress,
)

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
    # the context an entry is already listed under
    "assessment",
    "assessment_id",
    "measure",
    "measure_id",
}
# Thai labels for fields whose model gives none.
LABELS = {
    "organisation": "หน่วยงาน",
    "question": "ข้อ",
    "indicator": "ตัวชี้วัด",
    "issue": "ประเด็น",
    "round": "รอบรายงาน",
    "unit": "ผู้รับผิดชอบ",
    "order": "ลำดับ",
    "score": "คะแนน",
    "o34_approved_by": "ผู้อนุมัติ o34",
    "o34_approved_at": "วันที่อนุมัติ o34",
    "o35_approved_by": "ผู้อนุมัติ o35",
    "o35_approved_at": "วันที่อนุมัติ o35",
    "oit_approved_by": "ผู้อนุมัติ OIT",
    "oit_approved_at": "วันที่อนุมัติ OIT",
}


@dataclass
class Entry:
    when: object
    who: str
    action: str
    what: str
    label: str
    changes: list  # (field label, before, after)
    anchor: tuple = ()  # (source, history id) of its newest record: the entry is on that record's page

    @property
    def when_text(self) -> str:
        """'22 พฤศจิกายน 2569 18:05:01 น.' in Asia/Bangkok time."""
        local = timezone.localtime(self.when)
        return f"{thai_date(local)} {local:%H:%M:%S} น."


def _is_thai(text) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in str(text))


def _label(field) -> str:
    name = str(field.verbose_name)
    return name if _is_thai(name) else LABELS.get(field.name, name)


def _fields(model):
    # Only what the history records (a model may leave derived fields out of its history).
    recorded = {f.name for f in model.history.model._meta.fields}
    return [f for f in model._meta.fields if f.attname not in SKIP and f.name not in SKIP and f.name in recorded]


def _user_name(user) -> str:
    return user.get_full_name() or user.get_username()


class Names:
    """id -> readable name of the rows that foreign keys and links point at, fetched once per model."""

    def __init__(self, assessment):
        user_model = get_user_model()
        org = assessment.organisation_id
        self.maps = {
            Question: dict(Question.objects.filter(ita_year_id=assessment.ita_year_id).values_list("id", "code")),
            Indicator: {
                i: f"ตัวชี้วัดที่ {n}"
                for i, n in Indicator.objects.filter(ita_year_id=assessment.ita_year_id).values_list("id", "number")
            },
            Issue: {
                i: f"ประเด็นที่ {n}"
                for i, n in Issue.objects.filter(ita_year_id=assessment.ita_year_id).values_list("id", "number")
            },
            Unit: dict(Unit.history.filter(organisation_id=org).order_by("history_date").values_list("id", "name")),
            ReportingRound: dict(ReportingRound.objects.filter(assessment=assessment).values_list("id", "name")),
            Organisation: {org: assessment.organisation.name},
            Measure: dict(
                Measure.history.filter(assessment_id=assessment.id).order_by("history_date").values_list("id", "title")
            ),
        }
        self.maps[Unit] |= dict(Unit.objects.filter(organisation_id=org).values_list("id", "name"))
        titles = self.maps[Measure]
        # A step's label, also for a step deleted since (its history keeps measure and order).
        self.steps = {
            pk: f"{titles.get(measure_id, '')} · ขั้นตอนที่ {order}"
            for pk, measure_id, order in MeasureStep.history.filter(measure_id__in=list(titles))
            .order_by("history_date")
            .values_list("id", "measure_id", "order")
        }
        self.user_model = user_model
        self.users = {}

    def of(self, model, pk):
        if pk is None:
            return ""
        if model is self.user_model:
            if pk not in self.users:
                user = self.user_model.objects.filter(pk=pk).first()
                self.users[pk] = _user_name(user) if user else f"ผู้ใช้ที่ถูกลบ ({pk})"
            return self.users[pk]
        return self.maps.get(model, {}).get(pk, f"(รายการที่ถูกลบ {pk})")


def _plain(value, field, names: Names) -> str:
    if value is None or value == "":
        return ""
    if isinstance(field, models.ForeignKey):
        return names.of(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{thai_date(local)} {local:%H:%M} น."
    if isinstance(value, datetime.date):
        return thai_date(value)
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if field.name.endswith("_hash"):
        return str(value)[:12] + "…"
    if isinstance(value, str) and "<" in value:
        value = to_plain(value)
    return shorten(str(value), 300)


def _value(record, field, names):
    return _plain(getattr(record, field.attname), field, names)


def _m2m_links(history_model):
    """[(label, accessor, target model, target FK attname)] of the links simple-history records."""
    links = []
    for rel in history_model._meta.related_objects:
        through = rel.related_model
        names = {f.name for f in through._meta.fields}
        if "m2m_history_id" not in names:
            continue
        source = history_model.instance_type
        for f in through._meta.fields:
            if isinstance(f, models.ForeignKey) and f.name != "history" and f.related_model is not source:
                m2m = source._meta.get_field(rel.related_model._meta.model_name.split("_", 1)[1])
                links.append((_label(m2m), rel.get_accessor_name(), f.related_model, f.attname))
    return links


def _link_names(record, links, names):
    return {
        label: sorted(names.of(target, getattr(row, attname)) for row in getattr(record, accessor).all())
        for label, accessor, target, attname in links
    }


PAGE_SIZE = 50
# Records of one save lie within seconds of each other: a page's records are diffed and folded
# with their neighbours from this window around the page (see _context).
CONTEXT = datetime.timedelta(seconds=60)


def _sources(assessment: Assessment, names: "Names"):
    """[(model, history records of this year, label of a record)], filtered in SQL (subqueries, not id lists)."""
    org = assessment.organisation
    codes, issues, titles = names.maps[Question], names.maps[Issue], names.maps[Measure]
    measure_ids = Measure.history.filter(assessment_id=assessment.id).values("id")
    step_ids = MeasureStep.history.filter(measure_id__in=measure_ids).values("id")
    steps = names.steps
    return [
        (Organisation, Organisation.history.filter(id=org.id), lambda r: r.name),
        (Unit, Unit.history.filter(organisation_id=org.id), lambda r: r.name),
        (Assessment, Assessment.history.filter(id=assessment.id), lambda r: "ผลการประเมิน"),
        (QuestionScore, QuestionScore.history.filter(assessment_id=assessment.id), lambda r: codes.get(r.question_id)),
        (
            IndicatorScore,
            IndicatorScore.history.filter(assessment_id=assessment.id),
            lambda r: names.of(Indicator, r.indicator_id),
        ),
        (IssueAnalysis, IssueAnalysis.history.filter(assessment_id=assessment.id), lambda r: issues.get(r.issue_id)),
        (Measure, Measure.history.filter(assessment_id=assessment.id), lambda r: r.title),
        (
            MeasureStep,
            MeasureStep.history.filter(measure_id__in=measure_ids),
            lambda r: f"{titles.get(r.measure_id, '')} · ขั้นตอนที่ {r.order}",
        ),
        (
            Progress,
            Progress.history.filter(measure_id__in=measure_ids),
            lambda r: f"{titles.get(r.measure_id, '')} · {names.of(ReportingRound, r.round_id)}",
        ),
        (
            StepProgress,
            StepProgress.history.filter(step_id__in=step_ids),
            lambda r: f"{steps.get(r.step_id, '')} · {names.of(ReportingRound, r.round_id)}",
        ),
        (
            OitChecklistItem,
            OitChecklistItem.history.filter(assessment_id=assessment.id),
            lambda r: codes.get(r.question_id, ""),
        ),
        (ItemTitle, ItemTitle.history.filter(assessment_id=assessment.id), lambda r: codes.get(r.question_id, "")),
    ]


def records(assessment: Assessment):
    """Every history record of the year as (date, history id, object id, source index), newest first: one UNION
    query that the paginator slices (LIMIT/OFFSET) and counts, so a page costs the same at any history size."""
    parts = [
        qs.order_by()
        .annotate(src=models.Value(i, output_field=models.IntegerField()))
        .values_list("history_date", "history_id", "id", "src")
        for i, (_, qs, _) in enumerate(_sources(assessment, _NoNames))
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")


def _context(model, page_records):
    """The page's records of one model with, for folding and diffing, the records of the same objects
    within CONTEXT of the page and the record just before each of them."""
    history = model.history.model
    object_ids = {object_id for _, _, object_id, _ in page_records}
    dates = [date for date, _, _, _ in page_records]
    window = history.objects.filter(id__in=object_ids, history_date__range=(min(dates) - CONTEXT, max(dates) + CONTEXT))
    before = (
        history.objects.filter(id=models.OuterRef("id"))
        .filter(
            models.Q(history_date__lt=models.OuterRef("history_date"))
            | models.Q(history_date=models.OuterRef("history_date"), history_id__lt=models.OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    previous = window.annotate(before=models.Subquery(before)).values("before")
    return history.objects.filter(
        models.Q(history_id__in=window.values("history_id")) | models.Q(history_id__in=previous)
    )


def trail(assessment: Assessment, page_records):
    """The entries of one page of records (an item list of `records()`): each record diffed with the one
    before it; a save's link records folded into it. An entry is on the page of its newest record."""
    page_keys = {(src, hid) for _, hid, _, src in page_records}
    if not page_keys:
        return []
    names = Names(assessment)
    sources = _sources(assessment, names)
    entries = []
    for src in sorted({src for src, _ in page_keys}):
        model, _, label = sources[src]
        fields = _fields(model)
        links = _m2m_links(model.history.model)
        rows = _context(model, [r for r in page_records if r[3] == src])
        rows = rows.select_related("history_user").order_by("history_date", "history_id")
        if links:
            rows = rows.prefetch_related(*[accessor for _, accessor, _, _ in links])
        entries += _entries(model, rows, fields, links, label, names, src)
    entries = [e for e in entries if e.changes and e.anchor in page_keys]
    entries.sort(key=lambda e: (e.when, e.anchor[1]), reverse=True)
    return entries


def _entries(model, records, fields, links, label, names, src):
    entries = []
    previous, last = {}, {}
    link_labels = {name for name, _, _, _ in links}
    for r in records:
        before = previous.get(r.id)
        previous[r.id] = r
        now_links = _link_names(r, links, names)
        if r.history_type == "~" and before is not None:
            changes = [
                (_label(f), _value(before, f, names), _value(r, f, names))
                for f in fields
                if _value(before, f, names) != _value(r, f, names)
            ]
            old_links = _link_names(before, links, names)
            changes += [
                (name, ", ".join(old_links[name]), ", ".join(now))
                for name, now in now_links.items()
                if now != old_links[name]
            ]
        elif r.history_type == "+":
            changes = [(_label(f), "", _value(r, f, names)) for f in fields if _value(r, f, names)]
            changes += [(name, "", ", ".join(now)) for name, now in now_links.items() if now]
        else:
            gone = before or r
            changes = [(_label(f), _value(gone, f, names), "") for f in fields if _value(gone, f, names)]
        if not changes:
            continue
        who = _user_name(r.history_user) if r.history_user else "ระบบ"
        earlier = last.get(r.id)
        links_only = all(name in link_labels for name, _, _ in changes)
        if r.history_type == "~" and links_only and earlier and earlier.who == who:
            if r.history_date - earlier.when < SAME_SAVE:
                _merge(earlier, r.history_date, changes)  # a save sets its links as records of their own
                earlier.anchor = (src, r.history_id)
                continue
        what = str(model._meta.verbose_name)
        text = shorten(str(label(r) or ""), 80)
        entry = Entry(r.history_date, who, ACTIONS[r.history_type], what, text, changes, (src, r.history_id))
        entries.append(entry)
        last[r.id] = entry if r.history_type != "-" else None
    return entries


class _NoNames:
    """What _sources reads of Names when only the records' SQL is wanted (records())."""

    maps = {Question: {}, Issue: {}, Measure: {}}
    steps = {}


# Records of one object by one person this close together are one save (a form saves the row,
# then sets its links, each written as its own history record).
SAME_SAVE = datetime.timedelta(seconds=5)


def _merge(entry: Entry, when, changes):
    """Fold later changes into an entry: each field keeps its first 'before' and its last 'after'."""
    merged = {name: [before, after] for name, before, after in entry.changes}
    for name, before, after in changes:
        if name in merged:
            merged[name][1] = after
        else:
            merged[name] = [before, after]
    entry.changes = [(name, before, after) for name, (before, after) in merged.items() if before != after]
    entry.when = when
