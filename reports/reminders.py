"""E-mail reminders to an organisation's staff and managers: a reporting round's cut-off is near,
a measure is past its end date and not done, an auditor commented on a published version and
nobody has acknowledged it yet. Only about fiscal years that have started (a year imported ahead
holds last year's dates); each names its organisation and fiscal year and links to the page.

Each reminder is sent once per person (ReminderLog); each person can turn them off
(Membership.reminders). Run daily: `manage.py send_reminders` from cron or the task worker.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Membership, Role
from assessments.thai import fiscal_year_of, thai_date
from measures.models import Measure, ProgressStatus, ReportingRound

from .models import ReminderLog, ReviewComment

DAYS_BEFORE_CUTOFF = 7


@dataclass
class Item:
    key: str
    organisation_id: int
    text: str
    fiscal_year: int = 0
    url: str = ""  # the page where it is dealt with, in full (the e-mail leaves the site)


def _link(name, *args, anchor=""):
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args) + anchor


def due_items(today: datetime.date) -> list[Item]:
    """Everything worth reminding about on `today`, whoever it goes to."""
    items = []
    # ITA year N is the base of fiscal year N + 1: only years whose fiscal year has begun.
    started = {"assessment__ita_year__year__lte": fiscal_year_of(today) - 1}
    soon = today + datetime.timedelta(days=DAYS_BEFORE_CUTOFF)
    rounds = ReportingRound.objects.filter(as_of__gte=today, as_of__lte=soon, **started).select_related(
        "assessment__organisation", "assessment__ita_year"
    )
    for round_ in rounds:
        a = round_.assessment
        measures = Measure.objects.filter(assessment=a)
        missing = measures.exclude(progress__round=round_).count()
        if missing:
            items.append(
                Item(
                    f"round:{round_.id}",
                    a.organisation_id,
                    f"{round_.name} ปีงบประมาณ {a.fiscal_year} ครบกำหนดวันที่ "
                    f"{thai_date(round_.as_of)}: ยังไม่ได้รายงานผล {missing} มาตรการ",
                    a.fiscal_year,
                    _link("progress_round", a.organisation.slug, a.fiscal_year, round_.id),
                )
            )
    overdue = (
        Measure.objects.filter(period_end__lt=today, period_end__gte=today - datetime.timedelta(days=365), **started)
        .select_related("assessment__organisation", "assessment__ita_year")
        .prefetch_related("progress__round")
    )
    for measure in overdue:
        latest = max(measure.progress.all(), key=lambda p: p.round.as_of, default=None)
        if latest is None or latest.status != ProgressStatus.DONE:
            a = measure.assessment
            items.append(
                Item(
                    f"overdue:{measure.id}",
                    a.organisation_id,
                    f"มาตรการ “{measure.title}” ปีงบประมาณ {a.fiscal_year} สิ้นสุดเมื่อ "
                    f"{thai_date(measure.period_end)} แต่ยังไม่ได้รายงานว่าดำเนินการแล้ว",
                    a.fiscal_year,
                    _link("progress", a.organisation.slug, a.fiscal_year, anchor=f"#p{measure.id}"),
                )
            )
    comments = ReviewComment.objects.filter(
        created_at__gte=timezone.now() - datetime.timedelta(days=30), read_at__isnull=True
    )
    for comment in comments.select_related("version__assessment__organisation", "version__assessment__ita_year"):
        version = comment.version
        a = version.assessment
        items.append(
            Item(
                f"comment:{comment.id}",
                version.organisation_id,
                f"ผู้ตรวจ ({comment.author_name}) ให้ข้อคิดเห็นต่อ {version.kind_label} "
                f"ปีงบประมาณ {a.fiscal_year} ฉบับที่ {version.number}: {comment.text[:200]}",
                a.fiscal_year,
                _link("report_index", a.organisation.slug, a.fiscal_year, anchor=f"#comment-{comment.id}"),
            )
        )
    return items


def send_reminders(today: datetime.date | None = None, dry_run: bool = False) -> int:
    """Send each person one e-mail with what they have not been told yet; returns e-mails sent."""
    today = today or timezone.localdate()
    items = due_items(today)
    by_org = defaultdict(list)
    for item in items:
        by_org[item.organisation_id].append(item)
    members = Membership.objects.filter(
        organisation_id__in=by_org, role__in=[Role.STAFF, Role.MANAGER], reminders=True, user__is_active=True
    ).select_related("user", "organisation")
    told = set(ReminderLog.objects.filter(user__in=[m.user for m in members]).values_list("user_id", "key"))
    sent = 0
    for member in members:
        user = member.user
        new = [i for i in by_org[member.organisation_id] if (user.id, i.key) not in told]
        if not new or not user.email:
            continue
        if dry_run:
            sent += 1
            continue
        years = sorted({i.fiscal_year for i in new})
        year_text = "ปีงบประมาณ " + " และ ".join(str(y) for y in years)
        lines = []
        for i in new:
            lines += [f"- {i.text}", f"  {i.url}"]
        body = "\n".join(
            [
                f"เรียน คุณ{user.get_full_name() or user.get_username()}",
                "",
                f"รายการที่ต้องดำเนินการของ{member.organisation.name} {year_text} ณ วันที่ {thai_date(today)}:",
                *lines,
                "",
                f"ปิดการแจ้งเตือนได้ที่ {_link('reminder_settings')}",
            ]
        )
        with transaction.atomic():
            for item in new:
                try:
                    with transaction.atomic():
                        ReminderLog.objects.create(user=user, key=item.key)
                except IntegrityError:  # a concurrent run told them already
                    continue
            send_mail(
                f"แจ้งเตือน ITA: {member.organisation.short_name} {year_text} {len(new)} รายการ",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        sent += 1
    return sent
