"""A published version is one snapshot: a save committed while the worker renders never reaches
any of its files, and its files agree with each other (report.html, the PDF, data.json, data.csv).

The race runs between two database connections (a thread), as a staff member's save runs beside
the publishing worker. Run on PostgreSQL (READ COMMITTED, where each statement sees the newest
commits): DATABASE_URL=postgres://… pytest tests/security/test_publish_snapshot.py
"""

import json
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from measures import services
from measures.models import Progress
from reports import opendata, publication
from reports.data import ReportOptions
from tests.factories import make_assessment, make_measure, make_org, make_progress, make_rounds, make_user

OLD, NEW = "ผลที่ผู้บริหารอนุมัติ", "ผลที่บันทึกระหว่างเผยแพร่"


@pytest.fixture
def approved(catalogue):
    from assessments.models import Role

    a = make_assessment(make_org("snap-org", "องค์การบริหารส่วนตำบลภาพเดียว"))
    rounds = make_rounds(a)
    rounds[0].published_at = timezone.now()  # the 6-month O26 is out: the 12-month round is reported now
    rounds[0].save()
    m = make_measure(a, title="มาตรการเผยแพร่ข้อมูล")
    make_progress(m, rounds[1], status="in_progress", output=OLD)
    manager = make_user(Role.MANAGER, a.organisation, "snap_manager")
    services.approve(a, "o35", manager)
    return a, m, rounds[1], manager


def _save_elsewhere(measure, round_):
    """Staff save the result in their own connection (another thread); returns the thread."""
    errors = []

    def run():
        try:
            row = Progress.objects.get(measure=measure, round=round_)
            services.save_progress(measure, round_, {"status": "done", "output": NEW}, row.version)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.errors = errors
    thread.start()
    return thread


def _files(version) -> dict:
    return {name: getattr(version, name).open("rb").read() for name in ("html", "pdf", "json", "csv")}


def _fake_pdf(html, archival=False):
    # the "PDF" holds the text it was asked to print, so the test reads what the PDF would say
    return b"%PDF-fake\n" + html.encode("utf-8")


@pytest.mark.django_db(transaction=True)
def test_a_save_committed_while_the_worker_renders_never_appears_in_the_version(approved, monkeypatch):
    a, m, round_, manager = approved
    saved = []

    def render_while_staff_save(html, archival=False):
        thread = _save_elsewhere(m, round_)
        thread.join(30)
        assert not thread.is_alive(), "the save waited for the render: no lock may be held while rendering"
        assert not thread.errors, thread.errors
        saved.append(Progress.objects.get(measure=m, round=round_).output)
        return _fake_pdf(html, archival)

    monkeypatch.setattr(publication, "html_to_pdf", render_while_staff_save)
    version = publication.publish(a, "o35", manager, ReportOptions())

    assert saved == [NEW], "the staff member's save was committed during the render"
    files = _files(version)
    for name, content in files.items():
        text = content.decode("utf-8-sig").replace("\u200b", "")  # U+200B: where the PDF may wrap Thai
        assert NEW not in text, f"{name} holds a result saved after the snapshot"
        assert OLD in text, f"{name} lacks the approved result"
    data = json.loads(files["json"])
    assert data["measures"][0]["progress"] == {
        "status": "in_progress",
        "output": OLD,
        "outcome": "ได้ผลดี",
        "done_on": None,
        "evidence": [],
        "steps": [],
    }
    assert data["version"] == 1 and data["published_at"] == version.published_at.isoformat()
    # the save is kept; it now shows as an edit after approval
    from measures.approval import ApprovalState, state

    a.refresh_from_db()
    assert state(a, "o35") == ApprovalState.CHANGED


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="a second SQLite connection fails at once on a locked shared-cache table"
)
@pytest.mark.django_db(transaction=True)
def test_a_save_waits_while_publishing_reads_its_snapshot(approved, monkeypatch):
    """Between the report's reads and the open data's reads a save is attempted: it waits for the
    publisher's lock, so the report and the open data come from the same moment."""
    a, m, round_, manager = approved
    threads = []
    document = opendata.document

    def read_open_data_after_a_save_attempt(*args, **kwargs):
        thread = _save_elsewhere(m, round_)
        threads.append(thread)
        thread.join(1.5)  # long enough for an unlocked save to commit
        assert thread.is_alive(), "the save did not wait for the publisher's snapshot"
        return document(*args, **kwargs)

    monkeypatch.setattr(opendata, "document", read_open_data_after_a_save_attempt)
    monkeypatch.setattr(publication, "html_to_pdf", _fake_pdf)
    version = publication.publish(a, "o35", manager, ReportOptions())
    threads[0].join(30)
    assert not threads[0].errors, threads[0].errors
    assert Progress.objects.get(measure=m, round=round_).output == NEW  # the save went through afterwards
    files = _files(version)
    texts = [c.decode("utf-8-sig").replace("\u200b", "") for c in files.values()]  # U+200B: where Thai may wrap
    assert all(NEW not in text and OLD in text for text in texts)


@pytest.mark.django_db
def test_the_files_are_rendered_from_memory_without_reading_the_database(
    approved, monkeypatch, django_assert_max_num_queries
):
    """Rendering happens outside the snapshot's transaction, so it must not read anything itself."""
    from reports.render import render_html

    a, _, _, _ = approved
    snap = publication.snapshot(a, "o35", ReportOptions())
    with django_assert_max_num_queries(0):
        render_html(snap.report, for_pdf=True)
        render_html(snap.report, for_pdf=False)
        opendata.to_json(snap.doc)
        opendata.to_csv(snap.doc)


@pytest.mark.django_db
def test_the_snapshot_refuses_when_the_data_changed_since_approval(approved):
    from assessments.services import DomainError

    a, m, round_, _ = approved
    Progress.objects.filter(measure=m, round=round_).update(output="แก้โดยตรง")
    with pytest.raises(DomainError, match="แก้ไขหลังอนุมัติ"):
        publication.snapshot(a, "o35", ReportOptions())
