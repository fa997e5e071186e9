"""Upload last year's o34/o35 Word report, see what it would create, confirm."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from assessments.access import get_access

from .models import WordImportPlan
from .services import ensure_rounds
from .word_import import MAX_BYTES, WordImportError, apply_plan, plan_import


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
        if rounds:
            self.fields["round"].initial = rounds[-1].id

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError("รับเฉพาะไฟล์ .docx (ถ้าเป็น .doc ให้เปิดใน Word แล้วบันทึกเป็น .docx)")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("ไฟล์ใหญ่เกิน 10 MB")
        return upload


PLAN_LIFETIME = datetime.timedelta(days=1)


@login_required
def word_import(request, slug, fy):
    access = get_access(request, slug, fy, write=True)
    assessment = access.assessment
    rounds = ensure_rounds(assessment)
    # The session holds only the id of the plan; the plan itself (it can be large) is a row.
    key = f"word_import:{assessment.pk}"
    form = UploadForm(rounds, request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and "confirm" in request.POST:
        saved = _saved_plan(request, assessment, key)
        if saved is None:
            messages.error(request, "หมดเวลาของตัวอย่างแล้ว อัปโหลดไฟล์อีกครั้ง")
            return redirect("word_import", slug=slug, fy=fy)
        with transaction.atomic():
            created = apply_plan(assessment, saved.data, saved.round if saved.data["has_results"] else None)
            saved.delete()
        request.session.pop(key, None)
        messages.success(request, f"นำเข้าจากไฟล์ Word แล้ว {created} มาตรการ ตรวจสอบและแก้ไขได้ที่หน้ามาตรการ")
        return redirect("measure_list", slug=slug, fy=fy)
    if request.method == "POST" and form.is_valid():
        try:
            result = plan_import(form.cleaned_data["file"].read(), assessment)
        except WordImportError as exc:
            form.add_error("file", str(exc))
        else:
            plan = result
            round_ = next((r for r in rounds if r.id == form.cleaned_data.get("round")), None)
            # Expired plans of anyone, and this user's earlier preview of the year, go now.
            WordImportPlan.objects.filter(created__lt=timezone.now() - PLAN_LIFETIME).delete()
            WordImportPlan.objects.filter(assessment=assessment, user=request.user).delete()
            stored = WordImportPlan.objects.create(
                assessment=assessment, user=request.user, round=round_, data=result.to_dict()
            )
            request.session[key] = stored.pk
    context = {"access": access, "form": form, "plan": plan, "nav": "measures"}
    return render(request, "measures/word_import.html", context)


def _saved_plan(request, assessment, key):
    """The plan this user was shown for this year, if it has not expired."""
    pk = request.session.get(key)
    if not isinstance(pk, int):
        return None
    fresh = timezone.now() - PLAN_LIFETIME
    return (
        WordImportPlan.objects.select_related("round")
        .filter(pk=pk, assessment=assessment, user=request.user, created__gte=fresh)
        .first()
    )
