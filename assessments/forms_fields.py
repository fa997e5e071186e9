"""Form fields in the conventions of Thai offices: Buddhist-Era dates, Thai digits."""

import datetime
import re

from django import forms

from .thai import to_arabic

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _iso_date(year, month, day, invalid):
    """An ISO-typed date: BE years (2400–2700) become CE, CE years (1900–2200) stay; others refused."""
    if 2400 <= year <= 2700:
        year -= 543
    elif not 1900 <= year <= 2200:
        raise forms.ValidationError("ปีไม่ถูกต้อง ใช้ปีพุทธศักราช (พ.ศ.) เช่น 2568", code="invalid")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise forms.ValidationError(invalid, code="invalid") from None


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
        iso = _ISO.match(text)
        if iso:  # yyyy-mm-dd: a Buddhist-Era year (2400 on) is read as such, never stored as CE 2568
            return _iso_date(*(int(g) for g in iso.groups()), self.error_messages["invalid"])
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
