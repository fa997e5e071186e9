import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NASTY = (
    '<p onclick="steal()">วิเคราะห์ <b>สำคัญ</b></p><script>alert(1)</script>'
    '<a href="javascript:alert(2)">ลิงก์</a><p style="position:fixed">ก</p>'
    '<ul><li>ข้อหนึ่ง</li></ul><img src=x onerror=alert(3)><a href="https://example.go.th/a?b=1&amp;c=2">ที่มา</a>'
)


def test_analysis_of_seven_issues_is_saved_and_sanitised(staff_client, assessment_a):
    url = reverse("analysis", args=["org-a", 2568])
    data = {f"analysis_{n}": f"<p>ประเด็น {n}</p>" for n in range(1, 8)}
    data.update(analysis_1=NASTY, improvement_1="ปรับปรุง & พัฒนา\nบรรทัดสอง", limitations="<p>บุคลากรน้อย</p>")
    assert staff_client.post(url, data).status_code == 302
    rows = {a.issue.number: a for a in assessment_a.analyses.select_related("issue")}
    assert len(rows) == 7
    stored = rows[1].analysis
    for bad in ("<script", "onclick", "javascript:", "style=", "onerror", "<img"):
        assert bad not in stored
    assert "<b>สำคัญ</b>" in stored and "<li>ข้อหนึ่ง</li>" in stored
    assert 'href="https://example.go.th/a?b=1&amp;c=2"' in stored
    assert rows[1].improvement == "<p>ปรับปรุง &amp; พัฒนา<br>บรรทัดสอง</p>"
    assessment_a.refresh_from_db()
    assert assessment_a.limitations == "<p>บุคลากรน้อย</p>"


def test_weak_questions_are_flagged(staff_client, assessment_a):
    page = staff_client.get(reverse("analysis", args=["org-a", 2568])).content.decode()
    # e9 scored 16.98 and o9 scored 0 in the reference results.
    assert page.count("ต้องพัฒนา</span>") >= 8
    assert "ข้อ e9" in page


def test_auditor_sees_analysis_read_only(auditor_client, assessment_a):
    page = auditor_client.get(reverse("analysis", args=["org-a", 2568])).content.decode()
    assert "โหมดอ่านอย่างเดียว" in page
    assert "บันทึกการวิเคราะห์" not in page


def test_a_second_save_changes_the_saved_analysis(staff_client, assessment_a):
    url = reverse("analysis", args=["org-a", 2568])
    assert staff_client.post(url, {"analysis_1": "<p>ครั้งแรก</p>", "limitations": "<p>ก</p>"}).status_code == 302
    data = {"analysis_1": "<p>ครั้งที่สอง</p>", "improvement_1": "<p>ปรับปรุงแล้ว</p>", "limitations": "<p>ข</p>"}
    assert staff_client.post(url, data).status_code == 302
    row = assessment_a.analyses.get(issue__number=1)
    assert (row.analysis, row.improvement) == ("<p>ครั้งที่สอง</p>", "<p>ปรับปรุงแล้ว</p>")
    assessment_a.refresh_from_db()
    assert assessment_a.limitations == "<p>ข</p>"
