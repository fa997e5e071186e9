import datetime

import pytest
from django.urls import reverse

from measures.models import Progress
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def setup(assessment_a):
    rounds = make_rounds(assessment_a)
    return assessment_a, make_measure(assessment_a), rounds


def _save_url(m, r):
    return reverse("progress_save", args=["org-a", 2568, r.pk, m.pk])


def test_rounds_default_to_31_march_and_30_september(staff_client, org_a):
    from tests.factories import make_assessment

    a = make_assessment(org_a, scores=False)
    page = staff_client.get(reverse("progress", args=["org-a", 2568])).content.decode()
    assert [r.as_of for r in a.rounds.all()] == [datetime.date(2025, 3, 31), datetime.date(2025, 9, 30)]
    assert "31 มีนาคม 2568" in page and "30 กันยายน 2568" in page


def test_row_saves_without_reload_and_returns_new_version(staff_client, setup):
    a, m, (r1, _) = setup
    data = {
        f"m{m.pk}-status": "done",
        f"m{m.pk}-output": "จัดประชุมแล้ว 2 ครั้ง",
        f"m{m.pk}-outcome": "หัวหน้าส่วนราชการเข้าใจหลักเกณฑ์",
        f"m{m.pk}-done_on": "15/3/2568",
        f"m{m.pk}-evidence": "https://example.go.th/ita/1\n\nhttps://example.go.th/ita/2",
        f"m{m.pk}-version": "0",
    }
    response = staff_client.post(_save_url(m, r1), data, **JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] and body["version"] == 1
    p = Progress.objects.get(measure=m, round=r1)
    assert p.status == "done" and p.done_on == datetime.date(2025, 3, 15)
    assert p.evidence_links == ["https://example.go.th/ita/1", "https://example.go.th/ita/2"]
    assert p.output == "จัดประชุมแล้ว 2 ครั้ง"  # a plain field: stored as typed, no <p> in the textarea
    assert p.outcome == "หัวหน้าส่วนราชการเข้าใจหลักเกณฑ์"


def test_stale_row_is_refused_with_409(staff_client, manager_client, setup):
    a, m, (r1, _) = setup
    make_progress(m, r1, output="บันทึกโดยคนแรก")  # version 1
    stale = {f"m{m.pk}-status": "done", f"m{m.pk}-output": "ของคนที่สอง", f"m{m.pk}-version": "0"}
    response = manager_client.post(_save_url(m, r1), stale, **JSON)
    assert response.status_code == 409
    assert "มีผู้อื่นบันทึก" in response.json()["message"]
    assert Progress.objects.get(measure=m, round=r1).output == "บันทึกโดยคนแรก"


def test_bad_link_is_refused_in_thai(staff_client, setup):
    a, m, (r1, _) = setup
    data = {f"m{m.pk}-status": "done", f"m{m.pk}-evidence": "javascript:alert(1)", f"m{m.pk}-version": "0"}
    response = staff_client.post(_save_url(m, r1), data, **JSON)
    assert response.status_code == 400
    assert "ไม่ใช่ลิงก์ที่ถูกต้อง" in response.json()["message"]
    assert not Progress.objects.exists()


def test_progress_page_lists_every_measure_with_its_saved_text(staff_client, setup):
    a, m, (r1, r2) = setup
    make_progress(m, r2, output="ผลรอบสิบสองเดือน")
    page = staff_client.get(reverse("progress_round", args=["org-a", 2568, r2.pk])).content.decode()
    assert m.title in page and "ผลรอบสิบสองเดือน" in page


def test_checklist_row_saves(staff_client, assessment_a):
    unit = assessment_a.organisation.units.get(name="สำนักปลัด")
    url = reverse("checklist_save", args=["org-a", 2568, "o1"])
    data = {
        "o1-unit": unit.pk,
        "o1-status": "done",
        "o1-description": "เผยแพร่แล้ว",
        "o1-evidence_url": "https://x.go.th/o1",
    }
    response = staff_client.post(url, data, **JSON)
    assert response.status_code == 200 and response.json()["version"] == 1
    item = assessment_a.checklist.get()
    assert (item.question.code, item.unit, item.status) == ("o1", unit, "done")


def test_checklist_refuses_another_orgs_unit(staff_client, assessment_a, org_b):
    foreign = org_b.units.first()
    url = reverse("checklist_save", args=["org-a", 2568, "o1"])
    response = staff_client.post(url, {"o1-unit": foreign.pk, "o1-status": "done"}, **JSON)
    assert response.status_code == 400
    assert not assessment_a.checklist.exists()
