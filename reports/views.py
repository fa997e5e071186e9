from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments.access import get_access
from assessments.services import DomainError
from measures import approval

from . import audit, data
from . import render as rendering
from .docx_export import DOCX_TYPE, report_to_docx
from .forms import ReportOptionsForm
from .models import PublishedVersion, ReviewComment, kind_label
from .publication import publish


def _report(request, slug, fy, kind):
    if kind not in data.KINDS:
        raise Http404
    access = get_access(request, slug, fy)
    form = ReportOptionsForm(access.assessment, request.GET or None)
    return access, data.build(kind, access.assessment, form.options())


@login_required
def report_index(request, slug, fy):
    access = get_access(request, slug, fy)
    form = ReportOptionsForm(access.assessment, request.GET or None)
    versions = list(
        PublishedVersion.objects.filter(assessment=access.assessment)
        .prefetch_related(Prefetch("comments", queryset=ReviewComment.objects.order_by("created_at")))
        .order_by("kind", "-number")
    )
    rows = [
        {
            "kind": kind,
            "label": kind_label(access.assessment.ita_year, kind),
            "approved_at": getattr(access.assessment, f"{kind}_approved_at"),
            "approval": approval.state(access.assessment, kind),
            "versions": [v for v in versions if v.kind == kind],
        }
        for kind in data.KINDS
    ]
    context = {"access": access, "form": form, "rows": rows, "query": request.GET.urlencode(), "nav": "reports"}
    return render(request, "reports/index.html", context)


@login_required
def report_preview(request, slug, fy, kind):
    _, report = _report(request, slug, fy, kind)
    return HttpResponse(rendering.render_html(report, for_pdf=False))


@login_required
def report_pdf(request, slug, fy, kind):
    access, report = _report(request, slug, fy, kind)
    pdf = rendering.render_pdf(report)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{access.assessment.ita_year.report_file_stem(kind)}-{access.organisation.slug}-{fy}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_docx(request, slug, fy, kind):
    """The report as an editable Word document (the same data and options as the PDF)."""
    access, report = _report(request, slug, fy, kind)
    response = HttpResponse(report_to_docx(report), content_type=DOCX_TYPE)
    filename = f"{access.assessment.ita_year.report_file_stem(kind)}-{access.organisation.slug}-{fy}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def report_publish(request, slug, fy, kind):
    access = get_access(request, slug, fy, approve=True)
    if kind not in data.KINDS:
        raise Http404
    form = ReportOptionsForm(access.assessment, request.POST)
    try:
        version = publish(access.assessment, kind, request.user, form.options())
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"เผยแพร่ {version.kind_label} ฉบับที่ {version.number} แล้ว")
    return redirect("report_index", slug=slug, fy=fy)


@login_required
def audit_trail(request, slug, fy):
    access = get_access(request, slug, fy, approve=True)  # managers of the organisation (and admins)
    entries = audit.trail(access.assessment)
    return render(request, "reports/audit.html", {"access": access, "entries": entries, "nav": "audit"})
