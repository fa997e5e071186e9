from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from assessments.access import get_access

from . import data
from . import render as rendering
from .forms import ReportOptionsForm


def _report(request, slug, fy, kind):
    if kind not in data.KINDS:
        raise Http404
    access = get_access(request, slug, fy)
    form = ReportOptionsForm(access.assessment, request.GET or None)
    return access, form, data.build(kind, access.assessment, form.options())


@login_required
def report_index(request, slug, fy):
    access = get_access(request, slug, fy)
    form = ReportOptionsForm(access.assessment, request.GET or None)
    context = {"access": access, "form": form, "kinds": data.KINDS, "query": request.GET.urlencode(), "nav": "reports"}
    return render(request, "reports/index.html", context)


@login_required
def report_preview(request, slug, fy, kind):
    _, _, report = _report(request, slug, fy, kind)
    return HttpResponse(rendering.render_html(report, for_pdf=False))


@login_required
def report_pdf(request, slug, fy, kind):
    access, _, report = _report(request, slug, fy, kind)
    pdf = rendering.render_pdf(report)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{kind}-{access.organisation.slug}-{fy}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
