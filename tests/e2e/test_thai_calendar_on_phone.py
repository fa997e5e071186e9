"""The Buddhist-Era calendar beside a date box, used on a 390 px phone (issue #28)."""

import datetime

import pytest

from assessments.models import Role
from measures.models import Progress
from tests.e2e.conftest import shot
from tests.factories import make_assessment, make_measure, make_org, make_progress, make_rounds, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_date_is_picked_from_a_thai_month_grid_on_a_phone(browser, live_server, catalogue):
    org = make_org("cal-org", "องค์การบริหารส่วนตำบลปฏิทิน")
    assessment = make_assessment(org, scores=False)
    rounds = make_rounds(assessment)
    m = make_measure(assessment, title="มาตรการทดสอบปฏิทิน")
    row = make_progress(m, rounds[0])
    row.done_on = datetime.date(2025, 3, 15)
    row.save()
    make_user(Role.STAFF, org, "cal_staff")
    context = browser.new_context(locale="th-TH", viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "cal_staff")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button:has-text('เข้าสู่ระบบ')")
    page.wait_for_url(f"{live_server.url}/o/cal-org/2568/")
    page.goto(f"{live_server.url}/o/cal-org/2568/progress/{rounds[0].pk}/")

    box = page.locator(f"#id_m{m.pk}-done_on")
    assert box.input_value() == "15/3/2568"
    page.locator(f"#p{m.pk} .thai-calendar-open").tap()
    calendar = page.locator(f"#p{m.pk} .thai-calendar")
    # It opens on the month the box holds, in Thai and the Buddhist Era.
    assert calendar.locator(".thai-calendar-title").text_content() == "มีนาคม 2568"
    assert calendar.locator(".thai-calendar-dow").all_text_contents() == ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"]
    calendar.locator(".thai-calendar-next").tap()
    assert calendar.locator(".thai-calendar-title").text_content() == "เมษายน 2568"
    assert calendar.locator(".thai-calendar-day").count() == 30
    # Never wider than the phone, and each day big enough for a thumb.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    day = calendar.locator(".thai-calendar-day", has_text="20").bounding_box()
    assert day["height"] >= 36 and day["width"] >= 36
    shot(page, "thai-calendar-390")
    calendar.locator(".thai-calendar-day", has_text="20").tap()
    assert box.input_value() == "20 เม.ย. 2568"
    assert page.locator(".thai-calendar").count() == 0

    page.locator(f"#p{m.pk} button:has-text('บันทึกแถวนี้')").tap()
    page.locator(f"#p{m.pk} .row-status.text-success").wait_for()
    assert Progress.objects.get(pk=row.pk).done_on == datetime.date(2025, 4, 20)
    assert errors == []  # no script refused by the Content-Security-Policy, nothing broken
    context.close()


def test_a_refused_date_keeps_its_message_visible_beside_the_calendar_button(page, live_server, catalogue):
    org = make_org("cal-form-org", "องค์การบริหารส่วนตำบลแบบฟอร์ม")
    make_assessment(org, scores=False)
    make_user(Role.STAFF, org, "cal_form_staff")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "cal_form_staff")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button:has-text('เข้าสู่ระบบ')")
    page.wait_for_url(f"{live_server.url}/o/cal-form-org/2568/")
    page.goto(f"{live_server.url}/o/cal-form-org/2568/measures/new/")
    page.fill("#id_title", "มาตรการวันที่ผิด")
    page.fill("#id_due_date", "2025-02-15")
    page.locator("#id_due_date").press("Enter")
    page.locator("#id_due_date.is-invalid").wait_for()
    assert page.input_value("#id_due_date") == "2025-02-15"  # kept as typed
    message = page.locator("#div_id_due_date .invalid-feedback")
    assert message.is_visible() and "ปี 2025 เป็น ค.ศ. ใช้ปี พ.ศ. เช่น 2568" in message.text_content()
    assert page.locator("#div_id_due_date .thai-calendar-open").is_visible()
