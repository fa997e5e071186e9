from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .access import get_access
from .concurrency import ConcurrentEditError, keep_in_form, parse_seen, save_scores_checked
from .forms import PasteForm, ScoreGridForm
from .models import ItaYear, Membership, Organisation, Role
from .services import (
    DomainError,
    ScoreError,
    parse_score,
    read_pasted_scores,
    save_scores,
    score_sheet,
    split_summary_lines,
)


@login_required
def home(request):
    """Send staff to their organisation's latest year; auditors to the list of organisations."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("organisation"))
    own = [m.organisation for m in memberships if m.organisation and m.role != Role.AUDITOR]
    if len(own) == 1:
        return redirect("org", slug=own[0].slug)
    organisations = Organisation.objects.for_user(request.user).order_by("province", "name")
    return render(request, "assessments/org_list.html", {"organisations": organisations})


@login_required
def org_years(request, slug):
    access = get_access(request, slug)
    assessments = list(access.organisation.assessments.select_related("ita_year").order_by("-ita_year__year"))
    if assessments and "all" not in request.GET:
        return redirect("dashboard", slug=slug, fy=assessments[0].fiscal_year)
    taken = {a.ita_year_id for a in assessments}
    available = [y for y in ItaYear.objects.order_by("-year") if y.id not in taken] if access.can_write else []
    return render(
        request,
        "assessments/org_years.html",
        {"access": access, "org": access.organisation, "assessments": assessments, "available": available},
    )


@login_required
def results(request, slug, fy):
    access = get_access(request, slug, fy, write=request.method == "POST")
    sheet = score_sheet(access.assessment)
    form = ScoreGridForm(sheet, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grid = {k: v for k, v in form.cleaned_data.items() if k.startswith(("q_", "ind_", "inst_", "overall"))}
            changed = save_scores_checked(access.assessment, grid, parse_seen(form.cleaned_data.get("seen")))
        except ConcurrentEditError as exc:
            messages.error(request, str(exc))
            keep_in_form(form, exc)
        except ScoreError as exc:
            for key, message in exc.errors.items():
                form.add_error(None, f"{key}: {message}")
        else:
            messages.success(request, f"บันทึกคะแนนแล้ว ({changed} รายการที่เปลี่ยน)")
            return redirect("results", slug=slug, fy=fy)
    elif request.method == "POST":
        messages.error(request, "ยังไม่ได้บันทึก: มีช่องที่กรอกไม่ถูกต้อง (ทำเครื่องหมายสีแดง) ข้อมูลที่พิมพ์ยังอยู่ครบ")
    groups = {}
    for q in sheet.questions:
        groups.setdefault(q.instrument, []).append((q, form[f"q_{q.code}"]))
    indicators = [
        (ind, form[f"ind_{ind.number}"], sheet.computed.indicators.get(ind.number)) for ind in sheet.indicators
    ]
    instruments = [(name, form[f"inst_{name}"], computed) for name, _, computed in sheet.instrument_rows()]
    context = {
        "access": access,
        "sheet": sheet,
        "form": form,
        "groups": groups,
        "indicators": indicators,
        "instruments": instruments,
        "nav": "results",
    }
    return render(request, "assessments/results.html", context)


@login_required
def results_paste(request, slug, fy):
    access = get_access(request, slug, fy, write=True)
    sheet = score_sheet(access.assessment)
    form = PasteForm(request.POST or None)
    preview, errors = None, []
    if request.method == "POST" and form.is_valid():
        summary, rest = split_summary_lines(form.cleaned_data["text"])
        pasted = read_pasted_scores(rest)
        values, errors = pasted.values, pasted.errors
        preview = []
        official = {"overall": access.assessment.overall_score, **access.assessment.official_instruments()}
        for key, raw in summary.items():
            label = "คะแนนภาพรวม" if key == "overall" else f"คะแนน {key}"
            try:
                new = parse_score(raw)
            except DomainError as exc:
                errors.append((0, f"{label}: {exc}"))
                continue
            old = official[key]
            preview.append({"code": label, "text": "", "old": old, "new": new, "changed": old != new})
        by_code = {q.code.lower(): q for q in sheet.questions}
        for code, raw in values.items():
            question = by_code.get(code)
            if question is None:
                errors.append((0, f"{code}: ไม่มีข้อนี้ใน ITA {sheet.assessment.ita_year.year}"))
                continue
            try:
                new = parse_score(raw, oit=question.is_oit)
            except DomainError as exc:
                errors.append((0, f"{code}: {exc}"))
                continue
            old = sheet.question_scores.get(question.code)
            preview.append(
                {"code": question.code, "text": question.text, "old": old, "new": new, "changed": old != new}
            )
        if "confirm" in request.POST and not errors and preview:
            instruments = {k: v for k, v in summary.items() if k != "overall"}
            changed = save_scores(
                access.assessment,
                questions=values,
                instruments=instruments,
                overall=summary.get("overall"),
                overall_given="overall" in summary,
            )
            messages.success(request, f"บันทึกคะแนนจากตารางที่วางแล้ว ({changed} รายการที่เปลี่ยน)")
            return redirect("results", slug=slug, fy=fy)
        if "confirm" in request.POST and errors:
            messages.error(request, "ยังไม่ได้บันทึก: แก้ไขบรรทัดที่ผิดก่อน")
    context = {"access": access, "form": form, "preview": preview, "errors": errors, "nav": "results"}
    if request.method == "POST" and form.is_valid():
        context.update(skipped=pasted.skipped, duplicates=pasted.duplicates)
    return render(request, "assessments/results_paste.html", context)


@login_required
def reminder_settings(request):
    """Each person turns the e-mail reminders of each of their organisations on or off."""
    memberships = list(
        Membership.objects.filter(user=request.user, role__in=[Role.STAFF, Role.MANAGER]).select_related("organisation")
    )
    if request.method == "POST":
        wanted = set(request.POST.getlist("on"))
        for m in memberships:
            value = str(m.pk) in wanted
            if m.reminders != value:
                m.reminders = value
                m.save(update_fields=["reminders"])
        messages.success(request, "บันทึกการตั้งค่าการแจ้งเตือนแล้ว")
        return redirect("reminder_settings")
    context = {"memberships": memberships, "email": request.user.email}
    return render(request, "assessments/reminders.html", context)
