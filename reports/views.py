import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.access import get_access
from assessments.concurrency import ConcurrentEditError, keep_in_form, parse_seen
from assessments.services import DomainError, lock_assessment_id
from measures import approval
from measures.services import item_titles, save_item_titles, untitled_items

from . import approval as report_approval
from . import audit, data, remembered, tasks
from . import render as rendering
from .checklist import CONFIRM_REQUIRED, missing_before_approval
from .docx_export import DOCX_TYPE, report_to_docx
from .fingerprint import approval_fingerprint
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
        seen = parse_seen(form.cleaned_data.get("seen"))
        try:
            remembered.save(access.assessment, values, seen, request.user, form.defaults, options=True)
        except ConcurrentEditError as exc:
            messages.error(request, str(exc))
            keep_in_form(form, exc)
            return _index(request, access, form, "")
        messages.success(request, "จำตัวเลือกรายงานของปีงบประมาณนี้แล้ว ใช้กับการพิมพ์และการเผยแพร่ครั้งต่อไป")
    query = {name: value for name, value in form.data.items() if name in form.fields and name != "seen" and value}
    return redirect(reverse("report_index", args=[slug, fy]) + ("?" + urlencode(query) if query else ""))


@transaction.atomic
def _save_settings(assessment, values):
    lock_assessment_id(assessment.pk)  # what the reports print: the assessment lock (assessments.services)
    ReportSettings.objects.update_or_create(assessment=assessment, defaults=values)


@login_required
@require_POST
def report_intro(request, slug, fy):
    """Keep the organisation's own introductions for this fiscal year (blank: built from the data)."""
    access = get_access(request, slug, fy, write=True)
    options = ReportOptionsForm(access.assessment, request.GET or None)
    form = ReportIntroForm(request.POST, instance=options.saved, defaults=_generated_intros(access.assessment, options))
    if not form.is_valid():
        messages.error(request, "ยังไม่ได้บันทึกคำนำ: ตรวจสอบช่องที่ทำเครื่องหมายไว้ ข้อมูลที่พิมพ์ยังอยู่ครบ")
        return _index(request, access, options, request.GET.urlencode(), intro_form=form)
    intros = {name: form.cleaned_data[name] for name in ReportIntroForm.Meta.fields}
    reset = request.POST.get("use_generated")
    if reset in intros:
        intros[reset] = ""  # "ใช้ข้อความที่ระบบสร้าง": the text follows the data again
    try:
        remembered.save(
            access.assessment,
            intros,
            parse_seen(form.cleaned_data.get("seen")),
            request.user,
            options.defaults,
            options=False,
        )
    except ConcurrentEditError as exc:
        messages.error(request, str(exc))
        keep_in_form(form, exc)
        return _index(request, access, options, request.GET.urlencode(), intro_form=form)
    if reset in intros:
        messages.success(request, "ใช้ข้อความที่ระบบสร้างจากข้อมูลแล้ว")
    else:
        messages.success(request, "บันทึกคำนำของรายงานแล้ว ใช้กับการพิมพ์และการเผยแพร่ครั้งต่อไป")
    query = request.GET.urlencode()
    return redirect(reverse("report_index", args=[slug, fy]) + (f"?{query}" if query else "") + "#intro")


def _generated_intros(assessment, options_form) -> dict:
    """Per introduction box, the text the report builds from its data: first in the page's digits,
    then in the other digits (a text left untouched is recognised as generated whichever was shown)."""
    opts = options_form.options()
    out = {}
    for kind in ("o34", "o35"):
        texts = [data.default_intro(kind, assessment, opts)]
        for style in ("thai", "arabic"):
            if style != opts.digits:
                texts.append(data.default_intro(kind, assessment, dataclasses.replace(opts, digits=style)))
        out[f"intro_{kind}"] = texts
    return out


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
            changed = save_item_titles(access.assessment, form.titles(), parse_seen(form.cleaned_data.get("seen")))
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
    opts = form.options()
    rows = [
        {
            "kind": kind,
            "label": kind_label(access.assessment.ita_year, kind),
            "approved_at": getattr(access.assessment, f"{kind}_approved_at"),
            "approval": approval.state(access.assessment, kind, opts),
            "missing": missing_before_approval(access.assessment, kind, opts) if access.can_approve else [],
            "versions": [v for v in versions if v.kind == kind],
        }
        for kind in data.KINDS
    ]
    opts = form.options()
    if intro_form is None:
        defaults = {f"intro_{kind}": [data.default_intro(kind, access.assessment, opts)] for kind in ("o34", "o35")}
        intro_form = ReportIntroForm(instance=form.saved, defaults=defaults, seen=form.seen_token)
    if titles_form is None:
        untitled = untitled_items(access.assessment)
        titles_form = ItemTitlesForm(untitled, item_titles(access.assessment) if untitled else {})
    future = data.future_round_warning(access.assessment, opts)
    round_ = data.chosen_round(access.assessment, opts) if future else None
    context = {
        "access": access,
        "form": form,
        "intro_form": intro_form,
        "titles_form": titles_form,
        "rows": rows,
        "query": query,
        "nav": "reports",
        # O26 of a round whose date is ahead: approving or publishing asks to confirm that date
        "future_round": {"warning": future, "as_of": round_.as_of, "id": round_.pk} if future else None,
    }
    return render(request, "reports/index.html", context)


@login_required
def report_preview(request, slug, fy, kind):
    access = get_access(request, slug, fy)
    if kind not in data.KINDS:
        raise Http404
    form = ReportOptionsForm(access.assessment, request.GET or None)
    return _preview(request, access, kind, form)


def _preview(request, access, kind, form, error="", status=200):
    """The report as it prints, under a bar with its approval state; a manager approves from here
    the very report shown (the form carries its fingerprint: reports/approval.py)."""
    a = access.assessment
    report = data.build(kind, a, form.options())
    current = approval_fingerprint(report)
    bar = render_to_string(
        "reports/_approve_bar.html",
        {
            "slug": access.organisation.slug,
            "fy": a.fiscal_year,
            "kind": kind,
            "label": kind_label(a.ita_year, kind),
            "state": approval.state(a, kind, current=current),
            "approved_at": getattr(a, f"{kind}_approved_at"),
            "can_approve": access.can_approve,
            "missing": missing_before_approval(a, kind, report.opts) if access.can_approve else [],
            "fingerprint": current,
            "form": form,
            "error": error,
        },
        request=request,
    )
    return HttpResponse(rendering.render_html(report, for_pdf=False, preview=True, bar=bar), status=status)


@login_required
@require_POST
def report_approve(request, slug, fy, kind):
    """Approve the report the manager saw on its preview, then back to the reports page."""
    access = get_access(request, slug, fy, approve=True)
    if kind not in data.KINDS:
        raise Http404
    form = ReportOptionsForm(access.assessment, request.POST)  # the options the preview was shown with
    seen = request.POST.get("fingerprint", "")
    try:
        report_approval.approve(
            access.assessment, kind, request.user, form.options(), seen, confirmed=bool(request.POST.get("confirm"))
        )
    except report_approval.StaleApproval as exc:
        if not seen:  # a form from elsewhere (or a script): to the preview first
            messages.error(request, str(exc))
            return redirect(_preview_url(slug, fy, kind, form))
        return _preview(request, access, kind, form, error=str(exc), status=409)  # the new preview
    except DomainError as exc:
        return _preview(request, access, kind, form, error=str(exc), status=400)
    messages.success(request, f"อนุมัติ{kind_label(access.assessment.ita_year, kind)}แล้ว เผยแพร่ได้จากหน้านี้")
    return redirect(_index_url(slug, fy, kind, form))


def _options_query(form):
    return urlencode(
        {name: value for name, value in form.data.items() if name in form.fields and name != "seen" and value}
    )


def _preview_url(slug, fy, kind, form):
    query = _options_query(form)
    return reverse("report_preview", args=[slug, fy, kind]) + ("?" + query if query else "")


def _index_url(slug, fy, kind, form):
    query = _options_query(form)
    return reverse("report_index", args=[slug, fy]) + ("?" + query if query else "") + f"#kind-{kind}"


@login_required
@require_http_methods(["GET", "POST"])
def report_pdf(request, slug, fy, kind):
    """The draft PDF: served from the cache when this data was rendered before, else rendered in the
    background while the page shows progress (POST asks again after a failure)."""
    access, report = _report(request, slug, fy, kind)
    try:
        rendered = tasks.request_pdf(access.assessment, kind, report, retry=request.method == "POST", user=request.user)
    except tasks.RenderBusy as exc:
        context = {"access": access, "message": str(exc), "label": kind_label(access.assessment.ita_year, kind)}
        response = render(request, "reports/render_busy.html", context, status=429)
        response["Retry-After"] = "30"
        return response
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
    rendered = RenderedReport.objects.filter(pk=pk, assessment=access.assessment).first()
    if rendered is None:
        # Replaced by a newer request of the same user (reports/tasks.py): the page stops waiting.
        state = {"status": "failed", "status_label": "ยกเลิกแล้ว", "error": tasks.REPLACED, "download_url": ""}
        response = JsonResponse(state, status=410, json_dumps_params={"ensure_ascii": False})
    else:
        response = JsonResponse(_render_state(access, rendered), json_dumps_params={"ensure_ascii": False})
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
    opts = form.options()
    if kind == "o35":
        round_ = data.chosen_round(access.assessment, opts)
        # the round is fixed now: the one confirmed is the one published, whatever is published meanwhile
        opts.round_id = round_.pk if round_ else None
    if missing_before_approval(access.assessment, kind, opts) and not request.POST.get("confirm"):
        messages.error(request, CONFIRM_REQUIRED)
        return redirect(_index_url(slug, fy, kind, form))
    try:
        job = tasks.request_publish(access.assessment, kind, request.user, opts)
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
