"""E-mail reminders: before a round's cut-off, for an overdue measure, for an auditor's comment;
each sent once, never to someone who turned them off, on a frozen date."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Membership
from measures.models import Progress, ReportingRound
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
    assert "“มาตรการจัดทำคู่มือ” ปีงบประมาณ 2568 สิ้นสุดเมื่อ 31 มกราคม 2568" in mail.outbox[0].body
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


# --- only started years; the organisation, the fiscal year and a link; acknowledged comments ---


def test_a_fiscal_year_that_has_not_started_is_never_reminded_of(people, org_a, assessment_a):
    from tests.factories import make_assessment

    next_year = make_assessment(org_a, year=2568, scores=False)  # fiscal year 2569: from 1 October 2025
    # imported from last year's Word report: last year's dates, already past
    make_measure(
        next_year,
        title="มาตรการนำเข้า",
        period_start=datetime.date(2024, 10, 1),
        period_end=datetime.date(2025, 1, 31),
    )
    ReportingRound.objects.create(assessment=next_year, name="รอบทดลอง", as_of=datetime.date(2025, 2, 14))
    assert send_reminders(datetime.date(2025, 2, 10)) == 0
    assert send_reminders(datetime.date(2025, 10, 1)) == 2  # the year has begun
    assert "มาตรการ “มาตรการนำเข้า” ปีงบประมาณ 2569 สิ้นสุดเมื่อ 31 มกราคม 2568" in mail.outbox[0].body


def test_the_mail_names_the_organisation_and_year_and_links_to_the_page(people, assessment_a, settings):
    settings.SITE_URL = "https://ita.example.go.th"
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a, title="มาตรการจัดทำคู่มือ", period_end=datetime.date(2025, 3, 20))
    send_reminders(BEFORE_ROUND_1)
    message = mail.outbox[0]
    assert message.subject == "แจ้งเตือน ITA: อบต.ระเว ปีงบประมาณ 2568 2 รายการ"
    assert "รายการที่ต้องดำเนินการขององค์การบริหารส่วนตำบลระเว ปีงบประมาณ 2568 ณ วันที่" in message.body
    assert f"https://ita.example.go.th/o/org-a/2568/progress/{rounds[0].pk}/" in message.body
    assert f"https://ita.example.go.th/o/org-a/2568/progress/#p{m.pk}" in message.body
    assert "https://ita.example.go.th/accounts/reminders/" in message.body


def _comment(assessment, auditor, manager, read=False):
    version = PublishedVersion.objects.create(
        assessment=assessment,
        organisation=assessment.organisation,
        kind="o35",
        number=1,
        title="รายงาน",
        published_by=manager,
        published_by_name="ผู้บริหาร",
        published_at=datetime.datetime(2025, 10, 5, tzinfo=datetime.UTC),
        sha256={},
    )
    return ReviewComment.objects.create(
        version=version,
        author=auditor,
        author_name="ผู้ตรวจ ก",
        text="ขาดหลักฐาน",
        read_at=datetime.datetime(2025, 10, 6, tzinfo=datetime.UTC) if read else None,
        read_by_name="สมศรี" if read else "",
    )


def test_an_acknowledged_comment_is_not_sent(people, assessment_a, auditor, manager_a):
    _comment(assessment_a, auditor, manager_a, read=True)
    assert send_reminders(datetime.date(2025, 10, 6)) == 0


def test_a_comment_links_to_it_on_the_reports_page(people, assessment_a, auditor, manager_a, settings):
    settings.SITE_URL = "https://ita.example.go.th/"
    comment = _comment(assessment_a, auditor, manager_a)
    send_reminders(datetime.date(2025, 10, 6))
    assert f"https://ita.example.go.th/o/org-a/2568/reports/#comment-{comment.pk}" in mail.outbox[0].body
