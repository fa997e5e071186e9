"""Shared personas: staff, manager of org A; staff of org B; auditor; anonymous."""

import pytest
from django.test import Client

from assessments.catalogue import load_catalogue
from assessments.models import ItaYear, Role
from tests.factories import make_assessment, make_org, make_user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Published files of a test go to its own folder, never the developer's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
