"""A reader cannot queue unbounded draft renders: a new request for the same report replaces the
waiting one, at most RENDER_MAX_PENDING wait per user (then a Thai 429 page), and old draft files
are deleted."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reports import render as rendering
from reports import tasks
from reports.models import RenderedReport
from tests.factories import make_assessment, make_measure, make_rounds

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker picks tasks up
Status = RenderedReport.Status


@pytest.fixture
def year(assessment_a):
    make_rounds(assessment_a)
    make_measure(assessment_a)
    return assessment_a


@pytest.fixture
def fake_pdf(monkeypatch):
    calls = []

    def fake(report):
        calls.append(report.opts.reporter_name)
        return b"%PDF-1.7 test " + report.opts.reporter_name.encode()

    monkeypatch.setattr(rendering, "render_pdf", fake)
    return calls


def pdf_url(slug="org-a", kind="o35", query=""):
    return reverse("report_pdf", args=[slug, 2568, kind]) + (f"?{query}" if query else "")


def test_thirty_requests_with_different_options_keep_one_render_waiting(auditor_client, year, settings):
    settings.TASKS = DUMMY
    for i in range(30):
        assert auditor_client.get(pdf_url(query=f"digits=thai&reporter_name=ผู้รายงาน{i}")).status_code == 200
    waiting = RenderedReport.objects.filter(status=Status.QUEUED)
    assert waiting.count() == 1  # the old code kept 30 queued renders, each rendered in turn
    assert waiting.get().options["reporter_name"] == "ผู้รายงาน29"
    # The replaced renders' tasks find no row and stop quietly; a page still waiting on one is told.
    replaced = waiting.get().pk - 1
    assert tasks.render_pdf.call(replaced) == "replaced"
    status = auditor_client.get(reverse("render_status", args=["org-a", 2568, replaced]))
    assert status.status_code == 410 and status.json()["status"] == "failed" and "ยกเลิก" in status.json()["error"]


def test_a_fourth_waiting_render_of_one_user_is_refused_with_a_thai_429(
    auditor_client, manager_client, year, org_b, settings
):
    settings.TASKS = DUMMY
    make_assessment(org_b)
    for kind in ("o34", "o35", "oit"):
        assert auditor_client.get(pdf_url(kind=kind)).status_code == 200
    response = auditor_client.get(pdf_url(slug="org-b", kind="o34"))
    page = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"]
    assert "กำลังสร้างรายงานอยู่ โปรดรอ" in page and "3 ไฟล์" in page
    assert RenderedReport.objects.count() == 3
    # Another user is not held up by the auditor's waiting renders …
    assert manager_client.get(pdf_url(kind="o34", query="digits=arabic")).status_code == 200
    # … and once one of the auditor's is done, the auditor may ask again.
    RenderedReport.objects.filter(kind="o34", requested_by__username="auditor").update(status=Status.DONE)
    assert auditor_client.get(pdf_url(slug="org-b", kind="o34")).status_code == 200


def test_a_finished_render_is_served_even_to_a_busy_user(auditor_client, year, settings, fake_pdf):
    auditor_client.get(pdf_url(kind="o34"))  # rendered at once by the test backend
    settings.TASKS = DUMMY
    for kind in ("o35", "oit"):
        auditor_client.get(pdf_url(kind=kind))
    auditor_client.get(pdf_url(kind="o35", query="digits=arabic"))  # replaces the o35 one
    assert RenderedReport.objects.filter(status=Status.QUEUED).count() == 2
    response = auditor_client.get(pdf_url(kind="o34"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_only_the_newest_drafts_of_a_report_are_kept_with_their_files(manager_client, year, fake_pdf, settings):
    settings.RENDER_KEEP = 3
    for i in range(5):
        manager_client.get(pdf_url(query=f"digits=thai&reporter_name=คนที่{i}"))
    assert len(fake_pdf) == 5
    kept = RenderedReport.objects.order_by("pk")
    assert [r.options["reporter_name"] for r in kept] == ["คนที่2", "คนที่3", "คนที่4"]
    folder = settings.MEDIA_ROOT / "renders" / "org-a" / "2568" / "o35"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{r.content_hash}.pdf" for r in kept)


def test_the_cleanup_command_deletes_drafts_older_than_a_day(year, settings):
    def draft(digest, hours_ago, status=Status.DONE):
        row = RenderedReport.objects.create(assessment=year, kind="o34", content_hash=digest, status=status)
        if status == Status.DONE:
            row.file.save(f"{digest}.pdf", ContentFile(b"%PDF"), save=False)
        row.finished_at = timezone.now() - datetime.timedelta(hours=hours_ago)
        row.save()
        return row

    old, failed, fresh = draft("a" * 64, 30), draft("b" * 64, 25, Status.FAILED), draft("c" * 64, 1)
    waiting = RenderedReport.objects.create(assessment=year, kind="o34", content_hash="d" * 64)
    old_path = old.file.path
    call_command("cleanup_renders", stdout=open("/dev/null", "w"))
    assert set(RenderedReport.objects.values_list("pk", flat=True)) == {fresh.pk, waiting.pk}
    assert not (settings.MEDIA_ROOT / old_path).exists() and fresh.file.storage.exists(fresh.file.name)
    assert failed.pk not in RenderedReport.objects.values_list("pk", flat=True)
