"""Form fields in the conventions of Thai offices: Buddhist-Era dates, Thai digits."""

import datetime

from django import forms

from .thai import ThaiDateError, parse_thai_date


class ThaiDateInput(forms.TextInput):
    """Shows a date as d/m/yyyy in the Buddhist Era. A text box, not the browser's date input
    (which shows Christian-Era years); static/js/thai-calendar.js adds a BE month grid beside it.
    No numeric keypad: a phone's number pad has no "/" and no Thai month names."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "เช่น 30/6/2570", "data-thai-date": "", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value.day}/{value.month}/{value.year + 543}"
        return value


class ThaiDateField(forms.DateField):
    """The one date field of every form: reads dates as Thai people write them (parse_thai_date)."""

    widget = ThaiDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_thai_date(value)
        except ThaiDateError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


# The largest id a BigAutoField holds; a bigger one overflows the database driver (SQLite's
# OverflowError, PostgreSQL's NumericValueOutOfRange) instead of being "not a choice".
MAX_ID = 2**63 - 1


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ticked ids: one that is not a whole number in the database's range is refused in Thai
    before any query (Django checks only that it parses as a number)."""

    default_error_messages = {
        "invalid_choice": "ไม่มีตัวเลือก “%(value)s” ในรายการ เลือกจากรายการที่แสดงเท่านั้น",
        "invalid_pk_value": "“%(pk)s” ไม่ใช่ตัวเลือกที่ถูกต้อง",
        "invalid_list": "ส่งรายการตัวเลือกมาไม่ถูกต้อง",
    }

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
                message = self.error_messages["invalid_choice"]
                raise forms.ValidationError(message, code="invalid_choice", params={"value": text[:30]})
        return super()._check_values(value)
