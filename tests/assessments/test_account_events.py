"""The account log that people, sign-in and API features write to, and the DLA code key."""

import pytest
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from assessments.events import record
from assessments.models import AccountEvent, Role
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db


def test_an_event_keeps_who_whom_where_and_the_address():
    org = make_org()
    manager = make_user(Role.MANAGER, org)
    staff = make_user(Role.STAFF, org)
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    request.user = manager
    event = record(AccountEvent.Kind.ROLE_CHANGED, user=staff, organisation=org, detail="x" * 600, request=request)
    event.refresh_from_db()
    assert (event.actor, event.user, event.organisation) == (manager, staff, org)
    assert event.ip_address == "203.0.113.9"
    assert len(event.detail) == 500
    assert str(event).startswith("เปลี่ยนบทบาท")


def test_two_organisations_cannot_share_a_dla_code_but_many_may_have_none():
    make_org(dla_code="")
    make_org(dla_code="")
    make_org(dla_code="6340101")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_org(dla_code="6340101")
