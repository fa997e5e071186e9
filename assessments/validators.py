"""Input validators shared by every app (see docs/security.md).

Django's own password validators have no Thai translation, so the Thai ones here subclass
them and only change the message.
"""

from urllib.parse import urlsplit

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible

SAFE_URL_SCHEMES = ("http", "https")
URL_SCHEME_MESSAGE = "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https:// เท่านั้น"


@deconstructible
class SafeURLValidator(URLValidator):
    """A URL a browser may follow: http or https only (never javascript:, data:, file:)."""

    message = "กรุณากรอกลิงก์ที่ถูกต้อง ขึ้นต้นด้วย http:// หรือ https://"

    def __init__(self, **kwargs):
        kwargs.setdefault("schemes", list(SAFE_URL_SCHEMES))
        super().__init__(**kwargs)

    def __call__(self, value):
        try:
            scheme = urlsplit(str(value).strip()).scheme.lower()
        except ValueError:  # "http://[x]": urlsplit refuses a bracketed host that is no IPv6 address
            raise ValidationError(self.message, code="invalid") from None
        if scheme not in SAFE_URL_SCHEMES:
            raise ValidationError(URL_SCHEME_MESSAGE, code="url_scheme")
        super().__call__(value)


validate_safe_url = SafeURLValidator()


def is_safe_url(value) -> bool:
    """True for an http/https URL (or blank); for templates and importers that must not raise."""
    if not value:
        return True
    try:
        validate_safe_url(value)
    except ValidationError:
        return False
    return True


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"รหัสผ่านสั้นเกินไป ต้องยาวอย่างน้อย {self.min_length} ตัวอักษร", code="password_too_short")

    def get_help_text(self):
        return f"รหัสผ่านต้องยาวอย่างน้อย {self.min_length} ตัวอักษร"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("รหัสผ่านนี้ใช้กันทั่วไปและเดาง่าย กรุณาตั้งรหัสผ่านอื่น", code="password_too_common") from None

    def get_help_text(self):
        return "รหัสผ่านต้องไม่ใช่รหัสผ่านที่ใช้กันทั่วไป"


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def validate(self, password, user=None):
        if password.isdigit():
            raise ValidationError("รหัสผ่านต้องไม่เป็นตัวเลขล้วน", code="password_entirely_numeric")

    def get_help_text(self):
        return "รหัสผ่านต้องไม่เป็นตัวเลขล้วน"


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("รหัสผ่านคล้ายกับชื่อผู้ใช้หรือข้อมูลส่วนตัวมากเกินไป", code="password_too_similar") from None

    def get_help_text(self):
        return "รหัสผ่านต้องไม่คล้ายกับชื่อผู้ใช้หรือข้อมูลส่วนตัว"


# --- bounded text -------------------------------------------------------------------------

TEXT_MAX = 20_000  # one box of text; keeps pages and the PDF quick whatever is pasted (docs/security.md)


@deconstructible
class MaxTextValidator:
    """Django's max-length check with a Thai message (Django has no Thai translation of it)."""

    def __init__(self, limit=TEXT_MAX):
        self.limit = limit

    def __call__(self, value):
        if value is not None and len(value) > self.limit:
            raise ValidationError(
                f"ข้อความยาว {len(value):,} ตัวอักษร เกินกว่าที่รับได้ ({self.limit:,} ตัวอักษร) กรุณาย่อหรือแบ่งเป็นหลายส่วน",
                code="max_length",
            )

    def __eq__(self, other):
        return isinstance(other, MaxTextValidator) and other.limit == self.limit


def bound_text_fields(form, limit=TEXT_MAX):
    """Give every text field of a form that has no length limit this one (form, import, model alike)."""
    from django import forms

    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not field.max_length and not field.widget.is_hidden:
            field.validators.append(MaxTextValidator(limit))
