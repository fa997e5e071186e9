"""Form fields in the conventions of Thai offices: Buddhist-Era dates, Thai digits."""

import datetime
import re

from django import forms

from .thai import to_arabic

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")


class ThaiDateInput(forms.TextInput):
    """Shows a date as d/m/yyyy in the Buddhist Era."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "วว/ดด/ปปปป (พ.ศ.)", "inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value.day}/{value.month}/{value.year + 543}"
        return value


class ThaiDateField(forms.DateField):
    widget = ThaiDateInput
    default_error_messages = {
        "invalid": "วันที่ไม่ถูกต้อง ใช้รูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 1/10/2567",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        text = to_arabic(str(value)).strip()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        match = _DMY.match(text)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2500
        if year < 2400:
            raise forms.ValidationError("ใช้ปีพุทธศักราช (พ.ศ.) เช่น 2567", code="invalid")
        try:
            return datetime.date(year - 543, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
