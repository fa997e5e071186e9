"""A complete, readable audit trail: names not ids, Thai labels, BE dates in Bangkok time."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import OitChecklistItem
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db


def _trail(client):
    return client.get(reverse("audit_trail", args=["org-a", 2568])).content.decode()


def _edit(client, measure, **changes):
    data = {
        "title": measure.title,
        "period_text": "ตลอดปีงบประมาณ",
        "steps": "\n".join(s.text for s in measure.steps.all()),
        "units": [u.pk for u in measure.units.all()],
        "issues": [i.pk for i in measure.issues.all()],
        "version": measure.version,
    } | changes
    response = client.post(reverse("measure_edit", args=["org-a", 2568, measure.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_responsible_unit_changes_are_shown_by_name(staff_client, manager_client, assessment_a):
    m = make_measure(assessment_a, units=("สำนักปลัด",))
    kk = assessment_a.organisation.units.get(name="กองคลัง")
    _edit(staff_client, m, units=[kk.pk])
    page = _trail(manager_client)
    assert "<strong>ผู้รับผิดชอบ</strong>: <del>สำนักปลัด</del> → กองคลัง" in page


def test_new_and_reworded_steps_are_shown_with_their_text(staff_client, manager_client, assessment_a):
    m = make_measure(assessment_a, steps=1)
    first = m.steps.get().text
    _edit(staff_client, m, steps=f"{first} (ปรับถ้อยคำ)\nขั้นตอนใหม่ที่เพิ่มเข้ามา")
    page = _trail(manager_client)
    assert f"<del>{first}</del> → {first} (ปรับถ้อยคำ)" in page
    assert re.search(r"เพิ่ม</td><td[^>]*>ขั้นตอน: [^<]* · ขั้นตอนที่ 2</td>", page)
    assert "ขั้นตอนใหม่ที่เพิ่มเข้ามา" in page


def test_organisation_and_unit_renames_appear_in_thai_with_buddhist_era_dates(manager_client, assessment_a):
    org = assessment_a.organisation
    org.name = "องค์การบริหารส่วนตำบลระเวใหม่"
    org.save()
    unit = org.units.get(name="กองช่าง")
    unit.name = "กองช่างและผังเมือง"
    unit.save()
    page = _trail(manager_client)
    assert "<del>องค์การบริหารส่วนตำบลระเว</del> → องค์การบริหารส่วนตำบลระเวใหม่" in page
    assert "<del>กองช่าง</del> → กองช่างและผังเมือง" in page
    now = timezone.localtime()
    assert f"{now.year + 543} {now:%H}:" in page, "BE year and Bangkok hour"
    assert f"/{now.year} " not in page


def test_entries_show_names_and_thai_choices_not_ids_or_internal_values(staff_client, manager_client, assessment_a):
    m = make_measure(assessment_a)
    rounds = make_rounds(assessment_a)
    make_progress(m, rounds[0], status="done")
    q = assessment_a.ita_year.questions.get(code="o9")
    unit = assessment_a.organisation.units.first()
    OitChecklistItem.objects.create(assessment=assessment_a, question=q, unit=unit, status="done")
    page = _trail(manager_client)
    assert "ดำเนินการแล้ว" in page and ">done<" not in page and "→ done" not in page
    assert f"<strong>ผู้รับผิดชอบ</strong>: {unit.name}</div>" in page
    assert "รายการตรวจ OIT: o9" in page
    assert "รอบ 6 เดือน" in page
    for raw in (f"assessment: {assessment_a.pk}", f"question: {q.pk}", "ประเด็น #"):
        assert raw not in page
    assert re.search(r"<strong>(unit|round|question|status|order)</strong>", page) is None


def test_carried_over_checklist_rows_are_in_the_trail(manager_client, assessment_a):
    from simple_history.utils import bulk_create_with_history

    q = assessment_a.ita_year.questions.get(code="o1")
    bulk_create_with_history([OitChecklistItem(assessment=assessment_a, question=q)], OitChecklistItem)
    assert "รายการตรวจ OIT: o1" in _trail(manager_client)


def test_linked_question_changes_are_shown_by_code(staff_client, manager_client, assessment_a):
    m = make_measure(assessment_a, questions=("o9",))
    o10 = assessment_a.ita_year.questions.get(code="o10")
    _edit(staff_client, m, questions=[o10.pk])
    page = _trail(manager_client)
    assert "ข้อคำถามที่แก้ไข" in page and "o10" in page and "<del>o9" in page


def test_a_steps_own_result_and_units_are_in_the_trail(staff_client, manager_client, assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a, steps=2)
    first, second = m.steps.all()
    kk = assessment_a.organisation.units.get(name="กองคลัง")
    data = {f"s{s.pk}-status": "not_started" for s in (first, second)}
    data |= {f"s{second.pk}-units": [kk.pk], f"s{second.pk}-status": "done", f"s{second.pk}-output": "ผลขั้นที่สอง"}
    url = reverse("measure_steps", args=["org-a", 2568, m.pk]) + f"?round={rounds[0].pk}"
    assert staff_client.post(url, data).status_code == 302
    page = _trail(manager_client)
    assert f"{m.title} · ขั้นตอนที่ 2 · {rounds[0].name}" in page and "ผลขั้นที่สอง" in page
    assert "<strong>ผู้รับผิดชอบ</strong>: กองคลัง" in page
