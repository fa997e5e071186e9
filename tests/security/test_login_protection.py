"""Login throttling (django-axes) and password strength, with Thai messages."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

PASSWORD = "ถูกต้อง-correct-horse-2568"


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("somchai", password=PASSWORD)


def _login(client, password, username="somchai"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_a_wrong_password_is_answered_with_the_thai_login_error(client, user):
    response = _login(client, "wrong-password")
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_ten_wrong_passwords_lock_the_user_out_with_a_thai_message(client, user, settings):
    statuses = [_login(client, f"wrong-{i}").status_code for i in range(10)]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    locked = _login(client, PASSWORD)
    assert locked.status_code == 429, "the right password must be refused while locked out"
    page = locked.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in page
    assert "ลองใหม่อีกครั้งในอีก 30 นาที" in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_user_and_ip_so_another_address_still_logs_in(client, user):
    for i in range(6):
        _login(client, f"wrong-{i}")
    assert AccessAttempt.objects.filter(username="somchai", ip_address="10.0.0.7").exists()
    other = client.post("/accounts/login/", {"username": "somchai", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_success_before_the_limit_resets_the_failure_count(client, user):
    for i in range(3):
        _login(client, f"wrong-{i}")
    assert _login(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="somchai", failures_since_start__gt=0).exists()


@pytest.mark.parametrize("weak", ["12345678", "password", "1234567890123", "สั้นไป"])
def test_weak_passwords_are_refused_in_thai(db, weak):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(weak)
    messages = excinfo.value.messages
    assert messages and all(any("\u0e00" <= ch <= "\u0e7f" for ch in m) for m in messages), messages


def test_a_long_uncommon_password_is_accepted(db):
    validate_password("ดอนแก้ว-ita-2568-ปลอดภัย")


def test_password_similar_to_the_username_is_refused(db):
    somchai = get_user_model()(username="somchai.jaidee", first_name="Somchai")
    with pytest.raises(ValidationError, match="คล้ายกับชื่อผู้ใช้"):
        validate_password("somchai.jaidee1", user=somchai)
