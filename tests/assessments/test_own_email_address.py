"""บัญชีของฉัน: a person sets the address reminders go to, proven by a signed link that expires,
works once, and only for the account that asked."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _ask(client, email="somsri@rawe.go.th"):
    return client.post(reverse("account"), {"email": email}, follow=True)


def _link():
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0)


def _path(link):
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_the_navbar_leads_to_my_account(staff_client):
    page = staff_client.get(reverse("reminder_settings")).content.decode()
    assert f'href="{reverse("account")}"' in page
    assert "บัญชีของฉัน" in staff_client.get(reverse("account")).content.decode()


def test_the_address_changes_once_the_link_is_opened(staff_client, staff_a, settings):
    settings.SITE_URL = "https://ita.example.go.th"
    page = _ask(staff_client).content.decode()
    assert "ส่งลิงก์ยืนยันไปที่ somsri@rawe.go.th แล้ว" in page
    staff_a.refresh_from_db()
    assert staff_a.email == ""  # not before it is proven
    assert mail.outbox[-1].to == ["somsri@rawe.go.th"]
    link = _link()
    assert link.startswith("https://ita.example.go.th/accounts/email/")
    page = staff_client.get(_path(link), follow=True).content.decode()
    assert "ยืนยันอีเมลแล้ว การแจ้งเตือนจะส่งถึง somsri@rawe.go.th" in page
    staff_a.refresh_from_db()
    assert staff_a.email == "somsri@rawe.go.th"


def test_a_link_works_once(staff_client, staff_a):
    _ask(staff_client, "first@rawe.go.th")
    first = _path(_link())
    staff_client.get(first)
    assert "ลิงก์ยืนยันนี้ใช้ไปแล้ว" in staff_client.get(first, follow=True).content.decode()
    _ask(staff_client, "second@rawe.go.th")
    staff_client.get(_path(_link()))
    page = staff_client.get(first, follow=True).content.decode()
    assert "ลิงก์ยืนยันนี้ใช้ไปแล้ว" in page
    staff_a.refresh_from_db()
    assert staff_a.email == "second@rawe.go.th"


def test_an_expired_link_is_refused(staff_client, staff_a):
    _ask(staff_client)
    path = _path(_link())
    four_days_on = time.time() + 4 * 24 * 3600
    # the signer's clock only: the session's idle clock (ita_portal/sessions.py) stays at now
    with mock.patch("django.core.signing.time", mock.Mock(time=mock.Mock(return_value=four_days_on))):
        page = staff_client.get(path, follow=True).content.decode()
    assert "ลิงก์ยืนยันหมดอายุแล้ว" in page
    staff_a.refresh_from_db()
    assert staff_a.email == ""


def test_another_users_link_is_refused(staff_client, other_staff_client, staff_a, staff_b):
    _ask(staff_client, "somsri@rawe.go.th")
    page = other_staff_client.get(_path(_link()), follow=True).content.decode()
    assert "ลิงก์ยืนยันนี้เป็นของบัญชีอื่น" in page
    staff_b.refresh_from_db()
    staff_a.refresh_from_db()
    assert staff_a.email == staff_b.email == ""


def test_a_tampered_link_is_refused(staff_client, staff_a):
    _ask(staff_client)
    path = _path(_link())
    page = staff_client.get(path[:-3] + "xyz/", follow=True).content.decode()
    assert "ลิงก์ยืนยันไม่ถูกต้อง" in page
    staff_a.refresh_from_db()
    assert staff_a.email == ""


def test_bad_input_gets_a_thai_message_and_keeps_what_was_typed(staff_client, staff_b):
    page = _ask(staff_client, "somsri-at-rawe").content.decode()
    assert "รูปแบบอีเมลไม่ถูกต้อง" in page and 'value="somsri-at-rawe"' in page
    staff_b.email = "b@org-b.go.th"
    staff_b.save()
    page = _ask(staff_client, "B@org-b.go.th").content.decode()
    assert "อีเมลนี้ใช้กับบัญชีอื่นแล้ว" in page
    assert not mail.outbox


def test_someone_signed_out_is_sent_to_log_in(anon_client):
    response = anon_client.get(reverse("account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
