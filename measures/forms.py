from django import forms

from assessments.concurrency import seen_token
from assessments.forms_fields import IdMultipleChoiceField, ThaiDateField
from assessments.models import Issue, Question, Unit
from assessments.thai import fiscal_year_bounds, shorten, thai_date
from assessments.validators import bound_text_fields, validate_safe_url

from .models import ChecklistStatus, Measure, ProgressStatus
from .widgets import plain


class RichTextarea(forms.Textarea):
    """A textarea that the page's small editor turns into a rich-text box (paste keeps lists, bold, links)."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 5, "data-rich": "1", **(attrs or {})})


class AnalysisForm(forms.Form):
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, issues, analyses, limitations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.issues = issues
        for issue in issues:
            row = analyses.get(issue.id)
            self.fields[f"analysis_{issue.number}"] = forms.CharField(
                required=False, label="วิเคราะห์", widget=RichTextarea(), initial=row.analysis if row else ""
            )
            self.fields[f"improvement_{issue.number}"] = forms.CharField(
                required=False, label="ข้อปรับปรุง/การพัฒนา", widget=RichTextarea(), initial=row.improvement if row else ""
            )
        self.fields["limitations"] = forms.CharField(
            required=False, label="การวิเคราะห์ข้อจำกัดของหน่วยงาน", widget=RichTextarea(), initial=limitations
        )
        # What this page showed, so that a save never overwrites what someone saved since (compare-and-swap).
        shown = {name: field.initial or "" for name, field in self.fields.items() if name != "seen"}
        self.fields["seen"].initial = seen_token(shown)
        bound_text_fields(self)

    def texts(self):
        d = self.cleaned_data
        return {i.number: (d[f"analysis_{i.number}"], d[f"improvement_{i.number}"]) for i in self.issues}


class MeasureForm(forms.ModelForm):
    steps = forms.CharField(
        label="ขั้นตอน/วิธีปฏิบัติ (บรรทัดละขั้นตอน เรียงตามลำดับ)",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    period_start = ThaiDateField(label="เริ่ม (วัน/เดือน/ปี พ.ศ.)", required=False)
    period_end = ThaiDateField(label="สิ้นสุด (วัน/เดือน/ปี พ.ศ.)", required=False)
    due_date = ThaiDateField(label="กำหนดเสร็จ (วัน/เดือน/ปี พ.ศ.)", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outside_ok = forms.BooleanField(label="ยืนยันว่าช่วงเวลานี้อยู่นอกปีงบประมาณจริง", required=False, widget=forms.HiddenInput)

    class Meta:
        model = Measure
        fields = [
            "title",
            "issues",
            "questions",
            "units",
            "responsible_person",
            "due_date",
            "period_start",
            "period_end",
            "period_text",
            "follow_up",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "issues": forms.CheckboxSelectMultiple,
            "units": forms.CheckboxSelectMultiple,
            "questions": forms.CheckboxSelectMultiple,
            "follow_up": RichTextarea(attrs={"rows": 3}),
        }
        field_classes = {name: IdMultipleChoiceField for name in ("issues", "questions", "units")}

    def __init__(self, assessment, *args, weak=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_year = assessment.fiscal_year
        self.fields["issues"].queryset = Issue.objects.filter(ita_year=assessment.ita_year)
        self.fields["questions"].queryset = Question.objects.filter(ita_year=assessment.ita_year)
        # Tap to pick; the items under the year's threshold are marked, so a measure meets them.
        self.fields["questions"].label_from_instance = lambda q: (
            f"{q.code} {shorten(q.text, 70)}" + (" · ต้องพัฒนา" if q.id in weak else "")
        )
        self.fields["questions"].help_text = "แตะเพื่อเลือกหลายข้อ · พิมพ์ในช่องค้นหาเพื่อกรอง · “ต้องพัฒนา” คือข้อที่คะแนนต่ำกว่าเกณฑ์"
        self.fields["units"].queryset = Unit.objects.filter(organisation=assessment.organisation)
        if self.instance.pk:
            self.fields["steps"].initial = "\n".join(s.text for s in self.instance.steps.all())
            self.fields["version"].initial = self.instance.version
        bound_text_fields(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม")
        if not (start or end or data.get("period_text", "").strip()):
            self.add_error("period_text", "ระบุช่วงวันที่ หรือข้อความระยะเวลา เช่น ตลอดปีงบประมาณ")
        # A date outside the fiscal year is allowed (a measure may start early), once confirmed.
        first, last = fiscal_year_bounds(self.fiscal_year)
        outside = [d for d in (start, end) if d and not first <= d <= last]
        if outside and not data.get("outside_ok"):
            self.fields["outside_ok"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})
            self.add_error(
                "outside_ok",
                f"วันที่ {', '.join(thai_date(d) for d in outside)} อยู่นอกปีงบประมาณ {self.fiscal_year} "
                f"({thai_date(first)} – {thai_date(last)}) ถ้าถูกต้องแล้ว ให้ติ๊กยืนยันแล้วบันทึกอีกครั้ง",
            )
        return data


class BootstrapMixin:
    """Bootstrap classes on every widget of forms rendered field by field (not by crispy)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
            plain(field.widget)  # one form per row: render widgets without the template engine
        bound_text_fields(self)


class ProgressForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label="สถานะ", choices=ProgressStatus.choices)
    output = forms.CharField(label="ผลการดำเนินการ", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label="ผลลัพธ์/ผลสัมฤทธิ์", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    done_on = ThaiDateField(label="วันที่ดำเนินการ", required=False)
    evidence = forms.CharField(label="ลิงก์หลักฐาน (บรรทัดละลิงก์)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_evidence(self):
        links = [line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()]
        for link in links:
            try:
                validate_safe_url(link)
            except forms.ValidationError:
                raise forms.ValidationError(f"“{link}” ไม่ใช่ลิงก์ที่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://)") from None
        return "\n".join(links)


class StepForm(ProgressForm):
    """One step of a measure: its own period and units, and its result in the chosen round."""

    # What this row showed, box by box, so that a save from a page opened earlier never puts back
    # old values and names the boxes someone else changed meanwhile (measures/services.save_steps).
    seen = forms.CharField(required=False, widget=forms.HiddenInput)
    SEEN_FIELDS = ("period_text", "period_start", "period_end", "units", "responsible_person", "due_date")
    SEEN_FIELDS += ("status", "output", "outcome", "done_on", "evidence")

    period_text = forms.CharField(label="ช่วงเวลา (ข้อความ)", required=False, max_length=300)
    period_start = ThaiDateField(label="เริ่ม", required=False)
    period_end = ThaiDateField(label="สิ้นสุด", required=False)
    units = forms.TypedMultipleChoiceField(
        label="ผู้รับผิดชอบ", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    responsible_person = forms.CharField(label="ผู้รับผิดชอบ (ชื่อ-ตำแหน่ง)", required=False, max_length=200)
    due_date = ThaiDateField(label="กำหนดเสร็จ", required=False)
    field_order = ["period_text", "period_start", "period_end", "units", "responsible_person", "due_date"]

    def __init__(self, units, *args, **kwargs):
        # `units` is a list read once for all the steps of the page (a queryset per form would
        # cost a query per step).
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["units"].choices = [(u.pk, u.name) for u in units]
        self.fields["units"].widget.attrs["class"] = "form-check-input"
        self.fields["status"].required = False
        self.fields["seen"].initial = seen_token({name: self.initial.get(name) for name in self.SEEN_FIELDS})

    def clean_units(self):
        return [self.units[pk] for pk in self.cleaned_data["units"]]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม")
        return data


class ChecklistForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label="ผู้รับผิดชอบ", queryset=Unit.objects.none(), required=False)
    status = forms.ChoiceField(label="สถานะ", choices=ChecklistStatus.choices)
    description = forms.CharField(label="สิ่งที่ดำเนินการ", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_url = forms.URLField(
        label="URL หลักฐาน",
        required=False,
        max_length=500,
        validators=[validate_safe_url],
        error_messages={"invalid": "URL ไม่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://)"},
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # What this row showed (measures/services.save_checklist): only boxes changed by two people conflict.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)
    SEEN_FIELDS = ("unit", "status", "description", "evidence_url")

    def __init__(self, organisation, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen"].initial = seen_token({name: self.initial.get(name) for name in self.SEEN_FIELDS})
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)
        if units is not None:
            # The whole checklist at once: choices from one list of units, not a query per row.
            self.units = {u.pk: u for u in units}
            self.fields["unit"] = forms.TypedChoiceField(
                label="ผู้รับผิดชอบ",
                choices=[("", "—")] + [(u.pk, u.name) for u in units],
                coerce=int,
                required=False,
                empty_value=None,
                widget=plain(forms.Select(attrs={"class": "form-select form-select-sm"})),
            )

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        return self.units.get(unit) if isinstance(unit, int) else unit
