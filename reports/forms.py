from django import forms
from django.core.validators import MaxLengthValidator

from assessments.forms_fields import ThaiDateField

from . import remembered as stored
from .data import ReportOptions
from .models import DIGIT_CHOICES, GROUPING_CHOICES, ReportSettings


class ReportOptionsForm(forms.Form):
    digits = forms.ChoiceField(label="ตัวเลข", choices=DIGIT_CHOICES, initial="thai")
    grouping = forms.ChoiceField(label="มาตรการในรายงานผล", choices=GROUPING_CHOICES, initial="issues", required=False)
    number_column = forms.BooleanField(label="มีคอลัมน์ “ลำดับ”", required=False)
    round = forms.TypedChoiceField(label="รอบรายงานผลการดำเนินการ", coerce=int, required=False, empty_value=None)
    report_date = ThaiDateField(label="วันที่รายงาน", required=False)
    reporter_name = forms.CharField(label="ชื่อผู้รายงาน", required=False, max_length=200)
    reporter_position = forms.CharField(label="ตำแหน่งผู้รายงาน", required=False, max_length=200)
    approver_name = forms.CharField(label="ชื่อผู้อนุมัติ", required=False, max_length=200)
    approver_position = forms.CharField(label="ตำแหน่งผู้อนุมัติ", required=False, max_length=200)
    # What the page showed of the remembered options (reports/remembered.py): no lost edit on "จำไว้".
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, assessment, data=None, *args, **kwargs):
        # No options in the request: start from what this fiscal year remembers (ReportSettings), if
        # options were remembered: a row holding introductions only keeps the form's own defaults.
        self.saved = getattr(assessment, "report_settings", None)
        remembered = self.saved.remembered() if self.saved else {}
        super().__init__(remembered if remembered and not data else data, *args, **kwargs)
        self.fields["round"].choices = [("", "รอบล่าสุด")] + [(r.id, r.name) for r in assessment.rounds.all()]
        self.fields["approver_position"].initial = assessment.organisation.executive_title
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)
        self.defaults = {name: field.initial for name, field in self.fields.items() if name != "seen"}
        self.seen_token = stored.seen_for(assessment, self.defaults, self.saved)
        self.fields["seen"].initial = self.seen_token
        if self.is_bound and not self.data.get("seen"):
            # Options in the address (or remembered ones) carry no "seen": they were read just now.
            self.data = self.data.copy()
            self.data["seen"] = self.seen_token

    def clean_grouping(self):
        return self.cleaned_data.get("grouping") or "issues"  # a form from before the option existed

    def options(self) -> ReportOptions:
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return ReportOptions(
            digits=d.get("digits") or "thai",
            round_id=d.get("round"),
            grouping=d.get("grouping") or "issues",
            number_column=bool(d.get("number_column")),
            intro_o34=self.saved.intro_o34 if self.saved else "",
            intro_o35=self.saved.intro_o35 if self.saved else "",
            reporter_name=d.get("reporter_name", ""),
            reporter_position=d.get("reporter_position", ""),
            approver_name=d.get("approver_name", ""),
            approver_position=d.get("approver_position", ""),
            report_date=d.get("report_date"),
        )


class ReportIntroForm(forms.ModelForm):
    """The introductions an organisation writes itself; blank keeps the one built from the data."""

    class Meta:
        model = ReportSettings
        fields = ["intro_o34", "intro_o35"]
        widgets = {name: forms.Textarea(attrs={"rows": 4, "class": "form-control"}) for name in fields}

    # What the page showed (reports/remembered.py): a stale page never puts back an old introduction.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, defaults=None, seen="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen"].initial = seen
        self.set_defaults(defaults)

    def set_defaults(self, defaults):
        for name, field in self.fields.items():
            if name == "seen":
                continue
            if not any(isinstance(v, MaxLengthValidator) for v in field.validators):
                field.validators.append(
                    MaxLengthValidator(3000, message="คำนำยาวเกิน 3,000 ตัวอักษร (พิมพ์ไว้ %(show_value)s ตัวอักษร)")
                )
            if defaults and defaults.get(name):
                field.help_text = "เว้นว่างไว้ ระบบจะใช้ข้อความตามข้อมูล: " + defaults[name]
