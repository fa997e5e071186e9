"""A member of staff does the year's work in a real headless Chromium."""

import re

import pytest

from assessments.models import Role
from measures.models import Measure, Progress
from tests.e2e.conftest import shot
from tests.factories import make_assessment, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button:has-text('เข้าสู่ระบบ')")


def test_staff_pastes_scores_analyses_plans_and_reports_progress(page, live_server, catalogue):
    org = make_org("e2e-org", "องค์การบริหารส่วนตำบลทดสอบเบราว์เซอร์")
    assessment = make_assessment(org, scores=False)
    make_user(Role.STAFF, org, "e2e_staff")
    base = f"{live_server.url}/o/e2e-org/2568"

    login(page, live_server, "e2e_staff")
    page.wait_for_url(f"{base}/")
    assert "ปีงบประมาณ 2568" in page.text_content("h1")

    # Paste scores copied from ITAS, preview, confirm.
    page.goto(f"{base}/results/paste/")
    page.fill("textarea[name=text]", "ข้อ i1 การปฏิบัติงาน\t๙๘.๗๐\ni2\t97.39\ni3\t97.83\no9\t0")
    page.click("button[name=preview]")
    assert page.locator("#paste-preview tbody tr").count() == 4
    shot(page, "01-paste-preview")
    page.click("button[name=confirm]")
    page.wait_for_url(f"{base}/results/")
    assert page.input_value("#id_q_i1") == "98.70"
    shot(page, "02-results")

    # Write an analysis in the rich-text editor.
    page.goto(f"{base}/analysis/")
    editor = page.locator("#issue-1 .rich-editor").first
    editor.click()
    page.keyboard.type("รายงานผลการดำเนินงานประจำปีไม่ครบองค์ประกอบ")
    page.click("button:has-text('บันทึกการวิเคราะห์')")
    page.wait_for_selector(".alert-success")
    analysis = assessment.analyses.get(issue__number=1)
    assert "รายงานผลการดำเนินงานประจำปีไม่ครบองค์ประกอบ" in analysis.analysis
    shot(page, "03-analysis")

    # Add a measure with steps.
    page.goto(f"{base}/measures/new/")
    page.fill("#id_title", "มาตรการเปิดเผยรายงานผลการดำเนินงานประจำปี")
    page.fill("#id_steps", "ประชุมซักซ้อมหลักเกณฑ์\nรวบรวมข้อมูล\nเผยแพร่บนเว็บไซต์")
    page.check("label:has-text('สำนักปลัด') >> xpath=preceding-sibling::input")
    page.click("button:has-text('บันทึก')")
    page.wait_for_url(f"{base}/measures/")
    assert page.locator("#measures tbody tr").count() == 1
    shot(page, "04-measures")
    measure = Measure.objects.get(assessment=assessment)
    assert measure.steps.count() == 3

    # Record progress for the year-end round without a page reload.
    page.goto(f"{base}/progress/")
    page.click("a.nav-link:has-text('รอบ 12 เดือน')")
    row = page.locator(f"#p{measure.pk}")
    row.locator("select").select_option("done")
    row.locator("textarea[name$='-output']").fill("จัดทำและเผยแพร่รายงานแล้ว")
    row.locator("textarea[name$='-outcome']").fill("ประชาชนเข้าถึงข้อมูลได้")
    url_before = page.url
    page.evaluate("window.__noReload = true")
    row.locator("button[type=submit]").click()
    # Wait for the answer, not for "กำลังบันทึก…"; a locator wait needs no eval (the CSP forbids it).
    from playwright.sync_api import expect

    expect(row.locator(".row-status")).to_have_text(re.compile("แล้ว|ไม่"), timeout=15000)
    assert "แล้ว" in row.locator(".row-status").text_content()
    assert page.url == url_before and page.evaluate("window.__noReload") is True
    assert Progress.objects.get(measure=measure).status == "done"
    shot(page, "05-progress")

    # The home page shows it.
    page.goto(f"{base}/")
    assert "ดำเนินการแล้ว 1" in " ".join(page.text_content("#measure-status").split())
    shot(page, "06-dashboard")
