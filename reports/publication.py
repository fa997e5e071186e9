"""Publishing freezes a version: HTML, PDF (PDF/A-3a, tagged), JSON and CSV, rendered once, stored."""

import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.concurrency import lock_assessment
from assessments.models import Assessment
from assessments.services import DomainError
from measures import evidence as evidence_files
from measures.models import ReportingRound

from . import approval, data, opendata
from .fingerprint import approval_fingerprint
from .models import PublishedVersion, ReviewComment
from .render import html_to_pdf, render_html

logger = logging.getLogger(__name__)
FILES_CHANGED = "ไฟล์หลักฐานของรายงานถูกลบระหว่างเผยแพร่ กรุณาอนุมัติและเผยแพร่ใหม่"


def check_publishable(assessment: Assessment, kind: str, opts: data.ReportOptions | None = None) -> None:
    """The report may be published now (approved, unchanged since); else a Thai DomainError."""
    approval.check_publishable(assessment, kind, opts if opts is not None else approval.remembered_options(assessment))


@dataclass
class Snapshot:
    """Everything one version prints, read at one moment: its files are rendered from this alone."""

    report: data.Report
    doc: dict  # the open data (JSON, CSV); its version number and date are set when stored
    file_ids: set


def snapshot(assessment: Assessment, kind: str, opts: data.ReportOptions) -> Snapshot:
    """Read the report and its open data in one transaction under the assessment lock.

    Every save of what a report prints takes the same lock (assessments.concurrency.lock_assessment),
    so no save commits between the reads, whatever the isolation level; and the approval is checked
    against exactly this data.
    """
    with transaction.atomic():
        locked = lock_assessment(assessment)
        report = data.build(kind, locked, opts)
        approval.check_publishable(locked, kind, opts, current=approval_fingerprint(report))
        doc = opendata.document(kind, locked, opts, None, None)
        return Snapshot(report, doc, data.file_ids(report))


def publish(assessment: Assessment, kind: str, user, opts: data.ReportOptions) -> PublishedVersion:
    """Publish a version: one snapshot (above), rendered outside any transaction, then stored."""
    snap = snapshot(assessment, kind, opts)
    html = render_html(snap.report, for_pdf=False).encode("utf-8")
    pdf = html_to_pdf(render_html(snap.report, for_pdf=True), archival=True)
    with transaction.atomic():
        # Serialise publishers of the same year so that version numbers never collide.
        lock_assessment(assessment)
        top = PublishedVersion.objects.filter(assessment=assessment, kind=kind).aggregate(n=Max("number"))["n"] or 0
        now = timezone.now()
        # the files this version links to are now part of what is published: readable by anyone,
        # deletable by no one (measures/evidence.py); one removed since the snapshot stops the publish
        if evidence_files.mark_published(snap.file_ids) != len(snap.file_ids):
            raise DomainError(FILES_CHANGED)
        doc = snap.doc | {"version": top + 1, "published_at": now.isoformat()}
        files = {"html": html, "pdf": pdf, "json": opendata.to_json(doc), "csv": opendata.to_csv(doc)}
        version = PublishedVersion(
            assessment=assessment,
            organisation=assessment.organisation,
            kind=kind,
            number=top + 1,
            title=snap.report.title,
            published_by=user,
            published_by_name=user.get_full_name() or user.get_username(),
            published_at=now,
            sha256={name: hashlib.sha256(content).hexdigest() for name, content in files.items()},
        )
        stem = assessment.ita_year.report_file_stem(kind)
        names = {
            "html": "report.html",
            "pdf": f"{stem}-{assessment.organisation.slug}-{assessment.fiscal_year}-v{top + 1}.pdf",
            "json": "data.json",
            "csv": "data.csv",
        }
        written = []
        try:
            for field, content in files.items():
                stored = getattr(version, field)
                stored.save(names[field], ContentFile(content), save=False)
                written.append((stored.storage, stored.name))
            version.save()
            if kind == "o35" and (round_ := data.chosen_round(assessment, opts)) is not None:
                # this round is reported: the next O26 starts from the following one
                ReportingRound.objects.filter(pk=round_.pk, published_at__isnull=True).update(published_at=now)
        except BaseException:
            _remove(written)  # a failed publish leaves no orphan files behind
            raise
    return version


def _remove(written):
    for storage, name in written:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not remove %s after a failed publish", name)


def add_comment(version: PublishedVersion, user, text: str) -> ReviewComment:
    text = (text or "").strip()
    if not text:
        raise DomainError("กรุณาพิมพ์ข้อคิดเห็น")
    if len(text) > 5000:
        raise DomainError("ข้อคิดเห็นยาวเกิน 5,000 ตัวอักษร")
    return ReviewComment.objects.create(
        version=version, author=user, author_name=user.get_full_name() or user.get_username(), text=text
    )
