"""Evidence files: a page per target (a measure's result in a round, or an OIT item) to attach,
list and remove files, and the download that serves them."""

import logging
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessments.access import get_access, role_for
from assessments.models import Question
from assessments.services import DomainError

from . import evidence as service
from .models import EvidenceFile, Measure, ReportingRound

logger = logging.getLogger(__name__)


def _target(request, access):
    """What the page is about, from ?measure=&round= or ?oit=; 404 when it is not this year's."""
    source = request.GET  # the form posts to its own address, query string included
    a = access.assessment
    if source.get("oit"):
        question = get_object_or_404(Question, ita_year=a.ita_year, instrument="OIT", code=source["oit"])
        back = reverse("checklist", args=[access.organisation.slug, a.fiscal_year]) + f"#c-{question.code}"
        return {"oit_code": question.code}, f"{question.code} {question.text}", back
    try:
        measure = get_object_or_404(Measure, pk=int(source.get("measure", "")), assessment=a)
        round_ = get_object_or_404(ReportingRound, pk=int(source.get("round", "")), assessment=a)
    except ValueError:
        raise Http404("ไม่พบรายการ") from None
    back = reverse("progress_round", args=[access.organisation.slug, a.fiscal_year, round_.pk]) + f"#p{measure.pk}"
    return {"measure": measure, "round": round_}, f"{measure.title} · {round_.name}", back


@login_required
def evidence_page(request, slug, fy):
    access = get_access(request, slug, fy, write=request.method == "POST")
    target, title, back = _target(request, access)
    if request.method == "POST":
        uploads = request.FILES.getlist("files")
        if not uploads:
            messages.error(request, "ยังไม่ได้เลือกไฟล์")
        else:
            try:
                kept = service.attach_all(access.assessment, uploads, request.user, target)  # all or none
            except DomainError as exc:
                messages.error(request, f"{exc} (ยังไม่ได้แนบไฟล์ใดในครั้งนี้)" if len(uploads) > 1 else str(exc))
            else:
                messages.success(request, "แนบไฟล์แล้ว: " + ", ".join(e.name for e in kept))
        return redirect(request.get_full_path())
    files = EvidenceFile.objects.filter(assessment=access.assessment, **target)
    context = {
        "access": access,
        "title": title,
        "back": back,
        "files": [(f, service.size_label(f.size)) for f in files],
        "max_mb": settings.EVIDENCE_MAX_BYTES // 2**20,
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
        "max_request_mb": settings.EVIDENCE_MAX_REQUEST_BYTES // 2**20,
        "max_request_bytes": settings.EVIDENCE_MAX_REQUEST_BYTES,
        "accepted": service.ACCEPTED,
        "used_mb": f"{service.used_bytes(access.organisation.pk) / 2**20:,.1f}",
        "quota_mb": f"{settings.EVIDENCE_QUOTA_BYTES // 2**20:,}",
        "nav": "oit" if "oit_code" in target else "progress",
    }
    return render(request, "measures/evidence.html", context)


@login_required
@require_POST
def evidence_delete(request, slug, fy, pk):
    access = get_access(request, slug, fy, write=True)
    item = get_object_or_404(EvidenceFile, pk=pk, assessment=access.assessment)
    try:
        service.remove(item)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"ลบไฟล์ “{item.name}” แล้ว")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("dashboard", args=[slug, fy])
    return redirect(back)


def evidence_download(request, pk, name):
    """Anyone may read a file a published report links to; a draft's file only its readers."""
    item = get_object_or_404(EvidenceFile.objects.select_related("assessment__organisation"), pk=pk)
    if not item.published and role_for(request.user, item.assessment.organisation) is None:
        raise Http404("ไม่พบไฟล์")
    inline = item.content_type == "application/pdf" or item.content_type.startswith("image/")
    try:
        # A published file is checked against its SHA-256 from upload, as published reports are:
        # changed bytes are never handed out as the evidence a report points to.
        if item.published and not service.verify(item):
            logger.error("published evidence file %s fails its SHA-256 check (%s)", item.pk, item.file.name)
            context = {
                "title": "ไฟล์หลักฐานนี้ไม่ตรงกับที่แนบไว้",
                "detail": "ไฟล์ในที่เก็บไม่ตรงกับลายนิ้วมือ (SHA-256) ที่บันทึกไว้ตอนแนบ ระบบจึงไม่ส่งไฟล์นี้ให้",
            }
            return render(request, "public/file_error.html", context, status=409)
        handle = item.file.open("rb")
    except (OSError, ValueError):
        logger.exception("evidence file %s is missing from storage", item.file.name)
        raise Http404("ไม่พบไฟล์") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Disposition"] = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(item.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "public, max-age=86400" if item.published else "private, no-store"
    return response
