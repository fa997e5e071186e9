"""Staff upload last year's Word report, check the preview, confirm, and see the measures."""

import pytest

from assessments.models import Role
from measures.models import Measure, WordImportPlan
from measures.tasks import read_word_plan
from tests.e2e.conftest import shot
from tests.e2e.test_staff_year_in_browser import login
from tests.factories import make_assessment, make_org, make_user
from tests.measures import word_fixtures as wf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_upload_preview_confirm(browser, live_server, catalogue, tmp_path, width, height):
    org = make_org("word-org", "องค์การบริหารส่วนตำบลคำน้ำแซบ")
    make_assessment(org, scores=False)
    make_user(Role.STAFF, org, "word_staff")
    path = tmp_path / "o35-2568.docx"
    path.write_bytes(wf.merged_o35())

    context = browser.new_context(locale="th-TH", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, live_server, "word_staff")
    page.goto(f"{live_server.url}/o/word-org/2568/measures/")
    page.click("text=นำเข้าจากไฟล์ Word")
    page.set_input_files("input[type=file]", str(path))
    page.click("text=อ่านไฟล์และแสดงตัวอย่าง")
    page.wait_for_selector("#word-preview")
    preview = page.text_content("#word-preview")
    assert "มาตรการเปิดเผยข้อมูลการปฏิบัติงาน" in preview and "ประชุมชี้แจงเจ้าหน้าที่" in preview
    assert "กองช่างสุขาภิบาลและสิ่งแวดล้อม" in page.text_content("#word-new-units")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not Measure.objects.exists()  # nothing saved before confirming
    shot(page, f"20-word-preview-{width}")
    page.click("text=ยืนยันนำเข้า")
    page.wait_for_selector(".alert-success")
    assert "นำเข้าจากไฟล์ Word แล้ว 2 มาตรการ" in page.text_content(".alert-success")
    assert "กิจกรรมพัฒนาระบบ E-Service" in page.text_content("#measures")
    shot(page, f"21-word-imported-{width}")
    context.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_the_page_waits_for_the_worker_then_shows_the_preview(
    browser, live_server, catalogue, tmp_path, settings, width, height
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # a worker not yet there
    org = make_org("word-wait", "องค์การบริหารส่วนตำบลคำน้ำแซบ")
    make_assessment(org, scores=False)
    make_user(Role.STAFF, org, "word_wait")
    path = tmp_path / "o35-2568.docx"
    path.write_bytes(wf.merged_o35())
    context = browser.new_context(locale="th-TH", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, live_server, "word_wait")
    page.goto(f"{live_server.url}/o/word-wait/2568/measures/import-word/")
    page.set_input_files("input[type=file]", str(path))
    page.click("text=อ่านไฟล์และแสดงตัวอย่าง")
    page.wait_for_selector("#word-waiting")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"22-word-waiting-{width}")
    read_word_plan.call(WordImportPlan.objects.get().pk)  # the worker reads the file
    page.wait_for_selector("#word-preview")  # the page has asked again by itself
    assert "มาตรการเปิดเผยข้อมูลการปฏิบัติงาน" in page.text_content("#word-preview")
    context.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_last_years_o26_into_the_new_year_is_a_plan_with_a_warning(
    browser, live_server, catalogue, tmp_path, width, height
):
    org = make_org("word-new", "องค์การบริหารส่วนตำบลคำน้ำแซบ")
    make_assessment(org, year=2570, scores=False)  # fiscal year 2571
    make_user(Role.STAFF, org, "word_new")
    path = tmp_path / "o26-2570.docx"
    path.write_bytes(wf.last_year_o26())
    context = browser.new_context(locale="th-TH", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, live_server, "word_new")
    page.goto(f"{live_server.url}/o/word-new/2571/measures/import-word/")
    page.set_input_files("input[type=file]", str(path))
    page.click("text=อ่านไฟล์และแสดงตัวอย่าง")
    page.wait_for_selector("#word-preview")
    warning = page.text_content("#word-year-warning")
    assert "พ.ศ. 2570" in warning and "พ.ศ. 2571" in warning
    assert page.is_checked("#word-as-plan") and page.is_disabled("#word-as-results")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"23-word-last-year-{width}")
    page.click("text=ยืนยันนำเข้า")
    page.wait_for_selector(".alert-success")
    assert Measure.objects.filter(assessment__organisation=org).count() == 2
    context.close()
