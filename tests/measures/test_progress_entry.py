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
    assert [(r.name, r.as_of) for r in a.rounds.all()] == [
        ("รอบ 6 เดือน", datetime.date(2025, 3, 31)),
        ("รอบ 12 เดือน", datetime.date(2025, 9, 30)),
    ]
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


def test_updating_a_saved_row_writes_every_value(staff_client, setup):
    a, m, (r1, _) = setup
    make_progress(m, r1, status="in_progress", output="ผลเดิม", outcome="ผลลัพธ์เดิม")  # version 1
    data = {
        f"m{m.pk}-status": "done",
        f"m{m.pk}-output": "ผลใหม่ ประชุมครบ 4 ครั้ง",
        f"m{m.pk}-outcome": "ผลลัพธ์ใหม่ ประชาชนพึงพอใจ",
        f"m{m.pk}-done_on": "30/9/2568",
        f"m{m.pk}-evidence": "https://example.go.th/ita/new",
        f"m{m.pk}-version": "1",
    }
    response = staff_client.post(_save_url(m, r1), data, **JSON)
    assert response.status_code == 200 and response.json()["version"] == 2
    p = Progress.objects.get(measure=m, round=r1)
    assert (p.status, p.output, p.outcome) == ("done", "ผลใหม่ ประชุมครบ 4 ครั้ง", "ผลลัพธ์ใหม่ ประชาชนพึงพอใจ")
    assert p.done_on == datetime.date(2025, 9, 30) and p.evidence_links == ["https://example.go.th/ita/new"]
    assert p.version == 2


def test_a_save_of_one_row_never_bumps_another_rows_version(staff_client, setup):
    """The optimistic lock updates the row being saved only: other rows at the same version still save."""
    a, m, (r1, r2) = setup
    other = make_measure(a)
    make_progress(m, r1)
    make_progress(other, r1)
    make_progress(m, r2)
    first = {f"m{m.pk}-status": "done", f"m{m.pk}-output": "แถวแรก", f"m{m.pk}-version": "1"}
    assert staff_client.post(_save_url(m, r1), first, **JSON).status_code == 200
    assert Progress.objects.get(measure=other, round=r1).version == 1
    assert Progress.objects.get(measure=m, round=r2).version == 1
    second = {f"m{other.pk}-status": "done", f"m{other.pk}-output": "แถวที่สอง", f"m{other.pk}-version": "1"}
    assert staff_client.post(_save_url(other, r1), second, **JSON).status_code == 200
    assert Progress.objects.get(measure=other, round=r1).output == "แถวที่สอง"


def test_checklist_row_saves_its_description_and_evidence_link(staff_client, assessment_a):
    unit = assessment_a.organisation.units.get(name="กองคลัง")
    url = reverse("checklist_save", args=["org-a", 2568, "o1"])
    data = {
        "o1-unit": unit.pk,
        "o1-status": "done",
        "o1-description": "เผยแพร่แล้ว",
        "o1-evidence_url": "https://x.go.th/o1",
    }
    assert staff_client.post(url, data, **JSON).status_code == 200
    item = assessment_a.checklist.get()
    assert (item.description, item.evidence_url) == ("เผยแพร่แล้ว", "https://x.go.th/o1")


def test_updating_a_checklist_row_writes_every_value(staff_client, assessment_a):
    first_unit, unit = assessment_a.organisation.units.order_by("order")[:2]
    url = reverse("checklist_save", args=["org-a", 2568, "o1"])
    first = {"o1-unit": first_unit.pk, "o1-status": "not_done", "o1-description": "ยังไม่ได้ทำ"}
    assert staff_client.post(url, first, **JSON).json()["version"] == 1
    data = {
        "o1-unit": unit.pk,
        "o1-status": "done",
        "o1-description": "ขึ้นเว็บไซต์แล้ว",
        "o1-evidence_url": "https://x.go.th/o1-new",
        "o1-version": "1",
    }
    response = staff_client.post(url, data, **JSON)
    assert response.status_code == 200 and response.json()["version"] == 2
    item = assessment_a.checklist.get()
    assert (item.unit, item.status, item.description, item.evidence_url) == (
        unit,
        "done",
        "ขึ้นเว็บไซต์แล้ว",
        "https://x.go.th/o1-new",
    )


def test_a_save_that_says_only_the_status_leaves_the_texts_blank(setup):
    """A result posted with its status alone (the quick status change) writes no stray text."""
    from measures.services import save_progress

    _, m, (r1, _) = setup
    row = save_progress(m, r1, {"status": "in_progress"}, None)
    row.refresh_from_db()
    assert (row.status, row.output, row.outcome, row.evidence, row.done_on) == ("in_progress", "", "", "", None)


def test_an_unknown_status_is_refused_in_thai_and_nothing_is_saved(setup):
    from assessments.services import DomainError
    from measures.services import save_progress

    _, m, (r1, _) = setup
    with pytest.raises(DomainError, match="^สถานะไม่ถูกต้อง$"):
        save_progress(m, r1, {"status": "finished", "output": "ทำแล้ว"}, None)
    assert not Progress.objects.filter(measure=m).exists()


def test_rounds_the_organisation_set_are_never_joined_by_the_default_ones(staff_client, assessment_a):
    from measures.models import ReportingRound

    ReportingRound.objects.create(assessment=assessment_a, name="รอบ 5 เดือน", as_of=datetime.date(2025, 2, 28))
    staff_client.get(reverse("progress", args=["org-a", 2568]))
    assert list(assessment_a.rounds.values_list("name", flat=True)) == ["รอบ 5 เดือน"]
