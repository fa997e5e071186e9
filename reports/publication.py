"""Publishing freezes a version: HTML, PDF (PDF/A-3a, tagged), JSON and CSV, rendered once, stored."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.models import Assessment
from assessments.services import DomainError
from measures import approval
from measures import evidence as evidence_files
from measures.models import ReportingRound
from measures.services import approval_label

from . import data, opendata
from .models import PublishedVersion, ReviewComment
from .render import html_to_pdf, render_html

logger = logging.getLogger(__name__)


def check_publishable(assessment: Assessment, kind: str) -> None:
    """The report may be published now (approved, unchanged since); else a Thai DomainError."""
    if kind not in data.KINDS:
        raise DomainError("ไม่รู้จักรายงานนี้")
    if not getattr(assessment, f"{kind}_approved_at"):
        raise DomainError(f"ต้องอนุมัติ{approval_label(assessment, kind)}ก่อนเผยแพร่")
    if approval.state(assessment, kind) == approval.ApprovalState.CHANGED:
        raise DomainError(f"{approval_label(assessment, kind)}มีการแก้ไขหลังอนุมัติ ต้องอนุมัติอีกครั้งก่อนเผยแพร่")


def publish(assessment: Assessment, kind: str, user, opts: data.ReportOptions) -> PublishedVersion:
    check_publishable(assessment, kind)
    with transaction.atomic():
        # Serialise publishers of the same year so that version numbers never collide.
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        top = PublishedVersion.objects.filter(assessment=assessment, kind=kind).aggregate(n=Max("number"))["n"] or 0
        now = timezone.now()
        report = data.build(kind, assessment, opts)
        # the files this version links to are now part of what is published: readable by anyone,
        # deletable by no one (measures/evidence.py)
        evidence_files.mark_published(data.file_ids(report))
        html = render_html(report, for_pdf=False).encode("utf-8")
        pdf = html_to_pdf(render_html(report, for_pdf=True), archival=True)
        doc = opendata.document(kind, assessment, opts, top + 1, now)
        files = {"html": html, "pdf": pdf, "json": opendata.to_json(doc), "csv": opendata.to_csv(doc)}
        version = PublishedVersion(
            assessment=assessment,
            organisation=assessment.organisation,
            kind=kind,
            number=top + 1,
            title=report.title,
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
