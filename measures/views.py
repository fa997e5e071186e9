from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessments.access import get_access
from assessments.concurrency import ConcurrentEditError, keep_in_form, parse_seen
from assessments.models import Issue, Question, Unit
from assessments.services import DomainError, score_sheet
from assessments.thai import fiscal_year_bounds, shorten

from . import evidence, services, trash
from .carryover import already_here, carry_over
from .forms import AnalysisForm, ChecklistForm, MeasureForm, ProgressForm, StepForm
from .models import (
    ChecklistStatus,
    DeletedMeasure,
    EvidenceFile,
    Measure,
    OitChecklistItem,
    Progress,
    ReportingRound,
    StepProgress,
    numbered,
)


def _wants_json(request):
    return request.headers.get("Accept", "").startswith("application/json")


# --- analysis (o34 part 1) ----------------------------------------------------------------


@login_required
def analysis(request, slug, fy):
    access = get_access(request, slug, fy, write=request.method == "POST")
    assessment = access.assessment
    sheet = score_sheet(assessment)
    issues = list(Issue.objects.filter(ita_year=assessment.ita_year).prefetch_related("questions"))
    analyses = {a.issue_id: a for a in assessment.analyses.all()}
    form = AnalysisForm(issues, analyses, assessment.limitations, request.POST or None)
    if request.method == "POST" and form.is_valid():
        seen = parse_seen(form.cleaned_data.get("seen"))
        try:
            services.save_analysis(assessment, form.texts(), form.cleaned_data["limitations"], seen)
        except ConcurrentEditError as exc:
            messages.error(request, str(exc))
            keep_in_form(form, exc)
        else:
            messages.success(request, "บันทึกการวิเคราะห์แล้ว")
            return redirect("analysis", slug=slug, fy=fy)
    blocks = []
    for issue in issues:
        rows = [
            {"question": q, "score": sheet.question_scores.get(q.code), "weak": sheet.weak(q)}
            for q in issue.questions.order_by("issuequestion__order")
        ]
        blocks.append(
            {
                "issue": issue,
                "rows": rows,
                "analysis": form[f"analysis_{issue.number}"],
                "improvement": form[f"improvement_{issue.number}"],
                "saved": analyses.get(issue.id),
            }
        )
    context = {"access": access, "blocks": blocks, "form": form, "nav": "analysis", "sheet": sheet}
    return render(request, "measures/analysis.html", context)


# --- measures (o34 part 2) ----------------------------------------------------------------


@login_required
def measure_list(request, slug, fy):
    access = get_access(request, slug, fy)
    measures = Measure.objects.filter(assessment=access.assessment).for_report()
    previous_exists = Measure.objects.filter(
        assessment__organisation=access.organisation, assessment__ita_year__year=access.assessment.ita_year.year - 1
    ).exists()
    context = {
        "access": access,
        "measures": measures,
        "previous_exists": previous_exists,
        "trash_count": DeletedMeasure.objects.filter(assessment=access.assessment).count(),
        "nav": "measures",
    }
    return render(request, "measures/measure_list.html", context)


@login_required
def measure_edit(request, slug, fy, pk=None):
    # Opening a blank "new measure" form is itself a write; viewing an existing one is not.
    access = get_access(request, slug, fy, write=request.method == "POST" or pk is None)
    assessment = access.assessment
    measure = get_object_or_404(Measure, pk=pk, assessment=assessment) if pk else None
    initial = {}
    if measure is None:  # a new measure runs the whole fiscal year unless said otherwise
        initial["period_start"], initial["period_end"] = fiscal_year_bounds(assessment.fiscal_year)
    sheet = score_sheet(assessment)
    weak = frozenset(q.id for q in sheet.questions if sheet.weak(q))
    form = MeasureForm(assessment, request.POST or None, instance=measure, initial=initial, weak=weak)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_measure(assessment, measure, form.cleaned_data, form.cleaned_data.get("version"))
        except DomainError as exc:
            form.add_error(None, str(exc))
            messages.error(request, str(exc))
        else:
            messages.success(request, f"บันทึกมาตรการ “{shorten(saved.title, 60)}” แล้ว")
            return redirect("measure_list", slug=slug, fy=fy)
    elif request.method == "POST":
        messages.error(request, "ยังไม่ได้บันทึก: ตรวจสอบช่องที่ทำเครื่องหมายไว้ ข้อมูลที่พิมพ์ยังอยู่ครบ")
    context = {"access": access, "form": form, "measure": measure, "nav": "measures"}
    return render(request, "measures/measure_form.html", context)


@login_required
@require_POST
def measure_delete(request, slug, fy, pk):
    access = get_access(request, slug, fy, write=True)
    measure = get_object_or_404(Measure, pk=pk, assessment=access.assessment)
    trash.delete_measure(measure, request.user)
    messages.success(request, f"ย้ายมาตรการ “{shorten(measure.title, 60)}” ไปถังขยะแล้ว กู้คืนได้ที่หน้าถังขยะ")
    return redirect("measure_list", slug=slug, fy=fy)


@login_required
def measure_trash(request, slug, fy):
    access = get_access(request, slug, fy)
    items = list(DeletedMeasure.objects.filter(assessment=access.assessment).select_related("deleted_by"))
    return render(request, "measures/trash.html", {"access": access, "items": items, "nav": "measures"})


@login_required
@require_POST
def measure_restore(request, slug, fy, pk):
    access = get_access(request, slug, fy, write=True)
    item = get_object_or_404(DeletedMeasure, pk=pk, assessment=access.assessment)
    measure, lost = trash.restore_measure(item)
    note = f" (กู้คืนไม่ได้: {'; '.join(lost)})" if lost else ""
    messages.success(request, f"กู้คืนมาตรการ “{shorten(measure.title, 60)}” แล้ว{note}")
    return redirect(reverse("measure_list", args=[slug, fy]) + f"#m{measure.pk}")


@login_required
@require_POST
def measure_move(request, slug, fy, pk, direction):
    access = get_access(request, slug, fy, write=True)
    measure = get_object_or_404(Measure, pk=pk, assessment=access.assessment)
    services.move_measure(measure, "up" if direction == "up" else "down")
    return redirect(reverse("measure_list", args=[slug, fy]) + f"#m{pk}")


@login_required
def measure_copy_previous(request, slug, fy):
    """POST carries last year over; then (redirect, GET) the page lists what the user must decide,
    so that reloading it never copies twice. Where the year already has some of last year's
    measures, the POST first asks whether to skip them (the default) or add them again."""
    key = f"carry_over:{slug}:{fy}"
    if request.method != "POST":
        access = get_access(request, slug, fy)
        result = request.session.get(key)
        if result is None:
            return redirect("measure_list", slug=slug, fy=fy)
        return render(request, "measures/carry_over.html", {"access": access, "result": result, "nav": "measures"})
    access = get_access(request, slug, fy, write=True)
    choice = request.POST.get("duplicates")
    if choice not in ("skip", "add"):
        duplicates = already_here(access.assessment)
        if duplicates:
            context = {"access": access, "duplicates": duplicates, "nav": "measures"}
            return render(request, "measures/carry_over_confirm.html", context)
    try:
        result = carry_over(access.assessment, add_duplicates=choice == "add")
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("measure_list", slug=slug, fy=fy)
    skipped = f" (ข้ามมาตรการที่มีอยู่แล้ว {len(result.skipped)} มาตรการ)" if result.skipped else ""
    messages.success(
        request,
        f"คัดลอกจากปีงบประมาณ {result.previous_year}: มาตรการ {result.measures} มาตรการ (เป็นร่าง) "
        f"และผู้รับผิดชอบรายการ OIT {result.checklist} รายการ{skipped} ตรวจสอบและแก้ไขให้ตรงกับปีนี้",
    )
    request.session[key] = asdict(result)
    return redirect("measure_copy_previous", slug=slug, fy=fy)


@login_required
@require_POST
def measure_copy_undo(request, slug, fy):
    """Undo "copy from last year": the measures it created go to the trash (restorable)."""
    access = get_access(request, slug, fy, write=True)
    result = request.session.get(f"carry_over:{slug}:{fy}") or {}
    copied = Measure.objects.filter(assessment=access.assessment, pk__in=result.get("measure_ids", []))
    moved = 0
    for measure in copied.order_by("-order"):
        trash.delete_measure(measure, request.user)
        moved += 1
    request.session.pop(f"carry_over:{slug}:{fy}", None)
    messages.success(request, f"ย้อนการคัดลอกแล้ว: ย้ายมาตรการที่คัดลอกมา {moved} มาตรการไปถังขยะ")
    return redirect("measure_list", slug=slug, fy=fy)


# --- progress (o35) -----------------------------------------------------------------------


@login_required
def progress(request, slug, fy, round_id=None):
    access = get_access(request, slug, fy)
    rounds = services.ensure_rounds(access.assessment) if access.can_write else list(access.assessment.rounds.all())
    if not rounds:
        return render(request, "measures/progress.html", {"access": access, "rounds": [], "nav": "progress"})
    current = _current_round(rounds, round_id)
    if current is None:
        raise Http404("ไม่พบรอบรายงาน")
    in_round = Prefetch("steps__progress", queryset=StepProgress.objects.filter(round=current), to_attr="in_round")
    measures = list(Measure.objects.filter(assessment=access.assessment).for_report().prefetch_related(in_round))
    rows = {p.measure_id: p for p in Progress.objects.filter(round=current)}
    files = evidence.grouped(EvidenceFile.objects.in_round(access.assessment, current), "measure_id")
    numbers = numbered(measures)
    items = []
    for m in measures:
        row = rows.get(m.id)
        initial = _initial(row, ["status", "output", "outcome", "done_on", "evidence"], "not_started")
        form = ProgressForm(initial=initial, prefix=f"m{m.id}")
        item = {"measure": m, "number": numbers[m.pk], "row": row, "form": form, "files": files.get(m.id, [])}
        items.append(item | {"prints": _prints(row, m)})
    context = {
        "access": access,
        "rounds": rounds,
        "current": current,
        "items": items,
        "nav": "progress",
        "report_round": services.reporting_round(rounds),  # the round the O26 is of unless another is chosen
    }
    return render(request, "measures/progress.html", context)


@login_required
@require_POST
def progress_save(request, slug, fy, round_id, pk):
    access = get_access(request, slug, fy, write=True)
    round_ = get_object_or_404(ReportingRound, pk=round_id, assessment=access.assessment)
    measure = get_object_or_404(Measure, pk=pk, assessment=access.assessment)
    form = ProgressForm(request.POST, prefix=f"m{pk}")
    if not form.is_valid():
        return _invalid(request, form)
    version = form.cleaned_data.get("version")
    try:
        row = services.save_progress(measure, round_, form.cleaned_data, version or None)
    except services.ConflictError as exc:
        return _row_response(request, 409, str(exc))
    return _row_response(request, 200, f"บันทึกผลของ “{shorten(measure.title, 40)}” แล้ว", version=row.version)


def _prints(row, measure) -> str:
    """What the O26 of this round will carry for a measure: its own result and its steps' results."""
    steps = sum(1 for step in measure.steps.all() if step.in_round)
    said = (["ผลของมาตรการ"] if row else []) + ([f"ผลรายขั้นตอน {steps} รายการ"] if steps else [])
    return " + ".join(said) or "ยังไม่มีผลที่บันทึกไว้ (พิมพ์เป็น ยังไม่ดำเนินการ)"


def _current_round(rounds, round_id):
    """The round asked for, else the one being reported now: the first whose date has not passed."""
    if round_id:
        return next((r for r in rounds if r.pk == round_id), None)
    today = timezone.localdate()
    return next((r for r in rounds if r.as_of >= today), rounds[-1]) if rounds else None


@login_required
def measure_steps(request, slug, fy, pk):
    """Each step's own period, units and result in one round: the o35 row of that step."""
    access = get_access(request, slug, fy, write=request.method == "POST")
    assessment = access.assessment
    measure = get_object_or_404(Measure.objects.prefetch_related("steps__units"), pk=pk, assessment=assessment)
    rounds = services.ensure_rounds(assessment) if access.can_write else list(assessment.rounds.all())
    try:
        round_id = int(request.GET.get("round") or 0)
    except ValueError:
        round_id = 0
    current = _current_round(rounds, round_id)
    if round_id and current is None:
        raise Http404("ไม่พบรอบรายงาน")
    units = list(Unit.objects.filter(organisation=access.organisation))
    results = {p.step_id: p for p in StepProgress.objects.filter(step__measure=measure, round=current)}
    steps = list(measure.steps.all())
    forms = []
    for step in steps:
        row = results.get(step.pk)
        initial = _initial(row, ["status", "output", "outcome", "done_on", "evidence"], "not_started")
        initial |= {
            "period_text": step.period_text,
            "period_start": step.period_start,
            "period_end": step.period_end,
            "units": [u.pk for u in step.units.all()],
            "responsible_person": step.responsible_person,
            "due_date": step.due_date,
        }
        data = request.POST if request.method == "POST" else None
        forms.append((step, StepForm(units, data, initial=initial, prefix=f"s{step.pk}")))
    if request.method == "POST":
        if all(form.is_valid() for _, form in forms):
            rows = {s.pk: f.cleaned_data for s, f in forms}
            seen = {s.pk: parse_seen(f.cleaned_data.get("seen")) for s, f in forms}
            try:
                changed = services.save_steps(
                    measure, current, rows, {pk: v for pk, v in seen.items() if v is not None}
                )
            except services.RowsConflict as exc:
                messages.error(request, str(exc))
                for step, form in forms:
                    if step.pk in exc.rows:
                        keep_in_form(form, exc.rows[step.pk])
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"บันทึกรายขั้นตอนของ “{shorten(measure.title, 40)}” แล้ว ({changed} รายการ)")
                query = f"?round={current.pk}" if current else ""
                return redirect(reverse("measure_steps", args=[slug, fy, pk]) + query)
        else:
            messages.error(request, "ยังไม่ได้บันทึก: ตรวจสอบช่องที่ทำเครื่องหมายไว้ ข้อมูลที่พิมพ์ยังอยู่ครบ")
    context = {
        "access": access,
        "measure": measure,
        "forms": forms,
        "rounds": rounds,
        "current": current,
        "nav": "progress",
    }
    return render(request, "measures/measure_steps.html", context)


def _initial(row, fields, default_status):
    """A row form's initial values: the saved row's, or an empty row (version 0 = none yet)."""
    if row is None:
        return {"status": default_status, "version": 0}
    return {f.removesuffix("_id"): getattr(row, f) for f in fields} | {"version": row.version}


def _invalid(request, form):
    errors = {k: [str(e) for e in v] for k, v in form.errors.items()}
    return _row_response(request, 400, "ยังไม่ได้บันทึก: " + " ".join(sum(errors.values(), [])), errors=errors)


def _row_response(request, status, message, **extra):
    if _wants_json(request):
        return JsonResponse({"ok": status == 200, "message": message, **extra}, status=status)
    (messages.success if status == 200 else messages.error)(request, message)
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = "/"  # never send the user to another site named by a Referer
    return redirect(back)


# --- OIT checklist ------------------------------------------------------------------------


@login_required
def checklist(request, slug, fy):
    """The whole OIT checklist as one form: edit any rows, save once (all or nothing); filter
    by status or unit; the counter follows what is ticked."""
    access = get_access(request, slug, fy, write=request.method == "POST")
    assessment = access.assessment
    questions = list(
        services.with_typed_titles(
            Question.objects.filter(ita_year=assessment.ita_year, instrument="OIT"), assessment
        ).select_related("subindicator", "indicator")
    )
    rows = {c.question_id: c for c in OitChecklistItem.objects.filter(assessment=assessment)}
    units = list(access.organisation.units.all())
    sheet_scores = {s.question_id: s.score for s in assessment.question_scores.all()}
    files = evidence.grouped(EvidenceFile.objects.of_oit(assessment), "oit_code")
    status, unit = request.GET.get("status", ""), request.GET.get("unit", "")
    items = []
    for q in questions:
        row = rows.get(q.id)
        if status and (row.status if row else ChecklistStatus.NOT_DONE) != status:
            continue
        if unit and str(row.unit_id if row else "") != unit:
            continue
        initial = _initial(row, ["unit_id", "status", "description", "evidence_url"], "not_done")
        # Only the rows this page showed are posted back (a filtered page saves its rows only).
        data = request.POST if request.method == "POST" and f"{q.code}-status" in request.POST else None
        form = ChecklistForm(access.organisation, data, initial=initial, prefix=q.code, units=units)
        items.append(
            {
                "question": q,
                "heading": q.group_heading,  # its sub-indicator, or its indicator where none is known
                "title": q.text if q.title_known else q.typed_title or "",
                "row": row,
                "form": form,
                "score": sheet_scores.get(q.id),
                "files": files.get(q.code, []),
            }
        )
    if request.method == "POST":
        posted = [item for item in items if item["form"].is_bound]
        if all(item["form"].is_valid() for item in posted):
            seen = {item["question"].code: parse_seen(item["form"].cleaned_data.get("seen")) for item in posted}
            seen = {code: v for code, v in seen.items() if v is not None}
            try:
                changed = services.save_checklist(
                    assessment, [(item["question"], item["form"].cleaned_data) for item in posted], seen or None
                )
            except services.RowsConflict as exc:
                # The other rows are saved; the conflicting ones keep what this user typed.
                messages.error(request, str(exc))
                for item in posted:
                    if item["question"].code in exc.rows:
                        keep_in_form(item["form"], exc.rows[item["question"].code])
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"บันทึกรายการ OIT แล้ว ({changed} รายการที่เปลี่ยน)")
                return redirect(request.get_full_path())
        else:
            messages.error(request, "ยังไม่ได้บันทึก: ตรวจสอบช่องที่ทำเครื่องหมายไว้ ข้อมูลที่พิมพ์ยังอยู่ครบ")
    done = sum(1 for r in rows.values() if r.status == ChecklistStatus.DONE)
    shown_done = sum(1 for item in items if item["row"] and item["row"].status == ChecklistStatus.DONE)
    context = {
        "access": access,
        "items": items,
        "done": done,
        "done_elsewhere": done - shown_done,  # the live counter adds what is ticked on this page
        "total": len(questions),
        "units": units,
        "status": status,
        "unit": unit,
        "statuses": ChecklistStatus.choices,
        "nav": "oit",
    }
    return render(request, "measures/checklist.html", context)


@login_required
@require_POST
def checklist_save(request, slug, fy, code):
    access = get_access(request, slug, fy, write=True)
    question = get_object_or_404(Question, ita_year=access.assessment.ita_year, code=code, instrument="OIT")
    form = ChecklistForm(access.organisation, request.POST, prefix=code)
    if not form.is_valid():
        return _invalid(request, form)
    try:
        row = services.save_checklist_item(
            access.assessment, question, form.cleaned_data, form.cleaned_data.get("version") or None
        )
    except services.ConflictError as exc:
        return _row_response(request, 409, str(exc))
    except DomainError as exc:
        return _row_response(request, 400, str(exc))
    return _row_response(request, 200, f"บันทึก {code} แล้ว", version=row.version)
