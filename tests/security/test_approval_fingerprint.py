"""An approval is of what the report prints (a SHA-256 of the built report), taken from the preview
the manager saw: any printed edit after it shows "แก้ไขหลังอนุมัติ" and stops publishing; a
stale preview is never approved; approving leads back to the reports page, past a checklist
that the manager confirms."""

import dataclasses
import datetime
import types

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Organisation, QuestionScore, Unit
from assessments.services import DomainError, score_sheet
from measures import services
from measures.approval import ApprovalState, state
from measures.models import Measure, MeasureStep, OitChecklistItem, Progress, StepProgress
from reports import approval, publication
from reports.checklist import CONFIRM_REQUIRED, missing_before_approval
from reports.data import ReportOptions
from reports.models import ReportSettings
from tests.factories import approve_as_seen, make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db

EDITED = "แก้ไขหลังอนุมัติ"


@pytest.fixture
def year(assessment_a, manager_a):
    a = assessment_a
    rounds = make_rounds(a)
    rounds[0].published_at = timezone.now()  # the 6-month O26 is out: the 12-month round is reported now
    rounds[0].save()
    m = make_measure(a, title="มาตรการเปิดเผยข้อมูล", period_text="ตลอดปีงบประมาณ")
    make_progress(m, rounds[1], status="in_progress", output="ได้ดำเนินการบางส่วน")
    # a step with its own outcome: the outcome prints per step, the measure's output once
    StepProgress.objects.create(step=m.steps.first(), round=rounds[1], status="done", outcome="ขั้นแรกเสร็จ")
    unit = a.organisation.units.get(name="สำนักปลัด")
    q = a.ita_year.questions.get(code="o1")
    OitChecklistItem.objects.create(assessment=a, question=q, unit=unit, status="done", description="เผยแพร่แล้ว")
    ReportSettings.objects.create(assessment=a, digits="thai")  # introductions written from the data
    services.save_analysis(a, {1: ("วิเคราะห์เดิม", "ปรับปรุงเดิม")}, "ข้อจำกัดเดิม")
    for kind in ("o34", "o35", "oit"):
        services.approve(a, kind, manager_a)
    return a, m


def _remember(a, **values):
    ReportSettings.objects.filter(assessment=a).update(options_saved_at=timezone.now(), **values)


EDITS = {
    "question score": lambda a, m: QuestionScore.objects.filter(assessment=a, question__code="i1").update(score=50),
    "overall score": lambda a, m: type(a).objects.filter(pk=a.pk).update(overall_score="70.00"),
    "o34 introduction": lambda a, m: ReportSettings.objects.filter(assessment=a).update(intro_o34="คำนำใหม่"),
    "o35 introduction": lambda a, m: ReportSettings.objects.filter(assessment=a).update(intro_o35="คำนำผลใหม่"),
    "organisation name": lambda a, m: Organisation.objects.filter(pk=a.organisation_id).update(name="อบต.ชื่อใหม่"),
    "unit name": lambda a, m: Unit.objects.filter(name="สำนักปลัด", organisation=a.organisation).update(
        name="สำนักปลัดองค์การ"
    ),
    "measure title": lambda a, m: Measure.objects.filter(pk=m.pk).update(title="มาตรการชื่อใหม่"),
    "step text": lambda a, m: MeasureStep.objects.filter(measure=m, order=2).update(text="ขั้นตอนเขียนใหม่"),
    "free-text period": lambda a, m: Measure.objects.filter(pk=m.pk).update(period_text="ไตรมาสที่ 2"),
    "follow-up": lambda a, m: Measure.objects.filter(pk=m.pk).update(follow_up="ติดตามทุกเดือน"),
    "analysis": lambda a, m: services.save_analysis(a, {1: ("วิเคราะห์ใหม่", "ปรับปรุงเดิม")}, "ข้อจำกัดเดิม"),
    "limitations": lambda a, m: type(a).objects.filter(pk=a.pk).update(limitations="ข้อจำกัดใหม่"),
    "progress result": lambda a, m: Progress.objects.filter(measure=m).update(output="ผลใหม่"),
    "progress status": lambda a, m: Progress.objects.filter(measure=m).update(status="done"),
    "step result": lambda a, m: StepProgress.objects.filter(step__measure=m).update(outcome="ขั้นแรกแก้ผล"),
    "checklist text": lambda a, m: OitChecklistItem.objects.filter(assessment=a).update(description="แก้คำอธิบาย"),
    "checklist status": lambda a, m: OitChecklistItem.objects.filter(assessment=a).update(status="not_done"),
    "digits option": lambda a, m: _remember(a, digits="arabic"),
    "approver name": lambda a, m: _remember(a, approver_name="นายผู้อนุมัติคนใหม่"),
    "number column": lambda a, m: _remember(a, number_column=True),
}
# what each report prints of those edits
PRINTED = {
    "o34": {
        "question score", "overall score", "o34 introduction", "organisation name", "unit name", "measure title",
        "step text", "free-text period", "follow-up", "analysis", "limitations", "digits option", "approver name",
        "number column",
    },
    "o35": {
        "o35 introduction", "organisation name", "unit name", "measure title", "step text", "free-text period",
        "progress result", "progress status", "step result", "digits option", "approver name", "number column",
    },
    "oit": {"organisation name", "unit name", "checklist text", "checklist status", "digits option", "approver name"},
}  # fmt: skip


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_every_printed_edit_after_approval_is_flagged_and_blocks_publishing(
    year, manager_a, manager_client, edit, monkeypatch
):
    a, m = year
    EDITS[edit](a, m)
    a.refresh_from_db()
    a.organisation.refresh_from_db()
    changed = {kind for kind in ("o34", "o35", "oit") if state(a, kind) == ApprovalState.CHANGED}
    assert changed == {kind for kind, edits in PRINTED.items() if edit in edits}
    page = manager_client.get(reverse("report_index", args=["org-a", 2568])).content.decode()
    for kind in changed:
        section = page[page.index(f'id="kind-{kind}"') :].split("</section>")[0]
        assert EDITED in section, (edit, kind)
        preview = manager_client.get(reverse("report_preview", args=["org-a", 2568, kind])).content.decode()
        assert EDITED in preview[: preview.index("</div>")], (edit, kind)
        monkeypatch.setattr(publication, "html_to_pdf", lambda html, archival=False: b"%PDF-")
        with pytest.raises(DomainError, match=EDITED):
            publication.publish(a, kind, manager_a, approval.remembered_options(a))


def test_edits_nobody_sees_in_the_report_keep_the_approval(year):
    a, m = year
    Measure.objects.filter(pk=m.pk).update(responsible_person="นางสาวผู้รับผิดชอบ", due_date=datetime.date(2025, 1, 1))
    a.refresh_from_db()
    assert all(state(a, k) == ApprovalState.APPROVED for k in ("o34", "o35", "oit"))
    # the o35 round chosen does not change what the o34 report prints
    other_round = a.rounds.order_by("as_of").first()
    opts = dataclasses.replace(approval.remembered_options(a), round_id=other_round.pk)
    assert state(a, "o34", opts) == ApprovalState.APPROVED
    assert state(a, "o35", opts) == ApprovalState.CHANGED


def test_a_report_dated_today_stays_approved_the_next_day(year, monkeypatch):
    a, _ = year

    tomorrow = datetime.date.today() + datetime.timedelta(days=1)

    class Tomorrow(datetime.date):
        @classmethod
        def today(cls):
            return tomorrow

    today_text = approval.data.build("o35", a, ReportOptions()).date_text
    monkeypatch.setattr("reports.data.datetime", types.SimpleNamespace(date=Tomorrow))
    assert approval.data.build("o35", a, ReportOptions()).date_text != today_text
    assert state(a, "o35") == ApprovalState.APPROVED
    dated = ReportOptions(report_date=datetime.date(2025, 10, 1))
    assert approval.fingerprint(a, "o35", dated) != approval.fingerprint(a, "o35", ReportOptions())


# --- approving from the preview ------------------------------------------------------------


@pytest.fixture
def unapproved(assessment_a):
    rounds = make_rounds(assessment_a)
    rounds[0].published_at = timezone.now()  # the 6-month O26 is out: the 12-month round is reported now
    rounds[0].save()
    m = make_measure(assessment_a, title="มาตรการที่ผู้บริหารเห็น")
    make_progress(m, rounds[1], status="done", output="ผลที่ผู้บริหารเห็น")
    return assessment_a, m


def test_approving_from_the_preview_records_its_fingerprint_and_returns_to_the_reports_page(unapproved, manager_client):
    a, _ = unapproved
    response = approve_as_seen(manager_client, a, "o35")
    assert response.status_code == 302
    # back to the reports page, with the options the preview was approved with (publishing uses them)
    assert (
        response["Location"] == reverse("report_index", args=["org-a", 2568]) + "?digits=thai&grouping=issues#kind-o35"
    )
    a.refresh_from_db()
    assert a.o35_approved_hash == approval.fingerprint(a, "o35") and state(a, "o35") == ApprovalState.APPROVED
    page = manager_client.get(response["Location"]).content.decode()
    assert "อนุมัติรายงานผลการดำเนินการตามมาตรการ" in page and "แล้ว" in page


def test_a_stale_preview_is_refused_and_the_new_one_shown(unapproved, manager_client):
    a, m = unapproved
    url = reverse("report_preview", args=["org-a", 2568, "o35"])
    page = manager_client.get(url).content.decode()
    seen = page.split('name="fingerprint" value="')[1].split('"')[0]
    services.save_progress(m, a.rounds.last(), {"status": "done", "output": "ผลที่แก้หลังเปิดหน้า"}, 1)
    response = manager_client.post(
        reverse("approve", args=["org-a", 2568, "o35"]), {"fingerprint": seen, "digits": "thai", "confirm": "1"}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert approval.STALE in body and "ผลที่แก้หลังเปิดหน้า" in body and "ผลที่ผู้บริหารเห็น" not in body
    assert seen not in body  # the new preview carries the new fingerprint
    a.refresh_from_db()
    assert a.o35_approved_at is None


def test_an_approval_without_the_previews_fingerprint_sends_the_manager_to_the_preview(unapproved, manager_client):
    a, _ = unapproved
    response = manager_client.post(reverse("approve", args=["org-a", 2568, "o35"]))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("report_preview", args=["org-a", 2568, "o35"])
    )
    a.refresh_from_db()
    assert a.o35_approved_at is None


def test_a_preview_with_other_options_is_approved_with_those_options(unapproved, manager_client):
    a, _ = unapproved
    assert approve_as_seen(manager_client, a, "o35", "?digits=arabic&grouping=list").status_code == 302
    a.refresh_from_db()
    assert a.o35_approved_hash == approval.fingerprint(a, "o35", ReportOptions(digits="arabic", grouping="list"))
    assert state(a, "o35", ReportOptions(digits="arabic", grouping="list")) == ApprovalState.APPROVED
    assert state(a, "o35", ReportOptions()) == ApprovalState.CHANGED  # printed otherwise: not what was approved


# --- the checklist -------------------------------------------------------------------------


def test_the_checklist_says_exactly_what_is_missing(assessment_a):
    a = assessment_a
    today = datetime.date(2025, 6, 1)  # after the 6-month round (31 March 2568), before the 12-month one
    rounds = make_rounds(a)
    rounds[0].published_at = timezone.now()  # the 6-month O26 is out: the 12-month round is reported now
    rounds[0].save()
    first, _ = make_measure(a), make_measure(a)
    make_progress(first, rounds[0])
    unaddressed = "ข้อที่ต้องพัฒนาแต่ยังไม่มีมาตรการรองรับ 7 ข้อ"  # o2 o5 o12 o17 o21 o33 e9; o9 has measures
    assert missing_before_approval(a, "o34", ReportOptions(), today) == ["วิเคราะห์แล้ว 0 จาก 7 ประเด็น", unaddressed]
    assert missing_before_approval(a, "o35", ReportOptions(round_id=rounds[0].pk), today) == [
        "มาตรการที่ยังไม่มีผลในรอบ 6 เดือน 1 จาก 2 มาตรการ"
    ]
    assert missing_before_approval(a, "o35", ReportOptions(), today) == [
        "มาตรการที่ยังไม่มีผลในรอบ 12 เดือน 2 จาก 2 มาตรการ",
        "รอบ 12 เดือน ข้อมูล ณ วันที่ 30 กันยายน 2568 ยังมาไม่ถึง",
    ]
    total = a.ita_year.questions.filter(instrument="OIT").count()
    assert missing_before_approval(a, "oit", ReportOptions(), today) == [
        f"รายการ OIT ที่ยังไม่ได้ดำเนินการ {total} จาก {total} ข้อ"
    ]
    QuestionScore.objects.filter(assessment=a, question__code__in=["i1", "e2"]).delete()
    type(a).objects.filter(pk=a.pk).update(overall_score=None)
    a.refresh_from_db()
    a.ita_year.confirmed = False
    assert missing_before_approval(a, "o34", ReportOptions(), today) == [
        "ยังไม่ได้กรอกคะแนน 2 ข้อ",
        "ยังไม่ได้กรอกคะแนนภาพรวม",
        "วิเคราะห์แล้ว 0 จาก 7 ประเด็น",
        unaddressed,
        "รายการข้อประเมินของ ITA 2567 ยังไม่ยืนยันจากคู่มือ ป.ป.ช.",
    ]


def test_nothing_missing_gives_an_empty_checklist(year):
    a, m = year
    issues = {n: ("วิเคราะห์", "") for n in range(1, 8)}
    services.save_analysis(a, issues, "")
    sheet = score_sheet(a)
    m.questions.set([q for q in sheet.questions if sheet.weak(q)])
    assert missing_before_approval(a, "o34", ReportOptions()) == []
    assert missing_before_approval(a, "o35", ReportOptions()) == []


def test_approving_with_gaps_needs_the_confirmation(unapproved, manager_client):
    a, _ = unapproved
    preview = manager_client.get(reverse("report_preview", args=["org-a", 2568, "o34"])).content.decode()
    bar = preview[preview.index('id="approve-bar"') :].split("</form>")[0]
    assert "ก่อนอนุมัติ ยังขาด" in bar and "วิเคราะห์แล้ว 0 จาก 7 ประเด็น" in bar
    assert 'name="confirm" value="1" required' in bar
    response = approve_as_seen(manager_client, a, "o34", confirm=False)
    assert response.status_code == 400 and CONFIRM_REQUIRED in response.content.decode()
    a.refresh_from_db()
    assert a.o34_approved_at is None
    assert approve_as_seen(manager_client, a, "o34", confirm=True).status_code == 302
    a.refresh_from_db()
    assert a.o34_approved_at is not None


def test_publishing_with_gaps_needs_the_confirmation(unapproved, manager_client, settings):
    from reports.models import PublishJob

    a, _ = unapproved
    approve_as_seen(manager_client, a, "o34")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = manager_client.get(reverse("report_index", args=["org-a", 2568])).content.decode()
    section = page[page.index('id="kind-o34"') :].split("</section>")[0]
    assert "วิเคราะห์แล้ว 0 จาก 7 ประเด็น" in section and 'name="confirm"' in section
    url = reverse("report_publish", args=["org-a", 2568, "o34"])
    response = manager_client.post(url, {"digits": "thai"}, follow=True)
    assert CONFIRM_REQUIRED in response.content.decode() and not PublishJob.objects.exists()
    manager_client.post(url, {"digits": "thai", "confirm": "1"})
    assert PublishJob.objects.count() == 1


def test_the_year_home_leads_to_the_preview_to_approve(unapproved, manager_client):
    page = manager_client.get(reverse("dashboard", args=["org-a", 2568])).content.decode()
    for kind in ("o34", "o35", "oit"):
        assert f'href="{reverse("report_preview", args=["org-a", 2568, kind])}"' in page
    assert 'action="/o/org-a/2568/approve/' not in page


def test_pages_showing_approvals_stay_bounded_whatever_the_number_of_measures(year, manager_a, manager_client):
    """The year home, the reports page and the previews build the reports to compare fingerprints:
    a fixed number of queries, not one more per measure."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, _ = year
    args = ["org-a", 2568]
    urls = [reverse("dashboard", args=args), reverse("report_index", args=args)]
    urls += [reverse("report_preview", args=[*args, kind]) for kind in ("o34", "o35", "oit")]

    def counts():
        out = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert manager_client.get(url).status_code == 200
            out[url] = len(ctx.captured_queries)
        return out

    small = counts()
    rounds = list(a.rounds.order_by("as_of"))
    for i in range(20):
        make_progress(make_measure(a, steps=3, issues=(i % 7 + 1,)), rounds[1], status="done")
    for kind in ("o34", "o35", "oit"):
        services.approve(a, kind, manager_a)
    large = counts()
    assert large == small
    assert max(large.values()) <= 70, large
