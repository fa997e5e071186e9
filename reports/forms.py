from django import forms
from django.core.validators import MaxLengthValidator

from assessments.concurrency import seen_token
from assessments.forms_fields import ThaiDateField
from assessments.thai import thai_date
from measures.services import ITEM_TITLE_MAX, reporting_round

from . import remembered as stored
from .data import ReportOptions
from .models import DIGIT_CHOICES, GROUPING_CHOICES, ReportSettings


class ReportOptionsForm(forms.Form):
    digits = forms.ChoiceField(label="ตัวเลข", choices=DIGIT_CHOICES, initial="thai", required=False)
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
        if data and "digits" not in data and remembered:
            # an address naming some options only (?round=5): the remembered ones, with those
            data = remembered | dict(data.items())
        super().__init__(remembered if remembered and not data else data, *args, **kwargs)
        rounds = list(assessment.rounds.all())
        now = reporting_round(rounds)  # the default: the round being reported now, named
        default = f"รอบที่กำลังรายงาน ({now.name} ณ {thai_date(now.as_of)})" if now else "รอบที่กำลังรายงาน"
        self.fields["round"].choices = [("", default)] + [(r.id, f"{r.name} ณ {thai_date(r.as_of)}") for r in rounds]
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

    def clean_digits(self):
        return self.cleaned_data.get("digits") or "thai"  # an address without it (?round=5)

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
    """The introductions an organisation writes itself. Each box starts with the text built from
    the data, to edit; a text left as built is stored empty, so the report keeps following the data."""

    class Meta:
        model = ReportSettings
        fields = ["intro_o34", "intro_o35"]
        widgets = {name: forms.Textarea(attrs={"rows": 5, "class": "form-control"}) for name in fields}

    # What the page showed (reports/remembered.py): a stale page never puts back an old introduction.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, defaults=None, seen="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen"].initial = seen
        self.set_defaults(defaults)

    def set_defaults(self, defaults):
        """defaults: per box, the generated texts, the one shown first (then the same in other
        digits, so that an untouched text is recognised whatever digits the page showed)."""
        self.generated = {name: [t for t in texts if t] for name, texts in (defaults or {}).items()}
        self.defaults = {name: texts[0] for name, texts in self.generated.items() if texts}
        for name, field in self.fields.items():
            if name == "seen":
                continue
            if not any(isinstance(v, MaxLengthValidator) for v in field.validators):
                field.validators.append(
                    MaxLengthValidator(3000, message="คำนำยาวเกิน 3,000 ตัวอักษร (พิมพ์ไว้ %(show_value)s ตัวอักษร)")
                )
            if not self.is_bound and not getattr(self.instance, name) and self.defaults.get(name):
                self.initial[name] = self.defaults[name]
            field.help_text = "ข้อความเริ่มต้นสร้างจากข้อมูลของรายงาน ถ้าไม่แก้ไข จะปรับตามข้อมูลล่าสุดเอง แก้ไขแล้วจะพิมพ์ตามที่แก้ไข"

    def clean(self):
        cleaned = super().clean()
        for name in self.Meta.fields:
            if _same_text(cleaned.get(name), self.generated.get(name, [])):
                cleaned[name] = ""  # the generated text, not the organisation's own: keep following the data
        return cleaned


class ItemTitlesForm(forms.Form):
    """The titles an organisation uses for the OIT items its year's catalogue does not name: one
    field per such item (blank: the item prints its code alone)."""

    # What the page showed (assessments.concurrency): a stale page never puts back an old title.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, questions, typed, data=None):
        super().__init__(data)
        self.questions = {f"title_{q.code}": q for q in questions}
        self.fields["seen"].initial = seen_token({q.code: typed.get(q.id, "") for q in questions})
        for name, q in self.questions.items():
            self.fields[name] = forms.CharField(
                label=f"ข้อ {q.code}",
                required=False,
                max_length=ITEM_TITLE_MAX,
                initial=typed.get(q.id, ""),
                error_messages={"max_length": "ชื่อรายการยาวเกิน %(limit_value)d ตัวอักษร (พิมพ์ไว้ %(show_value)d)"},
                widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "ชื่อรายการตามที่หน่วยงานใช้"}),
            )

    def titles(self):
        """[(question, title)] as typed, for measures.services.save_item_titles."""
        return [(q, self.cleaned_data.get(name, "")) for name, q in self.questions.items()]


def _same_text(typed, generated) -> bool:
    typed = " ".join((typed or "").split())
    return any(typed == " ".join(text.split()) for text in generated)
