"""A citizen on a 390 px phone finds an organisation typed the usual ways, without scrolling sideways."""

import pytest
from django.utils import timezone

from assessments.models import Role
from reports.models import PublishedVersion
from tests.factories import make_assessment, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_directory_fits_a_phone_and_finds_typing_variants(browser, live_server, catalogue):
    org = make_org("phone-org", "องค์การบริหารส่วนตำบลดอนแก้ว", district="พิบูลมังสาหาร", province="อุบลราชธานี")
    manager = make_user(Role.MANAGER, org, "phone_manager")
    PublishedVersion.objects.create(
        assessment=make_assessment(org, scores=False),
        organisation=org,
        kind="o34",
        number=1,
        title="รายงาน",
        published_by=manager,
        published_by_name="ผู้บริหาร",
        published_at=timezone.now(),
        sha256={},
    )
    context = browser.new_context(locale="th-TH", viewport={"width": 390, "height": 844})
    page = context.new_page()
    for query in ("ดอนเเก้ว", "ตำบลดอนแก้ว", "อุบล", "พิบูล"):
        page.goto(f"{live_server.url}/public/?q={query}")
        assert "พบ 1 หน่วยงาน" in page.text_content("p[aria-live]"), query
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.is_visible("text=อำเภอพิบูลมังสาหาร จังหวัดอุบลราชธานี")
    context.close()
