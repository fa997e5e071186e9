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


def _enqueue(task_, row):
    try:
        task_.enqueue(row.pk)
    except Exception:  # the queue (Redis, the database) refused: say so rather than wait forever
        logger.exception("could not enqueue %s %s", task_.name, row.pk)
        type(row).objects.filter(pk=row.pk).update(
            status=Status.FAILED, error=NOT_QUEUED, finished_at=timezone.now(), updated_at=timezone.now()
        )
    row.refresh_from_db()


def request_pdf(assessment, kind, report, *, retry=False) -> RenderedReport:
    """The render of this report's current data: finished, or enqueued now (never rendered here)."""
    digest = content_hash(report)
    rendered, created = RenderedReport.objects.get_or_create(
        assessment=assessment, kind=kind, content_hash=digest, defaults={"options": options_to_json(report.opts)}
    )
    if created:
        _enqueue(render_pdf, rendered)
        return rendered
    missing = rendered.status == Status.DONE and not (
        rendered.file and rendered.file.storage.exists(rendered.file.name)
    )
    if missing or _stale(rendered) or (retry and rendered.status == Status.FAILED):
        RenderedReport.objects.filter(pk=rendered.pk).update(
            status=Status.QUEUED, error="", options=options_to_json(report.opts), updated_at=timezone.now()
        )
        _enqueue(render_pdf, rendered)
    return rendered


@task()
def render_pdf(rendered_id: int) -> str:
    """Render one queued draft PDF into storage; a failure is kept with its message for the page."""
    rendered = RenderedReport.objects.select_related("assessment__organisation", "assessment__ita_year").get(
        pk=rendered_id
    )
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
    return rendered.status


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
