"""Staff choosing evidence files too large to send are told so in Thai before anything is sent."""

import pytest
from django.urls import reverse

from assessments.models import Role
from measures.models import EvidenceFile
from tests.e2e.conftest import shot
from tests.e2e.test_staff_year_in_browser import login
from tests.factories import make_assessment, make_measure, make_org, make_rounds, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pdf(name, size):
    return {"name": name, "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n" + b"x" * (size - 9)}


def test_a_selection_too_large_is_refused_in_the_browser(page, live_server, catalogue, settings):
    settings.EVIDENCE_MAX_BYTES = 2**20
    settings.EVIDENCE_MAX_REQUEST_BYTES = 3 * 2**20
    org = make_org("files-org", "เทศบาลตำบลแนบไฟล์")
    assessment = make_assessment(org, scores=False)
    round_ = make_rounds(assessment)[0]
    measure = make_measure(assessment, title="ประชุมชี้แจงเจ้าหน้าที่")
    make_user(Role.STAFF, org, "files_staff")
    login(page, live_server, "files_staff")
    page.wait_for_url(f"{live_server.url}/o/files-org/2568/")
    url = reverse("evidence", args=["files-org", 2568]) + f"?measure={measure.pk}&round={round_.pk}"
    page.goto(live_server.url + url)
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))

    page.set_input_files("#id_files", [_pdf("สแกนใหญ่.pdf", 3 * 2**19)])
    assert "ไฟล์ “สแกนใหญ่.pdf” ใหญ่ 1.5 MB เกินขนาดที่แนบได้ 1 MB" in page.text_content("#files-size")
    page.click("button:has-text('แนบไฟล์')")
    page.wait_for_timeout(500)
    assert posts == [] and not EvidenceFile.objects.exists()  # nothing sent: the user waited for nothing

    page.set_input_files("#id_files", [_pdf(f"ส่วนที่{n}.pdf", 900_000) for n in range(1, 5)])
    assert "ไฟล์ที่เลือกรวมกัน 3.4 MB เกินที่ส่งได้ในครั้งเดียว 3 MB: แนบทีละน้อยไฟล์" in page.text_content("#files-size")
    shot(page, "30-evidence-too-large")

    page.set_input_files("#id_files", [_pdf("ส่วนที่1.pdf", 900_000)])
    assert page.text_content("#files-size") == ""
    page.click("button:has-text('แนบไฟล์')")
    page.wait_for_selector(".alert-success")
    assert EvidenceFile.objects.get().name == "ส่วนที่1.pdf" and len(posts) == 1
