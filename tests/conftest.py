"""Shared personas: staff, manager of org A; staff of org B; auditor; anonymous. The required-tool
helper: a test that needs pdftotext, Chromium, LibreOffice or gunicorn skips where the tool is
missing on a developer's machine, and fails under CI=true (.ci/run), where a skip would hide it."""

import os
import shutil

import pytest
from django.test import Client

from assessments.catalogue import load_catalogue
from assessments.models import ItaYear, Role
from tests.factories import make_assessment, make_org, make_user


def tools_required() -> bool:
    """CI=true: every tool the suite needs must be there; a missing one fails the test."""
    return os.environ.get("CI", "").strip().lower() == "true"


def missing_tool(message: str):
    """Skip the calling test with ``message``; under CI=true fail it instead."""
    if tools_required():
        pytest.fail(f"required in CI: {message}", pytrace=False)
    pytest.skip(message)


def require_tool(*names: str, install: str = "") -> str:
    """The path of the first of ``names`` on PATH (or an absolute path that exists); otherwise the
    test skips locally and fails under CI=true."""
    for name in names:
        path = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if path:
            return path
    hint = f" ({install})" if install else ""
    missing_tool(f"{' / '.join(os.path.basename(n) for n in names)} is not installed{hint}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real catalogue goes into the test database once, not into every test (0.75 s each);
    each test's rollback keeps it. A test that flushes the database (transaction=True) loses it:
    the ``catalogue`` fixture loads it again there."""
    with django_db_blocker.unblock():
        load_catalogue()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """A test user's password is hashed in microseconds, not the 0.24 s of the real hasher
    (Django's advice for test suites); production keeps PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Published files of a test go to its own folder, never the developer's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a public page cached by one test is never served to another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def tasks_run_immediately(settings):
    """Background tasks (report PDFs) run inside the test, as soon as they are enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def catalogue(db):
    """The real catalogue files, loaded once per test database (re-loaded after a flush)."""
    if not ItaYear.objects.filter(year=2567).exists():
        load_catalogue()
    return ItaYear.objects.get(year=2567)


@pytest.fixture
def org_a(catalogue):
    return make_org("org-a", "องค์การบริหารส่วนตำบลระเว", district="พิบูลมังสาหาร", province="อุบลราชธานี")


@pytest.fixture
def org_b(catalogue):
    return make_org("org-b", "เทศบาลตำบลบ้านใหม่", org_type="tambon_muni", province="ขอนแก่น")


@pytest.fixture
def assessment_a(org_a):
    return make_assessment(org_a)


@pytest.fixture
def assessment_b(org_b):
    return make_assessment(org_b)


@pytest.fixture
def staff_a(org_a):
    return make_user(Role.STAFF, org_a, "staff_a")


@pytest.fixture
def manager_a(org_a):
    return make_user(Role.MANAGER, org_a, "manager_a")


@pytest.fixture
def staff_b(org_b):
    return make_user(Role.STAFF, org_b, "staff_b")


@pytest.fixture
def auditor(catalogue):
    return make_user(Role.AUDITOR, None, "auditor")


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff_a):
    return _client(staff_a)


@pytest.fixture
def manager_client(manager_a):
    return _client(manager_a)


@pytest.fixture
def other_staff_client(staff_b):
    return _client(staff_b)


@pytest.fixture
def auditor_client(auditor):
    return _client(auditor)


@pytest.fixture
def anon_client():
    return Client()


@pytest.fixture
def personas(staff_client, manager_client, other_staff_client, auditor_client, anon_client):
    return {
        "staff": staff_client,
        "manager": manager_client,
        "other_staff": other_staff_client,
        "auditor": auditor_client,
        "anonymous": anon_client,
    }
