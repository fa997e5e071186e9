"""Linked questions are picked by tapping, found by typing, and the weak ones are marked."""

import pytest

from assessments.models import Role
from measures.models import Measure
from tests.e2e.test_staff_year_in_browser import login
from tests.factories import make_assessment, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_type_to_find_a_question_and_tap_to_link_it(page, live_server, catalogue):
    org = make_org("pick-org", "องค์การบริหารส่วนตำบลเลือกข้อ")
    make_assessment(org)  # the reference scores: some items are under the threshold
    make_user(Role.STAFF, org, "pick_staff")
    login(page, live_server, "pick_staff")
    page.goto(f"{live_server.url}/o/pick-org/2568/measures/new/")
    assert page.locator("#q-list .weak-item").count() > 0
    page.fill("#q-filter", "o9")
    visible = page.locator("#q-list .form-check:visible")
    assert visible.count() == 1 and visible.first.inner_text().startswith("o9 ")
    visible.first.locator("input").check()  # a tap, no Ctrl key
    page.fill("#q-filter", "")
    assert page.locator("#q-list .form-check:visible").count() > 30
    page.fill("#id_title", "มาตรการเลือกข้อด้วยการแตะ")
    page.fill("#id_period_text", "ตลอดปีงบประมาณ")
    page.click("main button.btn-primary")
    page.wait_for_selector(".alert-success")
    measure = Measure.objects.get(title="มาตรการเลือกข้อด้วยการแตะ")
    assert [q.code for q in measure.questions.all()] == ["o9"]
