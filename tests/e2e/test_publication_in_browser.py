"""Publish as a manager, then open the public page anonymously and download the PDF."""

import pytest
from django.utils import timezone

from assessments.models import Role
from measures.models import OitChecklistItem
from tests.e2e.conftest import ARTIFACTS, shot
from tests.e2e.test_staff_year_in_browser import login
from tests.factories import make_assessment, make_measure, make_org, make_progress, make_rounds, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_publishes_and_the_public_downloads(browser, page, live_server, catalogue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    org = make_org("pub-org", "องค์การบริหารส่วนตำบลสระใหญ่", province="ขอนแก่น")
    a = make_assessment(org)
    rounds = make_rounds(a)
    rounds[0].published_at = timezone.now()  # the 6-month O26 is out: the 12-month round is reported now
    rounds[0].save()
    m = make_measure(a, title="มาตรการเปิดเผยข้อมูล E-Service")
    make_progress(m, rounds[1], status="done", output="ได้ดำเนินการแล้ว")
    OitChecklistItem.objects.create(assessment=a, question=a.ita_year.questions.get(code="o1"), status="done")
    manager = make_user(Role.MANAGER, org, "pub_manager")
    a.o35_approved_at, a.o35_approved_by = timezone.now(), manager
    a.save()

    login(page, live_server, "pub_manager")
    page.goto(f"{live_server.url}/o/pub-org/2568/reports/")
    page.on("dialog", lambda dialog: dialog.accept())
    confirm = page.locator("#confirm-o35")  # the checklist asks to confirm what is still missing
    if confirm.count():
        confirm.check()
    page.locator("#kind-o35 button:has-text('เผยแพร่')").click()
    page.wait_for_selector(".alert-success")
    assert "ฉบับที่ 1" in page.text_content(".alert-success")
    shot(page, "10-published")

    anonymous = browser.new_context(locale="th-TH", viewport={"width": 390, "height": 844}, accept_downloads=True)
    public = anonymous.new_page()
    public.goto(f"{live_server.url}/public/?q=อบต.สระ")
    public.click("text=องค์การบริหารส่วนตำบลสระใหญ่")
    public.click("text=รายงานผลการดำเนินการตามมาตรการ")
    assert public.locator("h1").count() == 1
    assert "/public/pub-org/2568/o35/v1/" in public.text_content("#permalink")
    shot(public, "11-public-phone")
    with public.expect_download() as download_info:
        public.click("#download-pdf")
    path = download_info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    anonymous.close()
