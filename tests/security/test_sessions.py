"""Sessions end with the browser unless "จดจำฉัน" is ticked, and after SESSION_IDLE_MINUTES idle;
static files carry the CSP; too many files in one upload get a Thai page."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import make_measure, make_rounds

PASSWORD = "ถูกต้อง-correct-horse-2568"
LOGIN = "/accounts/login/"
LAST_SEEN = "last_seen"  # ita_portal/sessions.py


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("somchai", password=PASSWORD)


def _login(client, remember=False, password=PASSWORD):
    data = {"username": "somchai", "password": password} | ({"remember": "on"} if remember else {})
    return client.post(LOGIN, data, REMOTE_ADDR="10.0.0.9")


def test_a_login_without_remember_me_ends_when_the_browser_closes(client, user):
    response = _login(client)
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()


def test_remember_me_keeps_the_login_for_fourteen_days(client, user, settings):
    response = _login(client, remember=True)
    assert response.status_code == 302
    assert int(response.cookies["sessionid"]["max-age"]) == settings.SESSION_REMEMBER_DAYS * 86400 == 14 * 86400
    assert not client.session.get_expire_at_browser_close()


def test_the_login_page_offers_remember_me_and_a_wrong_password_still_counts(client, user, settings):
    page = client.get(LOGIN).content.decode()
    assert 'name="remember"' in page and "จดจำฉัน" in page and "60 นาที" in page
    statuses = [_login(client, remember=True, password=f"wrong-{i}").status_code for i in range(6)]
    assert statuses[-1] == 429  # django-axes locks out whatever the box says


def _age_session(client, minutes):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - minutes * 60
    session.save()


def test_an_idle_session_is_logged_out_with_a_thai_message(client, user, settings, assessment_a):
    _login(client)
    home = reverse("home")
    assert client.get(home).status_code == 200
    _age_session(client, settings.SESSION_IDLE_MINUTES + 1)
    response = client.get(home, follow=True)
    page = response.content.decode()
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith(LOGIN)  # old code: still in
    assert "ออกจากระบบอัตโนมัติแล้ว เพราะไม่ได้ใช้งานนานเกิน 60 นาที" in page
    assert "_auth_user_id" not in client.session


def test_a_session_used_within_the_idle_time_stays(client, user, settings):
    settings.SESSION_IDLE_MINUTES = 5
    _login(client)
    _age_session(client, 4)
    assert client.get(reverse("home")).status_code == 200
    assert client.session[LAST_SEEN] >= time.time() - 5  # the request counted as activity


def test_typing_on_a_page_keeps_the_login_alive(client, user, settings):
    _login(client)
    page = client.get(reverse("home")).content.decode()
    assert 'data-alive-url="/accounts/alive/"' in page  # static/js/portal.js pings it while someone types
    _age_session(client, settings.SESSION_IDLE_MINUTES - 1)
    assert client.get("/accounts/alive/").status_code == 204
    assert client.session[LAST_SEEN] >= time.time() - 5
    _age_session(client, settings.SESSION_IDLE_MINUTES + 1)
    assert client.get("/accounts/alive/").status_code == 401  # too late: the session has ended


def test_a_remembered_session_is_not_ended_by_idle_time(client, user, settings):
    _login(client, remember=True)
    _age_session(client, settings.SESSION_IDLE_MINUTES + 30)
    assert client.get(reverse("home")).status_code == 200


def test_static_files_carry_the_content_security_policy(db):
    response = Client().get("/static/js/portal.js")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]  # whitenoise answered before the policy


@pytest.mark.django_db
def test_too_many_files_in_one_upload_get_a_thai_page(staff_client, assessment_a, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    rounds = make_rounds(assessment_a)
    measure = make_measure(assessment_a)
    url = reverse("evidence", args=["org-a", 2568]) + f"?measure={measure.pk}&round={rounds[0].pk}"
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4\n%%EOF\n") for i in range(4)]
    response = staff_client.post(url, {"files": files})
    page = response.content.decode()
    assert response.status_code == 400
    assert "ส่งไฟล์มากเกินไปในครั้งเดียว" in page and "ไม่เกิน 3 ไฟล์" in page
