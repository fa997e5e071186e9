"""Project-wide security pieces: the Content-Security-Policy header and the Thai 400 page.

See docs/security.md for the threat model these answer.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render


def content_security_policy() -> str:
    """No inline script anywhere: scripts and everything else only from this site."""
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        # style attributes (bar widths, report column widths) are allowed; styles cannot run code.
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",  # as X-Frame-Options DENY; the framed report sets its own
        "frame-src": "'self'",
    }
    directives.update(getattr(settings, "CSP_EXTRA_DIRECTIVES", {}))
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that does not set its own (published HTML sets a stricter one)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def bad_request(request, exception=None):
    """Django's 400 in Thai; a POST over the size limit says so instead of a generic message."""
    context = {}
    if isinstance(exception, TooManyFilesSent):
        context = {
            "title": "ส่งไฟล์มากเกินไปในครั้งเดียว",
            "detail": (
                f"ระบบรับไฟล์ได้ครั้งละไม่เกิน {settings.DATA_UPLOAD_MAX_NUMBER_FILES} ไฟล์ จึงยังไม่ได้แนบไฟล์ใดในครั้งนี้ "
                "กรุณากดย้อนกลับ แล้วเลือกไฟล์น้อยลงต่อครั้ง (แบ่งส่งหลายครั้งได้)"
            ),
        }
    elif isinstance(exception, (RequestDataTooBig, TooManyFieldsSent)):
        limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        context = {
            "title": "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป",
            "detail": (
                f"ระบบรับข้อมูลได้ครั้งละไม่เกิน {limit_mb:.1f} MB จึงยังไม่ได้บันทึกสิ่งที่ส่งมา "
                "กรุณากดย้อนกลับ แบ่งข้อความเป็นส่วนที่สั้นลง แล้วบันทึกทีละส่วน"
            ),
        }
    return render(request, "400.html", context, status=400)
