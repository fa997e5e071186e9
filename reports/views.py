from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.access import get_access
from assessments.services import DomainError
from measures import approval
from measures.services import item_titles, save_item_titles, untitled_items

from . import audit, data, tasks
from . import render as rendering
from .docx_export import DOCX_TYPE, report_to_docx
from .forms import ItemTitlesForm, ReportIntroForm, ReportOptionsForm
from .models import PublishedVersion, PublishJob, RenderedReport, ReportSettings, ReviewComment, kind_label


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
    return _index(request, access, form, request.GET.urlencode())


@login_required
@require_POST
def report_settings(request, slug, fy):
    """Apply the options; with "จำไว้" also keep them as this fiscal year's (ReportSettings)."""
    access = get_access(request, slug, fy, write=True)
    form = ReportOptionsForm(access.assessment, request.POST)
    if not form.is_valid():
        messages.error(request, "ยังไม่ได้ใช้ตัวเลือก: ตรวจสอบช่องที่ทำเครื่องหมายไว้ ข้อมูลที่พิมพ์ยังอยู่ครบ")
        return _index(request, access, form, "")
    values = {name: form.cleaned_data[name] for name in ReportSettings.FIELDS}
    if request.POST.get("remember"):
        ReportSettings.objects.update_or_create(
            assessment=access.assessment,
            defaults=values | {"updated_by": request.user, "options_saved_at": timezone.now()},
        )
        messages.success(request, "จำตัวเลือกรายงานของปีงบประมาณนี้แล้ว ใช้กับการพิมพ์และการเผยแพร่ครั้งต่อไป")
    query = {name: value for name, value in form.data.items() if name in form.fields and value}
    return redirect(reverse("report_index", args=[slug, fy]) + ("?" + urlencode(query) if query else ""))


@login_required
@require_POST
def report_intro(request, slug, fy):
    """Keep the organisation's own introductions for this fiscal year (blank: built from the data)."""
    access = get_access(request, slug, fy, write=True)
    saved = getattr(access.assessment, "report_settings", None) or ReportSettings(
        assessment=access.assessment, digits="thai"
    )
    form = ReportIntroForm(request.POST, instance=saved)
    if not form.is_valid():
        messages.error(request, "ยังไม่ได้บันทึกคำนำ: ตรวจสอบช่องที่ทำเครื่องหมายไว้ ข้อมูลที่พิมพ์ยังอยู่ครบ")
        options = ReportOptionsForm(access.assessment, request.GET or None)
        return _index(request, access, options, request.GET.urlencode(), intro_form=form)
    settings_row = form.save(commit=False)
    settings_row.updated_by = request.user
    settings_row.save()
    messages.success(request, "บันทึกคำนำของรายงานแล้ว ใช้กับการพิมพ์และการเผยแพร่ครั้งต่อไป")
    return redirect(reverse("report_index", args=[slug, fy]) + "#intro")


@login_required
@require_POST
def report_titles(request, slug, fy):
    """Keep the titles the organisation uses for the items its year's catalogue does not name."""
    access = get_access(request, slug, fy, write=True)
    questions = untitled_items(access.assessment)
    form = ItemTitlesForm(questions, {}, request.POST)
    error = "ยังไม่ได้บันทึกชื่อรายการ: ตรวจสอบช่องที่ทำเครื่องหมายไว้ ข้อมูลที่พิมพ์ยังอยู่ครบ"
    if form.is_valid():
        try:
            changed = save_item_titles(access.assessment, form.titles())
        except DomainError as exc:
            error = f"ยังไม่ได้บันทึกชื่อรายการ: {exc}"
        else:
            messages.success(request, f"บันทึกชื่อรายการแล้ว ({changed} รายการที่เปลี่ยน)")
            return redirect(reverse("report_index", args=[slug, fy]) + "#titles")
    messages.error(request, error)
    options = ReportOptionsForm(access.assessment, request.GET or None)
    return _index(request, access, options, request.GET.urlencode(), titles_form=form)


@login_required
@require_POST
def comment_read(request, slug, fy, pk):
    """Staff or a manager acknowledge an auditor's comment (รับทราบ): it stops waiting on the year's path."""
    access = get_access(request, slug, fy, write=True)
    comment = get_object_or_404(ReviewComment, pk=pk, version__assessment=access.assessment)
    if comment.read_at is None:
        comment.read_at = timezone.now()
        comment.read_by_name = request.user.get_full_name() or request.user.get_username()
        comment.save(update_fields=["read_at", "read_by_name"])
        messages.success(request, f"รับทราบข้อคิดเห็นของ {comment.author_name} แล้ว")
    return redirect(reverse("report_index", args=[slug, fy]) + f"#comment-{comment.pk}")


def _index(request, access, form, query, intro_form=None, titles_form=None):
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
    opts = form.options()
    defaults = {f"intro_{kind}": data.default_intro(kind, access.assessment, opts) for kind in ("o34", "o35")}
    if intro_form is None:
        intro_form = ReportIntroForm(instance=form.saved, defaults=defaults)
    else:
        intro_form = ReportIntroForm(intro_form.data, instance=form.saved, defaults=defaults)
        intro_form.is_valid()
    if titles_form is None:
        untitled = untitled_items(access.assessment)
        titles_form = ItemTitlesForm(untitled, item_titles(access.assessment) if untitled else {})
    context = {
        "access": access,
        "form": form,
        "intro_form": intro_form,
        "titles_form": titles_form,
        "rows": rows,
        "query": query,
        "nav": "reports",
    }
    return render(request, "reports/index.html", context)


@login_required
def report_preview(request, slug, fy, kind):
    _, report = _report(request, slug, fy, kind)
    return HttpResponse(rendering.render_html(report, for_pdf=False, preview=True))


@login_required
@require_http_methods(["GET", "POST"])
def report_pdf(request, slug, fy, kind):
    """The draft PDF: served from the cache when this data was rendered before, else rendered in the
    background while the page shows progress (POST asks again after a failure)."""
    access, report = _report(request, slug, fy, kind)
    rendered = tasks.request_pdf(access.assessment, kind, report, retry=request.method == "POST")
    if request.method == "POST":
        return redirect(request.get_full_path())
    if rendered.status == RenderedReport.Status.DONE:
        return _rendered_pdf(request, access, rendered)
    context = {"access": access, "rendered": rendered, "label": kind_label(access.assessment.ita_year, kind)}
    context.update(_render_state(access, rendered))
    return render(request, "reports/pdf_status.html", context)


def _render_state(access, rendered):
    args = [access.organisation.slug, access.assessment.fiscal_year, rendered.pk]
    done = rendered.status == RenderedReport.Status.DONE
    return {
        "status": rendered.status,
        "status_label": rendered.get_status_display(),
        "error": rendered.error if rendered.status == RenderedReport.Status.FAILED else "",
        "status_url": reverse("render_status", args=args),
        "download_url": reverse("render_file", args=args) if done else "",
    }


def _rendered_pdf(request, access, rendered):
    etag = f'"{rendered.content_hash}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = FileResponse(rendered.file.open("rb"), content_type="application/pdf")
    stem = access.assessment.ita_year.report_file_stem(rendered.kind)
    filename = f"{stem}-{access.organisation.slug}-{access.assessment.fiscal_year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _rendered(access, pk):
    return get_object_or_404(RenderedReport, pk=pk, assessment=access.assessment)


@login_required
@require_GET
def render_status(request, slug, fy, pk):
    """Where a background render stands (JSON, polled by static/js/report-render.js)."""
    access = get_access(request, slug, fy)
    response = JsonResponse(_render_state(access, _rendered(access, pk)), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def render_file(request, slug, fy, pk):
    access = get_access(request, slug, fy)
    rendered = _rendered(access, pk)
    if rendered.status != RenderedReport.Status.DONE:
        raise Http404("ไฟล์ยังไม่พร้อม")
    return _rendered_pdf(request, access, rendered)


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
    """Publishing is done by the background worker; the manager watches it on a progress page."""
    access = get_access(request, slug, fy, approve=True)
    if kind not in data.KINDS:
        raise Http404
    form = ReportOptionsForm(access.assessment, request.POST)
    try:
        job = tasks.request_publish(access.assessment, kind, request.user, form.options())
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("report_index", slug=slug, fy=fy)
    if job.status == RenderedReport.Status.DONE:  # a worker (or the test backend) was quicker than us
        note = access.assessment.ita_year.unconfirmed_note
        messages.success(
            request, f"เผยแพร่ {job.version.kind_label} ฉบับที่ {job.version.number} แล้ว" + (f" ({note})" if note else "")
        )
        return redirect("report_index", slug=slug, fy=fy)
    if job.status == RenderedReport.Status.FAILED:
        messages.error(request, job.error)
        return redirect("report_index", slug=slug, fy=fy)
    return redirect("publish_progress", slug=slug, fy=fy, pk=job.pk)


def _publish_state(access, job):
    args = [access.organisation.slug, access.assessment.fiscal_year]
    done = job.status == RenderedReport.Status.DONE and job.version is not None
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "error": job.error if job.status == RenderedReport.Status.FAILED else "",
        "status_url": reverse("publish_status", args=[*args, job.pk]),
        "download_url": reverse("public_version", args=[*args, job.kind, job.version.number]) if done else "",
    }


@login_required
@require_GET
def publish_progress(request, slug, fy, pk):
    access = get_access(request, slug, fy, approve=True)
    job = get_object_or_404(PublishJob.objects.select_related("version"), pk=pk, assessment=access.assessment)
    context = {"access": access, "job": job, "label": kind_label(access.assessment.ita_year, job.kind)}
    context.update(_publish_state(access, job))
    return render(request, "reports/publish_status.html", context)


@login_required
@require_GET
def publish_status(request, slug, fy, pk):
    access = get_access(request, slug, fy, approve=True)
    job = get_object_or_404(PublishJob.objects.select_related("version"), pk=pk, assessment=access.assessment)
    response = JsonResponse(_publish_state(access, job), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def audit_trail(request, slug, fy):
    access = get_access(request, slug, fy, approve=True)  # managers of the organisation (and admins)
    page = Paginator(audit.records(access.assessment), audit.PAGE_SIZE).get_page(request.GET.get("page"))
    entries = audit.trail(access.assessment, page.object_list)
    return render(request, "reports/audit.html", {"access": access, "entries": entries, "page": page, "nav": "audit"})
