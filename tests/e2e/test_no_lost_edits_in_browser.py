"""Two people on the same pages in two browsers: the one who saves second from a page opened earlier
sees a Thai conflict beside the box both changed, with their own text still in it; the login page
offers "จดจำฉัน". Screenshots at 1366 px and 390 px go to artifacts/e2e/."""

import pytest

from assessments.models import Role
from measures.models import Measure, OitChecklistItem
from tests.e2e.conftest import shot
from tests.e2e.test_staff_year_in_browser import login
from tests.factories import make_assessment, make_measure, make_org, make_rounds, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two(browser, live_server, catalogue):
    org = make_org("pair-org", "องค์การบริหารส่วนตำบลสองคน")
    a = make_assessment(org)
    make_rounds(a)
    make_measure(a, steps=2)
    pages = []
    for name in ("pair_staff", "pair_manager"):
        make_user(Role.STAFF if name == "pair_staff" else Role.MANAGER, org, name)
        context = browser.new_context(locale="th-TH", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        login(page, live_server, name)
        pages.append(page)
    yield pages
    for page in pages:
        page.context.close()


def test_a_conflict_on_the_oit_checklist_keeps_the_typed_text_and_saves_the_other_rows(two, live_server):
    mine, theirs = two
    url = f"{live_server.url}/o/pair-org/2568/oit/"
    mine.goto(url)
    theirs.goto(url)
    theirs.fill("textarea[name=o5-description]", "ของผู้จัดการ")
    theirs.click("text=บันทึกทั้งหมด")
    theirs.wait_for_selector(".alert-success")
    mine.fill("textarea[name=o5-description]", "ของเจ้าหน้าที่")
    mine.select_option("select[name=o7-status]", "done")
    mine.click("text=บันทึกทั้งหมด")
    mine.wait_for_selector(".alert-danger")
    assert "บันทึกรายการอื่นแล้ว 1 รายการ" in mine.inner_text(".alert-danger")
    assert mine.input_value("textarea[name=o5-description]") == "ของเจ้าหน้าที่"
    assert "ฉบับที่ผู้อื่นบันทึกไว้: ของผู้จัดการ" in mine.inner_text("#c-o5")
    assert OitChecklistItem.objects.get(question__code="o7").status == "done"
    mine.locator("#c-o5").scroll_into_view_if_needed()
    shot(mine, "conflict-oit-1366")
    mine.set_viewport_size({"width": 390, "height": 844})
    shot(mine, "conflict-oit-390")


def test_a_conflict_on_the_steps_page_names_the_step_and_the_box(two, live_server):
    mine, theirs = two
    steps = f"{live_server.url}/o/pair-org/2568/measures/{Measure.objects.get().pk}/steps/"
    for page in two:
        page.goto(steps)
    theirs.locator("input[name$=period_text]").first.fill("ไตรมาสแรก")
    theirs.click("text=บันทึกทุกขั้นตอน")
    theirs.wait_for_selector(".alert-success")
    mine.locator("input[name$=period_text]").first.fill("ตลอดปีงบประมาณ")
    mine.click("text=บันทึกทุกขั้นตอน")
    mine.wait_for_selector(".alert-danger")
    assert "ขั้นตอนที่ 1 (ช่วงเวลา)" in mine.inner_text(".alert-danger")
    assert mine.locator("input[name$=period_text]").first.input_value() == "ตลอดปีงบประมาณ"
    shot(mine, "conflict-steps-1366")
    mine.set_viewport_size({"width": 390, "height": 844})
    shot(mine, "conflict-steps-390")


def test_the_login_page_offers_remember_me(page, live_server, catalogue):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.is_visible("text=จดจำฉัน")
    shot(page, "login-remember-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "login-remember-390")
