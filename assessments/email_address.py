"""A person sets their own e-mail address (where reminders go), proven by a link sent to it.

The link carries a signed token (django.core.signing) naming the account, the new address and
the address it replaces; it expires after VERIFY_DAYS. Once used, the account's address is no
longer the one it replaces, so the same link cannot change it again.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse

from .services import DomainError

VERIFY_DAYS = 3
_SALT = "assessments.email-address"


def address_taken(user, email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


def make_token(user, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": email, "was": user.email}, salt=_SALT, compress=True)


def send_verification(user, email: str) -> str:
    """E-mail the new address a link that sets it; returns the link."""
    if address_taken(user, email):
        raise DomainError("อีเมลนี้ใช้กับบัญชีอื่นแล้ว")
    link = settings.SITE_URL.rstrip("/") + reverse("email_verify", args=[make_token(user, email)])
    name = user.get_full_name() or user.get_username()
    body = "\n".join(
        [
            f"เรียน คุณ{name}",
            "",
            "มีการขอใช้อีเมลนี้รับการแจ้งเตือนของระบบรายงาน ITA สำหรับบัญชี " + user.get_username(),
            f"ยืนยันโดยเปิดลิงก์นี้ภายใน {VERIFY_DAYS} วัน:",
            link,
            "",
            "หากไม่ได้ขอ ไม่ต้องทำอะไร อีเมลของบัญชีจะไม่เปลี่ยน",
        ]
    )
    send_mail("ยืนยันอีเมลสำหรับระบบรายงาน ITA", body, settings.DEFAULT_FROM_EMAIL, [email])
    return link


def confirm(user, token: str) -> str:
    """Set the address the token names on the user's account; returns it. DomainError in Thai
    for a link that is broken, expired, someone else's or already used."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=datetime.timedelta(days=VERIFY_DAYS))
    except signing.SignatureExpired:
        raise DomainError(f"ลิงก์ยืนยันหมดอายุแล้ว (ใช้ได้ {VERIFY_DAYS} วัน) ขอส่งลิงก์ใหม่ได้ที่หน้าบัญชีของฉัน") from None
    except signing.BadSignature:
        raise DomainError("ลิงก์ยืนยันไม่ถูกต้อง ตรวจว่าคัดลอกลิงก์มาครบ หรือขอส่งลิงก์ใหม่") from None
    if data.get("u") != user.pk:
        raise DomainError("ลิงก์ยืนยันนี้เป็นของบัญชีอื่น เข้าสู่ระบบด้วยบัญชีที่ขอเปลี่ยนอีเมล")
    if data.get("was") != user.email:
        raise DomainError("ลิงก์ยืนยันนี้ใช้ไปแล้ว หรืออีเมลของบัญชีเปลี่ยนไปหลังจากขอลิงก์")
    if address_taken(user, data["e"]):
        raise DomainError("อีเมลนี้ใช้กับบัญชีอื่นแล้ว")
    user.email = data["e"]
    user.save(update_fields=["email"])
    return user.email
