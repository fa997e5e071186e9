"""Typed work is not lost by accident: a warning before leaving with unsaved changes, and a
summary of what is missing before approving."""

import pytest

from assessments.models import Role
from tests.e2e.test_staff_year_in_browser import login
from tests.factories import make_assessment, make_measure, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leaving_a_page_with_unsaved_scores_asks_first(page, live_server, catalogue):
    org = make_org("warn-org", "องค์การบริหารส่วนตำบลเตือนก่อน")
    make_assessment(org, scores=False)
    make_user(Role.STAFF, org, "warn_staff")
    login(page, live_server, "warn_staff")
    results = f"{live_server.url}/o/warn-org/2568/results/"
    page.goto(results)
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", dismiss)
    page.goto(f"{live_server.url}/o/warn-org/2568/")  # nothing typed: leaves without a word
    assert dialogs == []
    page.goto(results)
    page.fill("input[name=q_i1]", "98.70")
    page.click("a.navbar-brand")
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"] and page.url == results
    assert page.input_value("input[name=q_i1]") == "98.70"
    page.remove_listener("dialog", dismiss)
    page.click("text=บันทึกคะแนน")  # saving is not leaving: no question
    page.wait_for_selector(".alert-success")
    assert dialogs == ["beforeunload"]


def test_approving_says_what_is_missing_and_goes_on_only_by_choice(page, live_server, catalogue):
    org = make_org("appr-org", "องค์การบริหารส่วนตำบลอนุมัติ")
    a = make_assessment(org)
    make_measure(a)
    make_user(Role.MANAGER, org, "appr_manager")
    login(page, live_server, "appr_manager")
    page.goto(f"{live_server.url}/o/appr-org/2568/")
    page.click("text=ตรวจและอนุมัติการวิเคราะห์และมาตรการ")  # the report's preview, with its approval bar
    assert "วิเคราะห์แล้ว 0 จาก 7 ประเด็น" in page.text_content("#approve-bar")
    page.click("text=อนุมัติรายงานตามตัวอย่างนี้")  # the confirmation box is not ticked: the browser stops
    page.wait_for_timeout(300)
    a.refresh_from_db()
    assert a.o34_approved_at is None
    page.check("input[name=confirm]")
    page.click("text=อนุมัติรายงานตามตัวอย่างนี้")
    page.wait_for_selector(".alert-success")
    assert "/o/appr-org/2568/reports/" in page.url  # back to the reports page, ready to publish
    a.refresh_from_db()
    assert a.o34_approved_at is not None
