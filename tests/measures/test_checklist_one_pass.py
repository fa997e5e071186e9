"""The OIT checklist in one pass: edit many rows, save once (all or nothing), filter by status or
unit; a page of 35 rows costs a bounded number of queries."""

import pytest
from django.urls import reverse

from assessments.models import Question, Unit
from measures.models import OitChecklistItem

pytestmark = pytest.mark.django_db

URL = reverse("checklist", args=["org-a", 2568])


def _blank(assessment):
    """What the page posts when nothing was changed: every OIT row, as shown."""
    data = {}
    for q in Question.objects.filter(ita_year=assessment.ita_year, instrument="OIT"):
        data |= {f"{q.code}-status": "not_done", f"{q.code}-version": "0", f"{q.code}-unit": ""}
    return data


def test_many_rows_are_saved_at_once(staff_client, assessment_a):
    unit = Unit.objects.get(organisation=assessment_a.organisation, name="กองคลัง")
    data = _blank(assessment_a) | {
        "o1-status": "done",
        "o1-unit": str(unit.pk),
        "o1-description": "<p>เผยแพร่แล้ว</p>",
        "o2-status": "done",
        "o2-evidence_url": "https://e.go.th/o2",
        "o7-description": "อยู่ระหว่างจัดทำ",
    }
    response = staff_client.post(URL, data)
    assert response.status_code == 302
    rows = {c.question.code: c for c in OitChecklistItem.objects.select_related("question", "unit")}
    assert set(rows) == {"o1", "o2", "o7"}  # untouched rows are not written
    assert (rows["o1"].status, rows["o1"].unit, rows["o1"].description) == ("done", unit, "เผยแพร่แล้ว")
    assert rows["o2"].evidence_url == "https://e.go.th/o2" and rows["o7"].status == "not_done"
    page = staff_client.get(URL).content.decode()
    assert 'id="done-count" data-elsewhere="0">2</span>/35' in page


def test_one_wrong_row_saves_nothing_and_keeps_every_typed_value(staff_client, assessment_a):
    data = _blank(assessment_a) | {
        "o1-status": "done",
        "o1-description": "ข้อความที่พิมพ์ไว้",
        "o3-evidence_url": "javascript:alert(1)",
    }
    response = staff_client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200 and "ยังไม่ได้บันทึก" in page and "URL ไม่ถูกต้อง" in page
    assert "ข้อความที่พิมพ์ไว้" in page
    assert not OitChecklistItem.objects.exists()


def test_a_row_saved_by_someone_else_meanwhile_stops_the_whole_save(staff_client, manager_client, assessment_a):
    manager_client.post(URL, _blank(assessment_a) | {"o5-status": "done"})
    # staff opened the page before: o5 had no row (version 0) and they also changed o6
    response = staff_client.post(URL, _blank(assessment_a) | {"o5-description": "ของ staff", "o6-status": "done"})
    page = response.content.decode()
    assert "o5: มีผู้อื่นบันทึกรายการนี้ไปก่อนแล้ว" in page and "ของ staff" in page
    assert list(OitChecklistItem.objects.values_list("question__code", "status")) == [("o5", "done")]


def test_filter_by_status_and_unit_saves_only_the_rows_shown(staff_client, assessment_a):
    unit = Unit.objects.get(organisation=assessment_a.organisation, name="กองคลัง")
    staff_client.post(URL, _blank(assessment_a) | {"o1-status": "done", "o2-status": "done", "o2-unit": str(unit.pk)})
    page = staff_client.get(URL + f"?status=done&unit={unit.pk}").content.decode()
    assert 'id="c-o2"' in page and 'id="c-o1"' not in page and 'id="c-o3"' not in page
    assert 'data-elsewhere="1"' in page  # o1 is done but not on this page
    # Posting the filtered page touches o2 only; o1 keeps its status.
    staff_client.post(URL + f"?status=done&unit={unit.pk}", {"o2-status": "not_done", "o2-version": "1"})
    statuses = dict(OitChecklistItem.objects.values_list("question__code", "status"))
    assert statuses == {"o1": "done", "o2": "not_done"}


def test_auditor_reads_and_cannot_save_outsiders_get_404(auditor_client, other_staff_client, assessment_a):
    page = auditor_client.get(URL).content.decode()
    assert "<fieldset disabled" in page and "บันทึกทั้งหมด" not in page
    assert auditor_client.post(URL, _blank(assessment_a) | {"o1-status": "done"}).status_code == 403
    assert other_staff_client.get(URL).status_code == 404
    assert not OitChecklistItem.objects.exists()


def test_saving_the_whole_checklist_runs_a_bounded_number_of_queries(
    staff_client, assessment_a, django_assert_max_num_queries
):
    data = _blank(assessment_a)
    with django_assert_max_num_queries(13):  # nothing changed: no write, whatever the rows (+1: evidence files)
        assert staff_client.post(URL, data).status_code == 302
