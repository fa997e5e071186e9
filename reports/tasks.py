"""Draft PDFs rendered in the background (the Django Tasks API) and kept while the data is unchanged.

A request computes the SHA-256 of the report's data and options (`content_hash`); a finished render
with that hash is served again without rendering, otherwise a `render_pdf` task is enqueued and the
page answers at once. The worker is `manage.py db_worker` (database backend, the default) or an RQ
worker (docs/deploy.md).
"""

import dataclasses
import datetime
import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from assessments.models import Assessment
from assessments.services import DomainError

from . import data, publication
from . import render as rendering
from .fingerprint import canonical_json
from .models import PublishJob, RenderedReport

logger = logging.getLogger(__name__)
Status = RenderedReport.Status

# A render still queued or running after this long is taken as lost (a worker stopped) and may be retried.
STALE_AFTER = datetime.timedelta(minutes=15)
DATA_CHANGED = "ข้อมูลของรายงานเปลี่ยนไประหว่างจัดทำไฟล์ กรุณากดจัดทำใหม่"
NOT_QUEUED = "ส่งงานจัดทำไฟล์เข้าคิวไม่ได้ กรุณาลองใหม่ภายหลัง"


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """The templates, CSS and code that turn data into a PDF: a new release renders again."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = sorted((settings.BASE_DIR / "templates" / "reports").glob("*.html"))
    files += [here / "report.css", here / "render.py", here / "pdf_text.py"]
    for path in files:
        if path.exists():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def content_hash(report: data.Report) -> str:
    """SHA-256 of the report's data and options (canonical JSON) and of the renderer."""
    digest = hashlib.sha256(canonical_json(report).encode())
    digest.update(renderer_fingerprint().encode())
    return digest.hexdigest()


def options_to_json(opts: data.ReportOptions) -> dict:
    out = dataclasses.asdict(opts)
    out["report_date"] = opts.report_date.isoformat() if opts.report_date else None
    return out


def options_from_json(raw: dict) -> data.ReportOptions:
    known = {f.name for f in dataclasses.fields(data.ReportOptions)}
    values = {k: v for k, v in (raw or {}).items() if k in known}
    if values.get("report_date"):
        values["report_date"] = datetime.date.fromisoformat(values["report_date"])
    return data.ReportOptions(**values)


def _stale(rendered) -> bool:
    return rendered.status in (Status.QUEUED, Status.RUNNING) and rendered.updated_at < timezone.now() - STALE_AFTER


def _must_render(rendered, retry) -> bool:
    """A known render is done again when its file is lost, its worker stopped, or a failure is retried."""
    missing = rendered.status == Status.DONE and not (
        rendered.file and rendered.file.storage.exists(rendered.file.name)
    )
    return missing or _stale(rendered) or (retry and rendered.status == Status.FAILED)


def _enqueue(task_, row):
    try:
        task_.enqueue(row.pk)
    except Exception:  # the queue (Redis, the database) refused: say so rather than wait forever
        logger.exception("could not enqueue %s %s", task_.name, row.pk)
        type(row).objects.filter(pk=row.pk).update(
            status=Status.FAILED, error=NOT_QUEUED, finished_at=timezone.now(), updated_at=timezone.now()
        )
    row.refresh_from_db()


BUSY = "กำลังสร้างรายงานอยู่ โปรดรอ"
REPLACED = "ยกเลิกไฟล์นี้แล้ว เพราะมีการขอไฟล์ของรายงานเดียวกันด้วยตัวเลือกอื่นภายหลัง กดจัดทำใหม่ถ้ายังต้องการไฟล์นี้"


class RenderBusy(DomainError):
    """This user already has RENDER_MAX_PENDING renders waiting: no more until one is done."""

    def __init__(self, pending):
        self.pending = pending
        super().__init__(
            f"{BUSY} คุณมีไฟล์ PDF ที่รอจัดทำอยู่ {pending} ไฟล์ เมื่อไฟล์ใดเสร็จแล้วจึงขอไฟล์ใหม่ได้ "
            "ไฟล์ที่จัดทำเสร็จแล้วดาวน์โหลดซ้ำได้ทันทีโดยไม่ต้องรอ"
        )


def _pending(user):
    fresh = timezone.now() - STALE_AFTER
    return RenderedReport.objects.filter(
        requested_by=user, status__in=[Status.QUEUED, Status.RUNNING], updated_at__gte=fresh
    )


@transaction.atomic
def _claim_slot(assessment, kind, user, digest):
    """Bound what one reader can queue: a new request for a report replaces this user's render of it
    still waiting (another choice of options, another click), and at most RENDER_MAX_PENDING wait at
    once; beyond that RenderBusy. An anonymous caller (the command line) is not bounded."""
    if user is None:
        return
    pending = list(_pending(user).select_for_update())
    replaced = [
        r.pk
        for r in pending
        if r.assessment_id == assessment.pk
        and r.kind == kind
        and r.content_hash != digest
        and r.status == Status.QUEUED
    ]
    if replaced:  # its task finds no row and stops (render_pdf); a render already running finishes
        RenderedReport.objects.filter(pk__in=replaced, status=Status.QUEUED).delete()
    if len(pending) - len(replaced) >= settings.RENDER_MAX_PENDING:
        raise RenderBusy(len(pending) - len(replaced))


def request_pdf(assessment, kind, report, *, retry=False, user=None) -> RenderedReport:
    """The render of this report's current data: finished, or enqueued now (never rendered here).
    A finished render is served to anyone; a new one counts against the asking user's bound."""
    digest = content_hash(report)
    requester = user if user is not None and user.is_authenticated else None
    rendered = RenderedReport.objects.filter(assessment=assessment, kind=kind, content_hash=digest).first()
    if rendered is None:
        _claim_slot(assessment, kind, requester, digest)
        try:
            with transaction.atomic():
                rendered = RenderedReport.objects.create(
                    assessment=assessment,
                    kind=kind,
                    content_hash=digest,
                    options=options_to_json(report.opts),
                    requested_by=requester,
                )
        except IntegrityError:  # the same render asked for at the same moment by someone else
            return RenderedReport.objects.get(assessment=assessment, kind=kind, content_hash=digest)
        _enqueue(render_pdf, rendered)
        return rendered
    if _must_render(rendered, retry):
        _claim_slot(assessment, kind, requester, digest)
        RenderedReport.objects.filter(pk=rendered.pk).update(
            status=Status.QUEUED,
            error="",
            options=options_to_json(report.opts),
            updated_at=timezone.now(),
            requested_by=requester or rendered.requested_by,
        )
        _enqueue(render_pdf, rendered)
    return rendered


@task()
def render_pdf(rendered_id: int) -> str:
    """Render one queued draft PDF into storage; a failure is kept with its message for the page."""
    rendered = (
        RenderedReport.objects.select_related("assessment__organisation", "assessment__ita_year")
        .filter(pk=rendered_id)
        .first()
    )
    if rendered is None:  # replaced by a newer request of the same user before a worker took it
        return "replaced"
    if rendered.status == Status.DONE and rendered.file:
        return rendered.status
    now = timezone.now()
    RenderedReport.objects.filter(pk=rendered.pk).update(status=Status.RUNNING, started_at=now, updated_at=now)
    try:
        report = data.build(rendered.kind, rendered.assessment, options_from_json(rendered.options))
        if content_hash(report) != rendered.content_hash:
            rendered.error = DATA_CHANGED
        else:
            pdf = rendering.render_pdf(report)
    except Exception as exc:
        logger.exception("render %s failed", rendered.pk)
        rendered.error = f"จัดทำไฟล์ PDF ไม่สำเร็จ ({type(exc).__name__}: {exc})"[:2000]
    if rendered.error:
        rendered.status, rendered.finished_at = Status.FAILED, timezone.now()
        rendered.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return rendered.status
    rendered.file.save(f"{rendered.content_hash}.pdf", ContentFile(pdf), save=False)
    rendered.status, rendered.error, rendered.finished_at = Status.DONE, "", timezone.now()
    rendered.save(update_fields=["file", "status", "error", "finished_at", "updated_at"])
    cleanup_renders(rendered.assessment_id, rendered.kind)
    return rendered.status


def cleanup_renders(assessment_id=None, kind=None, now=None) -> int:
    """Delete old draft PDFs with their files: beyond the newest RENDER_KEEP finished ones of a
    report, and any finished or failed one older than RENDER_MAX_AGE_HOURS. Waiting ones stay.
    Runs after each render (for that report) and from `manage.py cleanup_renders` (all)."""
    now = now or timezone.now()
    rows = RenderedReport.objects.filter(status__in=[Status.DONE, Status.FAILED])
    if assessment_id is not None:
        rows = rows.filter(assessment_id=assessment_id, kind=kind)
    old = now - datetime.timedelta(hours=settings.RENDER_MAX_AGE_HOURS)
    doomed, kept = [], {}
    for row in rows.order_by("-finished_at", "-pk").only(
        "pk", "assessment_id", "kind", "status", "file", "finished_at"
    ):
        key = (row.assessment_id, row.kind)
        if row.status == Status.DONE:
            kept[key] = kept.get(key, 0) + 1
        if (row.finished_at or now) < old or (row.status == Status.DONE and kept[key] > settings.RENDER_KEEP):
            doomed.append(row)
    for row in doomed:
        if row.file:
            row.file.storage.delete(row.file.name)
    RenderedReport.objects.filter(pk__in=[r.pk for r in doomed]).delete()
    return len(doomed)


def request_publish(assessment, kind, user, opts) -> PublishJob:
    """Queue a publication (checked now, so that a refusal is said at once); one at a time per report."""
    publication.check_publishable(assessment, kind, opts)
    pending = (
        PublishJob.objects.filter(assessment=assessment, kind=kind, status__in=[Status.QUEUED, Status.RUNNING])
        .order_by("-created_at")
        .first()
    )
    if pending is not None and pending.updated_at >= timezone.now() - STALE_AFTER:
        return pending
    job = PublishJob.objects.create(assessment=assessment, kind=kind, requested_by=user, options=options_to_json(opts))
    _enqueue(publish_report, job)
    return job


@task()
def publish_report(job_id: int) -> str:
    """Publish one queued version (PDF/A, HTML, JSON, CSV); a refusal or failure is kept in Thai."""
    job = PublishJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status == Status.DONE:
        return job.status
    now = timezone.now()
    PublishJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, updated_at=now)
    assessment = Assessment.objects.select_related("ita_year", "organisation").get(pk=job.assessment_id)
    try:
        job.version = publication.publish(assessment, job.kind, job.requested_by, options_from_json(job.options))
    except DomainError as exc:
        job.error = str(exc)
    except Exception as exc:
        logger.exception("publish job %s failed", job.pk)
        job.error = f"เผยแพร่ไม่สำเร็จ ({type(exc).__name__}: {exc})"[:2000]
    job.status = Status.FAILED if job.error else Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "version", "error", "finished_at", "updated_at"])
    return job.status
