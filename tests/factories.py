"""Plain factory functions for tests."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from assessments.models import Assessment, ItaYear, Membership, Organisation, OrgType, Question, Unit
from assessments.services import save_scores
from measures.models import Measure, MeasureStep, Progress, ReportingRound

_seq = itertools.count(1)

REFERENCE_INDICATORS = {
    1: "97.97", 2: "93.19", 3: "94.93", 4: "93.04", 5: "96.81",
    6: "92.62", 7: "88.30", 8: "64.61", 9: "77.62", 10: "90.00",
}  # fmt: skip
REFERENCE_QUESTIONS = {
    "i1": "98.70", "i2": "97.39", "i3": "97.83", "i4": "96.96", "i5": "89.57", "i6": "93.04",
    "i7": "93.91", "i8": "93.04", "i9": "97.83", "i10": "93.48", "i11": "96.52", "i12": "89.13",
    "i13": "96.96", "i14": "96.96", "i15": "96.52",
    "e1": "96.98", "e2": "96.60", "e3": "98.11", "e4": "95.85", "e5": "93.58", "e6": "94.34",
    "e7": "97.36", "e8": "94.34", "e9": "16.98",
}  # fmt: skip
REFERENCE_OIT_ZEROS = {"o2", "o5", "o9", "o12", "o17", "o21", "o33"}
REFERENCE_QUESTIONS.update({f"o{n}": "0" if f"o{n}" in REFERENCE_OIT_ZEROS else "100" for n in range(1, 36)})


def make_org(slug=None, name=None, **kw):
    n = next(_seq)
    slug = slug or f"org-{n}"
    org = Organisation.objects.create(
        slug=slug,
        name=name or f"องค์การบริหารส่วนตำบลทดสอบ{n}",
        org_type=kw.pop("org_type", OrgType.SAO),
        district=kw.pop("district", "เมือง"),
        province=kw.pop("province", "อุบลราชธานี"),
        **kw,
    )
    for i, unit in enumerate(["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา"]):
        Unit.objects.create(organisation=org, name=unit, order=i)
    return org


def make_user(role, org=None, username=None):
    username = username or f"{role}-{next(_seq)}"
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-1")
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def make_assessment(org, year=2567, scores=True):
    ita_year = ItaYear.objects.get(year=year)
    assessment = Assessment.objects.create(organisation=org, ita_year=ita_year)
    if scores:
        # Other years have other items: keep the reference scores whose code the year has.
        codes = {c.lower() for c in Question.objects.filter(ita_year=ita_year).values_list("code", flat=True)}
        save_scores(
            assessment,
            questions={k: v for k, v in REFERENCE_QUESTIONS.items() if k in codes},
            indicators=REFERENCE_INDICATORS,
            overall="86.63",
            overall_given=True,
        )
    return assessment


def make_rounds(assessment):
    fy_ce = assessment.fiscal_year - 543
    return [
        ReportingRound.objects.create(assessment=assessment, name="รอบ 6 เดือน", as_of=datetime.date(fy_ce, 3, 31)),
        ReportingRound.objects.create(assessment=assessment, name="รอบ 12 เดือน", as_of=datetime.date(fy_ce, 9, 30)),
    ]


def make_measure(assessment, title=None, steps=3, units=("สำนักปลัด",), issues=(1,), questions=("o9",), **kw):
    n = next(_seq)
    fy_ce = assessment.fiscal_year - 543
    measure = Measure.objects.create(
        assessment=assessment,
        order=kw.pop("order", n),
        title=title or f"มาตรการทดสอบที่ {n}",
        period_start=kw.pop("period_start", datetime.date(fy_ce - 1, 10, 1)),
        period_end=kw.pop("period_end", datetime.date(fy_ce, 9, 30)),
        **kw,
    )
    measure.units.set(assessment.organisation.units.filter(name__in=units))
    measure.issues.set(assessment.ita_year.issues.filter(number__in=issues))
    measure.questions.set(Question.objects.filter(ita_year=assessment.ita_year, code__in=questions))
    for i in range(steps):
        MeasureStep.objects.create(measure=measure, order=i + 1, text=f"ขั้นตอนที่ {i + 1} ของ{measure.title}")
    return measure


def make_progress(measure, round_, status="in_progress", output="ดำเนินการแล้ว", outcome="ได้ผลดี"):
    return Progress.objects.create(measure=measure, round=round_, status=status, output=output, outcome=outcome)


def approve_as_seen(client, assessment, kind, query="", confirm=True):
    """A manager approves as in the browser: opens the report's preview, then posts its approval
    form (the fingerprint of the report shown, the options, and the confirmation of any gap)."""
    import re

    from django.urls import reverse

    args = [assessment.organisation.slug, assessment.fiscal_year, kind]
    page = client.get(reverse("report_preview", args=args) + query).content.decode()
    form = page[page.index('id="approve-bar"') :]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    if confirm:
        fields["confirm"] = "1"
    return client.post(reverse("approve", args=args), fields)
