from django import forms

from .concurrency import seen_token
from .services import DomainError, parse_score
from .validators import MaxTextValidator


class ScoreGridForm(forms.Form):
    """One text field per question, indicator and the overall score; Thai digits welcome."""

    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, sheet, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        attrs = {"inputmode": "decimal", "autocomplete": "off", "class": "form-control form-control-sm score"}
        for q in sheet.questions:
            value = sheet.question_scores.get(q.code)
            self.fields[f"q_{q.code}"] = forms.CharField(
                required=False,
                label=q.code,
                initial="" if value is None else f"{value:.2f}",
                widget=forms.TextInput(attrs),
            )
        for ind in sheet.indicators:
            value = sheet.indicator_scores.get(ind.number)
            self.fields[f"ind_{ind.number}"] = forms.CharField(
                required=False,
                label=f"ตัวชี้วัดที่ {ind.number}",
                initial="" if value is None else f"{value:.2f}",
                widget=forms.TextInput(attrs),
            )
        for name, value in sheet.assessment.official_instruments().items():
            self.fields[f"inst_{name}"] = forms.CharField(
                required=False,
                label=f"คะแนน {name}",
                initial="" if value is None else f"{value:.2f}",
                widget=forms.TextInput(attrs),
            )
        overall = sheet.assessment.overall_score
        self.fields["overall"] = forms.CharField(
            required=False,
            label="คะแนนภาพรวม",
            initial="" if overall is None else f"{overall:.2f}",
            widget=forms.TextInput(attrs),
        )

        # What this page showed, so that a save never puts back an old score (compare-and-swap).
        shown = {name: field.initial for name, field in self.fields.items() if name != "seen"}
        self.fields["seen"].initial = seen_token(shown)

    def question_values(self):
        return {name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("q_")}

    def instrument_values(self):
        return {name[5:]: value for name, value in self.cleaned_data.items() if name.startswith("inst_")}

    def indicator_values(self):
        return {int(name[4:]): value for name, value in self.cleaned_data.items() if name.startswith("ind_")}

    def clean(self):
        # Parse here too so that each wrong box shows its own message next to it.
        data = super().clean()
        oit = {f"q_{q.code}" for q in self.sheet.questions if q.is_oit}
        for name, value in list(data.items()):
            if name == "seen":
                continue
            try:
                parse_score(value, oit=name in oit)
            except DomainError as exc:
                self.add_error(name, str(exc))
        return data


class PasteForm(forms.Form):
    text = forms.CharField(
        validators=[MaxTextValidator(200_000)],  # a whole ITAS export is ~5,000 characters
        label="วางตารางคะแนน (รหัสข้อ และคะแนน บรรทัดละข้อ)",
        widget=forms.Textarea(
            attrs={"rows": 12, "placeholder": "คะแนนรวม\t86.63\nIIT\t95.19\ni1\t98.70\ni2\t97.39\no1\t100"}
        ),
    )
