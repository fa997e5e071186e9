from django import forms

from assessments.forms_fields import ThaiDateField

from .data import ReportOptions


class ReportOptionsForm(forms.Form):
    digits = forms.ChoiceField(
        label="ตัวเลข", choices=[("thai", "เลขไทย (๑๒๓)"), ("arabic", "เลขอารบิก (123)")], initial="thai"
    )
    round = forms.TypedChoiceField(label="รอบรายงานผลการดำเนินการ", coerce=int, required=False, empty_value=None)
    report_date = ThaiDateField(label="วันที่รายงาน", required=False)
    reporter_name = forms.CharField(label="ชื่อผู้รายงาน", required=False, max_length=200)
    reporter_position = forms.CharField(label="ตำแหน่งผู้รายงาน", required=False, max_length=200)
    approver_name = forms.CharField(label="ชื่อผู้อนุมัติ", required=False, max_length=200)
    approver_position = forms.CharField(label="ตำแหน่งผู้อนุมัติ", required=False, max_length=200)

    def __init__(self, assessment, data=None, *args, **kwargs):
        # No options in the request: start from what this fiscal year remembers (ReportSettings).
        saved = getattr(assessment, "report_settings", None) if not data else None
        super().__init__(saved.as_data() if saved else data, *args, **kwargs)
        self.fields["round"].choices = [("", "รอบล่าสุด")] + [(r.id, r.name) for r in assessment.rounds.all()]
        self.fields["approver_position"].initial = assessment.organisation.executive_title
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def options(self) -> ReportOptions:
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return ReportOptions(
            digits=d.get("digits") or "thai",
            round_id=d.get("round"),
            reporter_name=d.get("reporter_name", ""),
            reporter_position=d.get("reporter_position", ""),
            approver_name=d.get("approver_name", ""),
            approver_position=d.get("approver_position", ""),
            report_date=d.get("report_date"),
        )
