import pytest
from django.urls import reverse

from reports.data import ReportOptions
from reports.models import ReviewComment
from reports.publication import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(approved_year, manager_a):
    return publish(approved_year, "o34", manager_a, ReportOptions())


def test_auditor_comments_and_staff_see_it(auditor_client, staff_client, version):
    url = reverse("public_comment", args=["org-a", 2568, "o34", 1])
    response = auditor_client.post(url, {"text": "ข้อ o9 ยังไม่พบรายงานประจำปี <b>ตรวจสอบ</b>"}, follow=True)
    assert "บันทึกข้อคิดเห็นแล้ว" in response.content.decode()
    page = staff_client.get(reverse("report_index", args=["org-a", 2568])).content.decode()
    assert "ข้อ o9 ยังไม่พบรายงานประจำปี &lt;b&gt;ตรวจสอบ&lt;/b&gt;" in page  # shown as text, never markup


def test_only_auditors_comment(staff_client, anon_client, version):
    url = reverse("public_comment", args=["org-a", 2568, "o34", 1])
    assert staff_client.post(url, {"text": "x"}).status_code == 403
    assert anon_client.post(url, {"text": "x"}).status_code == 302
    assert not ReviewComment.objects.exists()


def test_empty_comment_is_refused(auditor_client, version):
    url = reverse("public_comment", args=["org-a", 2568, "o34", 1])
    response = auditor_client.post(url, {"text": "  "}, follow=True)
    assert "กรุณาพิมพ์ข้อคิดเห็น" in response.content.decode()


def test_auditor_sees_draft_status_read_only(auditor_client, approved_year):
    page = auditor_client.get(reverse("report_index", args=["org-a", 2568])).content.decode()
    assert "อนุมัติแล้ว" in page and "เผยแพร่</button>" not in page
