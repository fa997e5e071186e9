"""How long a login lasts (docs/security.md): until the browser closes, or SESSION_REMEMBER_DAYS with
"จดจำฉัน"; a session not remembered ends after SESSION_IDLE_MINUTES without a request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from .forms import LoginForm
from .session_clock import LAST_SEEN

REMEMBERED = "remembered"


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def get_context_data(self, **kwargs):
        # Read at each request, so that a changed setting (and a test's) shows.
        return super().get_context_data(**kwargs) | {
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "remember_days": settings.SESSION_REMEMBER_DAYS,
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("remember"):
            self.request.session.set_expiry(settings.SESSION_REMEMBER_DAYS * 86400)
            self.request.session[REMEMBERED] = True
        else:
            self.request.session.set_expiry(0)  # the cookie ends with the browser
        return response


def idle_message(minutes) -> str:
    return f"ออกจากระบบอัตโนมัติแล้ว เพราะไม่ได้ใช้งานนานเกิน {minutes} นาที กรุณาเข้าสู่ระบบอีกครั้ง"


class IdleTimeoutMiddleware:
    """Logs out a session not remembered after SESSION_IDLE_MINUTES without a request. The time of
    the last request is written at most once a minute, not on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.session.get(REMEMBERED):
            now, minutes = int(time.time()), settings.SESSION_IDLE_MINUTES
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > minutes * 60:
                # The request goes on as anonymous: a page that needs a login sends the user to the
                # login page (with ?next=), where this message says why; a public page just shows.
                logout(request)
                messages.warning(request, idle_message(minutes))
            elif last is None or now - last >= 60:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def alive(request):
    """Typing on a page (static/js/portal.js) keeps the login: the middleware has already counted
    this request as activity. 204, nothing else; 401 once the session has ended."""
    status = 204 if request.user.is_authenticated else 401
    response = HttpResponse(status=status)
    response["Cache-Control"] = "no-store"
    return response
