"""Draft PDFs are rendered in the background (Django Tasks) and served again from a cache keyed by
a hash of the report's data and options: the manager never waits on a blocked page."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from measures.models import Measure
from reports import render as rendering
from reports import tasks
from reports.models import RenderedReport
from tests.conftest import _client, missing_tool
from tests.factories import approve_as_seen

ROOT = Path(__file__).resolve().parents[2]
FAKE_PDF = b"%PDF-1.7 rendered for the test\n%%EOF\n"
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def year(report_year):
    """An approved-looking year with measures, progress and rounds (tests/reports/conftest.py)."""
    return report_year[0]


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDF renders (WeasyPrint replaced by fixed bytes unless a test wants the real one)."""
    calls = []

    def fake(report):
        calls.append(report.kind)
        return FAKE_PDF + report.opts.digits.encode()

    monkeypatch.setattr(rendering, "render_pdf", fake)
    return calls


def pdf_url(a, kind="o35", query=""):
    return reverse("report_pdf", args=[a.organisation.slug, a.fiscal_year, kind]) + (f"?{query}" if query else "")


def test_first_request_answers_at_once_with_the_thai_progress_page(
    manager_client, year, renders, settings, django_assert_max_num_queries
):
    settings.TASKS = DUMMY  # a worker that has not picked the task up yet
    with django_assert_max_num_queries(26):  # +3: this user's waiting renders counted under a lock
        response = manager_client.get(pdf_url(year))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "กำลังจัดทำไฟล์ PDF…" in page and "js/report-render.js" in page and "<script>" not in page
    assert renders == []  # nothing rendered inside the request
    rendered = RenderedReport.objects.get()
    assert rendered.status == RenderedReport.Status.QUEUED and rendered.kind == "o35"
    from django_tasks import default_task_backend

    assert [r.args for r in default_task_backend.results] == [[rendered.pk]]
    status = manager_client.get(reverse("render_status", args=["org-a", year.fiscal_year, rendered.pk]))
    assert status.json() == {
        "status": "queued",
        "status_label": "รอคิว",
        "error": "",
        "status_url": status.wsgi_request.path,
        "download_url": "",
    }
    # Asking again while it waits does not queue the same work twice.
    manager_client.get(pdf_url(year))
    assert RenderedReport.objects.count() == 1 and len(default_task_backend.results) == 1


def test_the_worker_renders_and_the_page_offers_the_file(manager_client, year, settings):
    settings.TASKS = DUMMY
    manager_client.get(pdf_url(year, "oit"))
    rendered = RenderedReport.objects.get()
    assert tasks.render_pdf.call(rendered.pk) == "done"  # what the worker runs (real WeasyPrint)
    rendered.refresh_from_db()
    assert rendered.status == "done" and rendered.started_at and rendered.finished_at
    assert rendered.file.name.startswith(f"renders/org-a/{year.fiscal_year}/oit/")
    state = manager_client.get(reverse("render_status", args=["org-a", year.fiscal_year, rendered.pk])).json()
    assert state["status"] == "done" and state["status_label"] == "เสร็จแล้ว"
    download = manager_client.get(state["download_url"])
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    assert download["ETag"] == f'"{rendered.content_hash}"'
    again = manager_client.get(pdf_url(year, "oit"))
    assert b"".join(again.streaming_content) == body and 'filename="' in again["Content-Disposition"]


def test_same_data_is_served_from_the_cache_without_rendering(
    manager_client, year, renders, django_assert_max_num_queries
):
    first = manager_client.get(pdf_url(year))
    first_bytes = b"".join(first.streaming_content)
    assert first_bytes.startswith(FAKE_PDF) and renders == ["o35"]
    with django_assert_max_num_queries(19):  # +1: the evidence files of the round
        second = manager_client.get(pdf_url(year))
    assert b"".join(second.streaming_content) == first_bytes and renders == ["o35"]
    digest = RenderedReport.objects.get().content_hash
    assert second["ETag"] == f'"{digest}"'
    not_modified = manager_client.get(pdf_url(year), HTTP_IF_NONE_MATCH=f'"{digest}"')
    assert not_modified.status_code == 304 and renders == ["o35"]


def test_changed_data_or_options_give_a_new_hash_and_a_new_render(manager_client, year, renders):
    manager_client.get(pdf_url(year))
    measure = Measure.objects.filter(assessment=year).first()
    measure.title = "มาตรการที่แก้ชื่อแล้ว"
    measure.save()
    manager_client.get(pdf_url(year))
    manager_client.get(pdf_url(year, query="digits=arabic"))
    hashes = set(RenderedReport.objects.values_list("content_hash", flat=True))
    assert len(hashes) == 3 and renders == ["o35", "o35", "o35"]
    manager_client.get(pdf_url(year, query="digits=arabic"))  # unchanged again: cached
    assert len(renders) == 3


def test_the_hash_is_of_the_report_data_and_options(year):
    from reports import data

    a = year
    same = tasks.content_hash(data.build("o34", a, data.ReportOptions()))
    assert same == tasks.content_hash(data.build("o34", a, data.ReportOptions()))
    assert same != tasks.content_hash(data.build("o34", a, data.ReportOptions(reporter_name="นายสมชาย")))
    assert same != tasks.content_hash(data.build("o35", a, data.ReportOptions()))
    opts = data.ReportOptions(digits="arabic", reporter_name="นาง ก")
    assert tasks.options_from_json(json.loads(json.dumps(tasks.options_to_json(opts)))) == opts


def test_outsiders_get_404_for_the_pdf_its_status_and_its_file(manager_client, year, staff_b, renders):
    manager_client.get(pdf_url(year))
    rendered = RenderedReport.objects.get()
    outsider = _client(staff_b)
    args = ["org-a", year.fiscal_year, rendered.pk]
    for url in (pdf_url(year), reverse("render_status", args=args), reverse("render_file", args=args)):
        assert outsider.get(url).status_code == 404
    assert outsider.post(pdf_url(year)).status_code == 404
    assert _client(None).get(pdf_url(year)).status_code == 302  # to the login page


def test_a_failed_render_shows_a_thai_error_and_can_be_retried(manager_client, year, monkeypatch):
    def broken(report):
        raise OSError("font file unreadable")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    response = manager_client.get(pdf_url(year))
    page = response.content.decode()
    assert response.status_code == 200 and "จัดทำไฟล์ PDF ไม่สำเร็จ" in page and "ลองจัดทำใหม่" in page
    assert "font file unreadable" in page
    rendered = RenderedReport.objects.get()
    state = manager_client.get(reverse("render_status", args=["org-a", year.fiscal_year, rendered.pk])).json()
    assert state["status"] == "failed" and state["error"].startswith("จัดทำไฟล์ PDF ไม่สำเร็จ")
    # Reloading does not hammer the renderer; the retry button does.
    manager_client.get(pdf_url(year))
    assert RenderedReport.objects.get().status == "failed"
    monkeypatch.setattr(rendering, "render_pdf", lambda report: FAKE_PDF)
    retry = manager_client.post(pdf_url(year))
    assert retry.status_code == 302 and retry["Location"] == pdf_url(year)
    assert b"".join(manager_client.get(pdf_url(year)).streaming_content) == FAKE_PDF


def test_data_changed_while_queued_fails_with_a_thai_message(manager_client, year, renders, settings):
    settings.TASKS = DUMMY
    manager_client.get(pdf_url(year))
    Measure.objects.filter(assessment=year).update(title="เปลี่ยนระหว่างรอคิว")
    rendered = RenderedReport.objects.get()
    tasks.render_pdf.call(rendered.pk)
    rendered.refresh_from_db()
    assert rendered.status == "failed" and rendered.error == tasks.DATA_CHANGED and renders == []


def test_a_queue_that_refuses_the_task_is_reported_not_waited_for(manager_client, year, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("redis down")

    from django_tasks.backends.immediate import ImmediateBackend

    monkeypatch.setattr(ImmediateBackend, "enqueue", refuse)
    page = manager_client.get(pdf_url(year)).content.decode()
    assert tasks.NOT_QUEUED in page and RenderedReport.objects.get().status == "failed"


def _settings_in_subprocess(**env):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'TASKS': settings.TASKS, 'RQ_QUEUES': settings.RQ_QUEUES, 'APPS': settings.INSTALLED_APPS}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("TASKS_BACKEND", "RQ_URL", "REDIS_URL")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "ita_portal.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_settings_choose_the_database_queue_by_default_and_rq_from_the_environment():
    default = _settings_in_subprocess()
    assert default["TASKS"] == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    assert {"django_tasks", "django_tasks_db"} <= set(default["APPS"])
    rq = _settings_in_subprocess(TASKS_BACKEND="django_tasks_rq.RQBackend", RQ_URL="redis://cache.internal:6380/2")
    assert rq["TASKS"] == {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    assert rq["RQ_QUEUES"]["default"]["URL"] == "redis://cache.internal:6380/2"
    assert {"django_rq", "django_tasks_rq"} <= set(rq["APPS"])
    redis = _settings_in_subprocess(TASKS_BACKEND="django_tasks_rq.RQBackend", REDIS_URL="redis://r:6379/5")
    assert redis["RQ_QUEUES"]["default"]["URL"] == "redis://r:6379/5"


def _redis_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def test_a_render_goes_through_rq_and_a_burst_worker(manager_client, year, renders, settings):
    if not _redis_up():
        missing_tool("Redis is not reachable on 127.0.0.1:6379")  # skipped here, a failure under CI=true
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/14", "DEFAULT_TIMEOUT": 300}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    page = manager_client.get(pdf_url(year))
    assert "กำลังจัดทำไฟล์ PDF…" in page.content.decode() and renders == []
    assert queue.count == 1
    # SimpleWorker runs the job in this process (the test database is visible to it).
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    assert renders == ["o35"] and RenderedReport.objects.get().status == "done"
    served = manager_client.get(pdf_url(year))
    assert b"".join(served.streaming_content).startswith(FAKE_PDF)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:  # a zombie waiting for its parent has finished too
        return fh.read().split(")")[-1].split()[0] != "Z"


def test_make_run_starts_the_worker_beside_the_server_and_ctrl_c_stops_both(tmp_path):
    """scripts/run.sh (make run) with a stand-in python that records what it was asked to run."""
    import pty
    import time

    log = tmp_path / "started"
    fake = tmp_path / "python"
    fake.write_text(f'#!/bin/sh\necho "$$ $*" >> {log}\nexec sleep 300\n')
    fake.chmod(0o755)
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal session, as a developer typing make run
        os.chdir(ROOT)
        os.execve("/bin/bash", ["bash", "scripts/run.sh"], {**os.environ, "PY": str(fake), "ADDR": "127.0.0.1:8999"})
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(log.read_text().splitlines() if log.exists() else []) < 2:
            time.sleep(0.1)
        started = dict(reversed(line.split(" ", 1)) for line in log.read_text().splitlines())
        assert set(started) == {"manage.py db_worker", "manage.py runserver 127.0.0.1:8999"}
        pids = [int(p) for p in started.values()]
        assert all(_alive(p) for p in pids)
        os.write(fd, b"\x03")  # Ctrl-C
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.1)
        assert not any(_alive(p) for p in pids), "the worker or the server outlived Ctrl-C"
    finally:
        os.close(fd)
        os.waitpid(pid, 0)


# --- Publishing goes the same way: checked at once, done by the worker, followed on a progress page.


def _approve(client, a, kind="oit", query="?digits=arabic"):
    assert approve_as_seen(client, a, kind, query).status_code == 302


def test_publishing_is_queued_and_the_manager_follows_it(manager_client, year, settings, monkeypatch):
    from reports import publication
    from reports.models import PublishedVersion, PublishJob

    _approve(manager_client, year)
    settings.TASKS = DUMMY
    url = reverse("report_publish", args=["org-a", year.fiscal_year, "oit"])
    response = manager_client.post(url, {"digits": "arabic", "confirm": "1"})
    job = PublishJob.objects.get()
    assert response["Location"] == reverse("publish_progress", args=["org-a", year.fiscal_year, job.pk])
    assert not PublishedVersion.objects.exists()  # nothing rendered in the request
    page = manager_client.get(response["Location"]).content.decode()
    assert "กำลังเผยแพร่…" in page and "js/report-render.js" in page
    manager_client.post(url, {"digits": "arabic", "confirm": "1"})  # a second click while it waits: the same job
    assert PublishJob.objects.count() == 1
    monkeypatch.setattr(publication, "html_to_pdf", lambda html, archival=False: FAKE_PDF)
    assert tasks.publish_report.call(job.pk) == "done"
    version = PublishedVersion.objects.get()
    assert version.number == 1 and version.published_by.username == "manager_a"
    state = manager_client.get(reverse("publish_status", args=["org-a", year.fiscal_year, job.pk])).json()
    assert state["status"] == "done"
    assert state["download_url"] == reverse("public_version", args=["org-a", year.fiscal_year, "oit", 1])
    assert "เผยแพร่แล้ว ฉบับที่ 1" in manager_client.get(response["Location"]).content.decode()


def test_a_refused_publication_is_said_at_once_and_a_failed_one_in_thai(manager_client, year, settings):
    from reports.models import PublishedVersion, PublishJob

    url = reverse("report_publish", args=["org-a", year.fiscal_year, "oit"])
    page = manager_client.post(url, {"digits": "arabic", "confirm": "1"}, follow=True).content.decode()
    assert "ต้องอนุมัติ" in page and not PublishJob.objects.exists()  # not approved: no job at all
    _approve(manager_client, year)
    settings.TASKS = DUMMY
    job_url = manager_client.post(url, {"digits": "arabic", "confirm": "1"})["Location"]
    job = PublishJob.objects.get()
    # The checklist changes after the job was queued: the worker refuses, as publish() would.
    from measures.models import OitChecklistItem

    item = OitChecklistItem.objects.filter(assessment=year).first()
    item.description = "แก้หลังอนุมัติ"
    item.save()
    tasks.publish_report.call(job.pk)
    page = manager_client.get(job_url).content.decode()
    assert "เผยแพร่ไม่สำเร็จ" in page and "ต้องอนุมัติอีกครั้งก่อนเผยแพร่" in page
    assert not PublishedVersion.objects.exists()


def test_only_the_organisations_managers_see_a_publication_job(manager_client, staff_client, staff_b, year, settings):
    _approve(manager_client, year)
    settings.TASKS = DUMMY
    manager_client.post(
        reverse("report_publish", args=["org-a", year.fiscal_year, "oit"]), {"digits": "arabic", "confirm": "1"}
    )
    from reports.models import PublishJob

    args = ["org-a", year.fiscal_year, PublishJob.objects.get().pk]
    for name in ("publish_progress", "publish_status"):
        assert staff_client.get(reverse(name, args=args)).status_code == 403
        assert _client(staff_b).get(reverse(name, args=args)).status_code == 404
