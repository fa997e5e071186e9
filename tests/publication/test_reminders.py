"""E-mail reminders: before a round's cut-off, for an overdue measure, for an auditor's comment;
each sent once, never to someone who turned them off, on a frozen date."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Membership
from measures.models import Progress
from reports.models import PublishedVersion, ReviewComment
from reports.reminders import send_reminders
from tests.factories import make_measure, make_rounds

pytestmark = pytest.mark.django_db

# Fiscal year 2568: rounds on 31 March 2025 and 30 September 2025 (CE).
BEFORE_ROUND_1 = datetime.date(2025, 3, 26)


@pytest.fixture
def people(staff_a, manager_a, staff_b):
    for user, email in ((staff_a, "staff@org-a.go.th"), (manager_a, "manager@org-a.go.th"), (staff_b, "b@org-b.go.th")):
        user.email = email
        user.save()
    return staff_a, manager_a, staff_b


def test_a_week_before_the_cut_off_staff_and_managers_are_told(people, assessment_a, assessment_b):
    make_rounds(assessment_a)
    make_measure(assessment_a, title="มาตรการ ก", period_end=datetime.date(2025, 9, 30))
    make_measure(assessment_a, title="มาตรการ ข", period_end=datetime.date(2025, 9, 30))
    assert send_reminders(BEFORE_ROUND_1) == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["manager@org-a.go.th", "staff@org-a.go.th"]  # never org B's staff
    body = mail.outbox[0].body
    assert "รอบ 6 เดือน ปีงบประมาณ 2568 ครบกำหนดวันที่ 31 มีนาคม 2568: ยังไม่ได้รายงานผล 2 มาตรการ" in body
    assert "2025" not in body  # Buddhist Era only


def test_each_reminder_is_sent_once(people, assessment_a):
    make_rounds(assessment_a)
    make_measure(assessment_a, period_end=datetime.date(2025, 9, 30))
    send_reminders(BEFORE_ROUND_1)
    assert send_reminders(BEFORE_ROUND_1 + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 2


def test_no_reminder_when_every_measure_is_reported_or_too_early(people, assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a, period_end=datetime.date(2025, 9, 30))
    assert send_reminders(datetime.date(2025, 3, 1)) == 0  # more than a week before
    Progress.objects.create(measure=m, round=rounds[0], status="in_progress", output="เริ่มแล้ว")
    assert send_reminders(BEFORE_ROUND_1) == 0


def test_overdue_measure_until_reported_done(people, assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a, title="มาตรการจัดทำคู่มือ", period_end=datetime.date(2025, 1, 31))
    Progress.objects.create(measure=m, round=rounds[0], status="in_progress")
    assert send_reminders(datetime.date(2025, 2, 10)) == 2
    assert "“มาตรการจัดทำคู่มือ” สิ้นสุดเมื่อ 31 มกราคม 2568" in mail.outbox[0].body
    other = make_measure(assessment_a, title="มาตรการเสร็จแล้ว", period_end=datetime.date(2025, 1, 31))
    Progress.objects.create(measure=other, round=rounds[0], status="done")
    mail.outbox.clear()
    send_reminders(datetime.date(2025, 2, 11))
    assert not mail.outbox  # the done measure is never reminded of; the other was already


def test_an_auditor_comment_is_forwarded(people, assessment_a, auditor, manager_a):
    version = PublishedVersion.objects.create(
        assessment=assessment_a,
        organisation=assessment_a.organisation,
        kind="o35",
        number=1,
        title="รายงาน",
        published_by=manager_a,
        published_by_name="ผู้บริหาร",
        published_at=datetime.datetime(2025, 10, 5, tzinfo=datetime.UTC),
        sha256={},
    )
    ReviewComment.objects.create(version=version, author=auditor, author_name="ผู้ตรวจ ก", text="ขาดหลักฐานข้อ ๓")
    assert send_reminders(datetime.date(2025, 10, 6)) == 2
    assert "ผู้ตรวจ (ผู้ตรวจ ก) ให้ข้อคิดเห็นต่อ" in mail.outbox[0].body and "ขาดหลักฐานข้อ ๓" in mail.outbox[0].body


def test_a_person_who_turned_reminders_off_gets_none(people, assessment_a, staff_client, staff_a):
    make_rounds(assessment_a)
    make_measure(assessment_a, period_end=datetime.date(2025, 9, 30))
    page = staff_client.get(reverse("reminder_settings")).content.decode()
    assert "องค์การบริหารส่วนตำบลระเว" in page and "staff@org-a.go.th" in page
    staff_client.post(reverse("reminder_settings"), {})  # every box unticked
    assert not Membership.objects.get(user=staff_a).reminders
    send_reminders(BEFORE_ROUND_1)
    assert [m.to[0] for m in mail.outbox] == ["manager@org-a.go.th"]


def test_command_with_a_frozen_date_and_a_dry_run(people, assessment_a, capsys):
    make_rounds(assessment_a)
    make_measure(assessment_a, period_end=datetime.date(2025, 9, 30))
    call_command("send_reminders", "--date", "2025-03-26", "--dry-run")
    assert "จะส่ง 2 ฉบับ" in capsys.readouterr().out and not mail.outbox
    call_command("send_reminders", "--date", "2025-03-26")
    assert len(mail.outbox) == 2
