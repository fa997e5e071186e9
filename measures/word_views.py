"""Upload last year's o34/o35 Word report, see what it would create, confirm."""

import datetime
import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from assessments.access import get_access

from .models import WordImportPlan
from .services import ensure_rounds, reporting_round
from .tasks import read_word_plan
from .word_import import (
    MAX_BYTES,
    MODES,
    RESULTS,
    WordImportError,
    analyses_to_fill,
    apply_plan,
    as_plan,
    results_allowed,
    year_warning,
)

logger = logging.getLogger(__name__)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="ไฟล์รายงาน (.docx)",
        error_messages={"required": "เลือกไฟล์ Word (.docx) ก่อน", "empty": "ไฟล์นี้ว่างเปล่า"},
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )
    round = forms.TypedChoiceField(label="บันทึกผลการดำเนินการในรอบ", coerce=int, required=False)

    def __init__(self, rounds, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(r.id, f"{r.name} (ณ {r.as_of:%d/%m}/{r.as_of.year + 543})") for r in rounds]
        if rounds:  # the round being reported now, as the O26 page has it
            self.fields["round"].initial = reporting_round(rounds).id

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError("รับเฉพาะไฟล์ .docx (ถ้าเป็น .doc ให้เปิดใน Word แล้วบันทึกเป็น .docx)")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("ไฟล์ใหญ่เกิน 10 MB")
        return upload


PLAN_LIFETIME = datetime.timedelta(days=1)
# A file still waiting this long was never picked up (no worker running): say so, do not spin.
STALE_AFTER = datetime.timedelta(minutes=5)
Status = WordImportPlan.Status


@login_required
def word_import(request, slug, fy):
    """Upload (the file is read by a background task), wait, preview, confirm."""
    access = get_access(request, slug, fy, write=True)
    assessment = access.assessment
    rounds = ensure_rounds(assessment)
    # The session holds only the id of the plan; the plan itself (it can be large) is a row.
    key = f"word_import:{assessment.pk}"
    form = UploadForm(rounds, request.POST or None, request.FILES or None)
    stored, confirm_error, chosen = None, "", {}
    if request.method == "POST" and "confirm" in request.POST:
        saved = _saved_plan(request, assessment, key)
        if saved is None or saved.status != Status.READY:
            messages.error(request, "หมดเวลาของตัวอย่างแล้ว อัปโหลดไฟล์อีกครั้ง")
            return redirect("word_import", slug=slug, fy=fy)
        mode = request.POST.get("as") if request.POST.get("as") in MODES else saved.data.get("mode", RESULTS)
        round_id = request.POST.get("round", "")
        round_ = next((r for r in rounds if str(r.id) == round_id), None) or saved.round or reporting_round(rounds)
        results = mode == RESULTS and saved.data["has_results"]
        try:
            with transaction.atomic():
                created = apply_plan(assessment, saved.data, round_ if results else None)
                saved.delete()
        except WordImportError as exc:  # results of another year: the preview again, with the reason
            stored, confirm_error, chosen = saved, str(exc), {"mode": mode, "round": round_ and round_.id}
        else:
            request.session.pop(key, None)
            messages.success(request, f"นำเข้าจากไฟล์ Word แล้ว {created} มาตรการ ตรวจสอบและแก้ไขได้ที่หน้ามาตรการ")
            return redirect("measure_list", slug=slug, fy=fy)
    if request.method == "POST" and "confirm" not in request.POST and form.is_valid():
        round_ = next((r for r in rounds if r.id == form.cleaned_data.get("round")), None)
        # Expired plans of anyone, and this user's earlier upload for the year, go now.
        WordImportPlan.objects.filter(created__lt=timezone.now() - PLAN_LIFETIME).delete()
        WordImportPlan.objects.filter(assessment=assessment, user=request.user).delete()
        stored = WordImportPlan.objects.create(
            assessment=assessment, user=request.user, round=round_, upload=form.cleaned_data["file"].read()
        )
        request.session[key] = stored.pk
        try:
            read_word_plan.enqueue(stored.pk)
        except Exception:
            logger.exception("could not enqueue Word import %s", stored.pk)
            stored.delete()
            form.add_error("file", "ส่งไฟล์เข้าคิวอ่านไม่ได้ กรุณาลองใหม่ภายหลัง")
            stored = None
        else:
            stored.refresh_from_db()  # read already where tasks run at once
            if stored.status == Status.QUEUED:
                return redirect(reverse("word_import", args=[slug, fy]) + f"?plan={stored.pk}")
    elif request.method == "GET" and request.GET.get("plan"):
        stored = _saved_plan(request, assessment, key)
        if stored is None or str(stored.pk) != request.GET["plan"]:
            messages.error(request, "หมดเวลาของตัวอย่างแล้ว อัปโหลดไฟล์อีกครั้ง")
            return redirect("word_import", slug=slug, fy=fy)
        if stored.status == Status.QUEUED and timezone.now() - stored.created > STALE_AFTER:
            stored.delete()
            messages.error(request, "ระบบยังไม่ได้อ่านไฟล์ (คิวงานไม่ทำงาน) กรุณาอัปโหลดอีกครั้ง หรือแจ้งผู้ดูแลระบบ")
            return redirect("word_import", slug=slug, fy=fy)
    if stored is not None and stored.status == Status.FAILED:
        if form.is_bound:
            form.add_error("file", stored.error)
        else:  # read after the page had been left waiting
            messages.error(request, stored.error)
        stored.delete()
        stored = None
    plan = stored.data if stored is not None and stored.status == Status.READY else None
    if plan is not None and not results_allowed(plan):
        plan = as_plan(plan)  # another year's file can only be a plan: preview what will be saved
    context = {
        "access": access,
        "form": form,
        "waiting": stored is not None and stored.status == Status.QUEUED,
        "plan": plan,
        "nav": "measures",
    }
    if plan is not None:
        context.update(
            modes=MODES.items(),
            mode=chosen.get("mode") or plan.get("mode") or RESULTS,
            results_allowed=results_allowed(plan),
            year_warning=year_warning(plan),
            rounds=rounds,
            round_id=chosen.get("round") or stored.round_id or getattr(reporting_round(rounds), "id", None),
            confirm_error=confirm_error,
            analyses=analyses_to_fill(assessment, plan),
        )
    return render(request, "measures/word_import.html", context)


def _saved_plan(request, assessment, key):
    """The plan this user uploaded for this year, if it has not expired."""
    pk = request.session.get(key)
    if not isinstance(pk, int):
        return None
    fresh = timezone.now() - PLAN_LIFETIME
    return (
        WordImportPlan.objects.select_related("round")
        .defer("upload")
        .filter(pk=pk, assessment=assessment, user=request.user, created__gte=fresh)
        .first()
    )
