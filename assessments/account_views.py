"""บัญชีของฉัน: a person's own account page (for now, the e-mail address reminders go to)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import email_address
from .services import DomainError


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="อีเมลใหม่",
        max_length=254,
        error_messages={"required": "กรอกอีเมล", "invalid": "รูปแบบอีเมลไม่ถูกต้อง เช่น somsri@donkaeo.go.th"},
    )


@login_required
def account(request):
    """The e-mail address changes only once the link sent to the new address is opened."""
    form = EmailForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if email.lower() == (request.user.email or "").lower():
            form.add_error("email", "เป็นอีเมลของบัญชีนี้อยู่แล้ว")
        else:
            try:
                email_address.send_verification(request.user, email)
            except DomainError as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(
                    request,
                    f"ส่งลิงก์ยืนยันไปที่ {email} แล้ว เปิดลิงก์ในอีเมลภายใน {email_address.VERIFY_DAYS} วัน "
                    "อีเมลของบัญชีจะเปลี่ยนเมื่อยืนยันแล้ว",
                )
                return redirect("account")
    return render(request, "assessments/account.html", {"form": form})


@login_required
def email_verify(request, token):
    try:
        email = email_address.confirm(request.user, token)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"ยืนยันอีเมลแล้ว การแจ้งเตือนจะส่งถึง {email}")
    return redirect("account")
