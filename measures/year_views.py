"""The fiscal year's own pages: start a year and its home page (approving is on the report's
preview: reports/views.py). They live here, above
assessments, because they show and change measures, progress and the OIT checklist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.access import get_access
from assessments.models import Assessment, ItaYear

from . import dashboard
from .services import ensure_rounds


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
