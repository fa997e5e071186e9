"""The fiscal year's own pages: start a year, its home page, approvals. They live here, above
assessments, because they show and change measures, progress and the OIT checklist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.access import get_access
from assessments.models import Assessment, ItaYear
from assessments.services import DomainError

from . import dashboard
from .services import (
    APPROVABLE,
    approval_label,
    approve,
    ensure_rounds,
    future_round_confirmed,
    future_round_warning,
    reporting_round,
)


@login_required
@require_POST
def start_year(request, slug):
    access = get_access(request, slug, write=True)
    year = request.POST.get("ita_year", "")
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        raise Http404("ไม่พบปีการประเมินนี้")
    ita_year = get_object_or_404(ItaYear, year=int(year))
    assessment, created = Assessment.objects.get_or_create(organisation=access.organisation, ita_year=ita_year)
    ensure_rounds(assessment)
    if created:
        messages.success(request, f"เริ่มปีงบประมาณ {assessment.fiscal_year} (ผล ITA {ita_year.year}) แล้ว")
    return redirect("dashboard", slug=slug, fy=assessment.fiscal_year)


@login_required
def year_dashboard(request, slug, fy):
    access = get_access(request, slug, fy)
    board = dashboard.build(access.assessment)
    return render(request, "assessments/dashboard.html", {"access": access, "board": board, "nav": "home"})


@login_required
@require_POST
def approve_view(request, slug, fy, kind):
    access = get_access(request, slug, fy, approve=True)
    if kind not in APPROVABLE:
        raise Http404
    if kind == "o35":
        # The round the approver saw (the reports page sends it), else the one reported now.
        round_id = request.POST.get("round", "")
        round_ = reporting_round(access.assessment.rounds.all(), int(round_id) if round_id.isdigit() else None)
        if not future_round_confirmed(round_, request.POST):
            messages.error(request, f"ยังไม่ได้อนุมัติ: {future_round_warning(round_)} ติ๊กยืนยันวันที่นี้ก่อนอนุมัติ")
            query = f"?round={round_.pk}" if round_id.isdigit() else ""
            return redirect(reverse("report_index", args=[slug, fy]) + query + "#kind-o35")
    try:
        approve(access.assessment, kind, request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        note = access.assessment.ita_year.unconfirmed_note  # an approval of an unconfirmed year says so
        messages.success(request, f"อนุมัติ{approval_label(access.assessment, kind)}แล้ว" + (f" ({note})" if note else ""))
    return redirect("dashboard", slug=slug, fy=fy)
