"""No lost edit on the shared forms: a page opened earlier never silently reverts what someone saved
since; two people editing different boxes both keep their work; the same box changed by both is a
Thai conflict that keeps the typed text and shows the other person's. And every editing form of
the project carries such a control (or says in the allow-list why it needs none)."""

import importlib
import pkgutil

import pytest
from django import forms
from django.urls import reverse

from measures.models import MeasureStep, OitChecklistItem
from reports.models import ReportSettings
from tests.factories import make_measure, make_rounds
from tests.security.formdata import form_data

pytestmark = pytest.mark.django_db


# --- the steps page: each step's period, units and person --------------------------------------


@pytest.fixture
def measure(assessment_a):
    make_rounds(assessment_a)
    return make_measure(assessment_a, steps=2)


def _steps_url(measure):
    return reverse("measure_steps", args=["org-a", 2568, measure.pk])


def _open(client, url, form_id):
    return form_data(client.get(url).content.decode(), form_id)


def test_a_stale_steps_page_keeps_what_another_person_saved_meanwhile(staff_client, manager_client, measure):
    first, second = measure.steps.all()
    url = _steps_url(measure)
    mine, theirs = _open(staff_client, url, "step-form"), _open(manager_client, url, "step-form")
    theirs[f"s{first.pk}-period_text"] = "ม.ค.-มี.ค. ๖๘"
    assert manager_client.post(url, theirs).status_code == 302
    mine[f"s{second.pk}-responsible_person"] = "นายสมชาย ใจดี ปลัด อบต."
    assert staff_client.post(url, mine).status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert first.period_text == "ม.ค.-มี.ค. ๖๘"  # the old code put back the blank the stale page showed
    assert second.responsible_person == "นายสมชาย ใจดี ปลัด อบต."


def test_the_same_step_box_changed_by_two_people_is_a_conflict_that_keeps_the_typed_text(
    staff_client, manager_client, measure
):
    first, _ = measure.steps.all()
    url = _steps_url(measure)
    mine, theirs = _open(staff_client, url, "step-form"), _open(manager_client, url, "step-form")
    theirs[f"s{first.pk}-period_text"] = "ไตรมาสแรก"
    manager_client.post(url, theirs)
    mine[f"s{first.pk}-period_text"] = "ตลอดปีงบประมาณ"
    mine[f"s{first.pk}-output"] = "จัดอบรมแล้ว"
    response = staff_client.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 200
    assert "ขั้นตอนที่ 1 (ช่วงเวลา)" in page and "มีผู้อื่นบันทึกช่องเดียวกันไปก่อนแล้ว" in page
    assert 'value="ตลอดปีงบประมาณ"' in page and "จัดอบรมแล้ว" in page  # the typed text stays
    assert "ฉบับที่ผู้อื่นบันทึกไว้: ไตรมาสแรก" in page
    assert MeasureStep.objects.get(pk=first.pk).period_text == "ไตรมาสแรก"  # nothing written
    assert not first.progress.exists()
    # Saving the re-shown page again overwrites on purpose.
    assert staff_client.post(url, form_data(page, "step-form")).status_code == 302
    assert MeasureStep.objects.get(pk=first.pk).period_text == "ตลอดปีงบประมาณ"
    assert first.progress.get().output == "จัดอบรมแล้ว"


# --- the OIT checklist in one pass ------------------------------------------------------------

OIT_URL = reverse("checklist", args=["org-a", 2568])


def test_a_stale_checklist_page_saves_its_rows_without_a_false_conflict(staff_client, manager_client, assessment_a):
    mine, theirs = _open(staff_client, OIT_URL, "checklist-all"), _open(manager_client, OIT_URL, "checklist-all")
    theirs["o5-status"] = "done"
    manager_client.post(OIT_URL, theirs)
    mine["o6-description"] = "เผยแพร่แผนแล้ว"
    response = staff_client.post(OIT_URL, mine)
    assert response.status_code == 302  # the old code refused the whole page: "o5: มีผู้อื่นบันทึก…"
    rows = dict(OitChecklistItem.objects.values_list("question__code", "status"))
    assert rows == {"o5": "done", "o6": "not_done"}
    assert OitChecklistItem.objects.get(question__code="o6").description == "เผยแพร่แผนแล้ว"


def test_only_the_row_both_changed_conflicts_and_the_others_are_saved(staff_client, manager_client, assessment_a):
    mine, theirs = _open(staff_client, OIT_URL, "checklist-all"), _open(manager_client, OIT_URL, "checklist-all")
    theirs["o5-description"] = "ของผู้จัดการ"
    manager_client.post(OIT_URL, theirs)
    mine |= {"o5-description": "ของเจ้าหน้าที่", "o7-status": "done"}
    response = staff_client.post(OIT_URL, mine)
    page = response.content.decode()
    assert response.status_code == 200
    assert "บันทึกรายการอื่นแล้ว 1 รายการ แต่ o5 (สิ่งที่ดำเนินการ)" in page
    assert "ของเจ้าหน้าที่" in page and "ฉบับที่ผู้อื่นบันทึกไว้: ของผู้จัดการ" in page
    rows = {c.question.code: c for c in OitChecklistItem.objects.select_related("question")}
    assert rows["o5"].description == "ของผู้จัดการ" and rows["o7"].status == "done"
    # The re-shown page saves again without conflict: o5 becomes the staff's on purpose, o7 stays.
    assert staff_client.post(OIT_URL, form_data(page, "checklist-all")).status_code == 302
    assert OitChecklistItem.objects.get(question__code="o5").description == "ของเจ้าหน้าที่"
    assert OitChecklistItem.objects.get(question__code="o7").status == "done"


# --- the remembered report options and the introductions --------------------------------------

INDEX = reverse("report_index", args=["org-a", 2568])
SETTINGS = reverse("report_settings", args=["org-a", 2568])
INTRO = reverse("report_intro", args=["org-a", 2568])


def _remember(client, data):
    return client.post(SETTINGS, data | {"remember": "1"})


def test_remembering_options_from_a_stale_page_keeps_the_other_persons_options(
    staff_client, manager_client, assessment_a
):
    mine, theirs = _open(staff_client, INDEX, "report-options"), _open(manager_client, INDEX, "report-options")
    _remember(manager_client, theirs | {"approver_name": "นายประเสริฐ มั่นคง"})
    assert _remember(staff_client, mine | {"reporter_name": "นางสาวสมศรี ใจดี"}).status_code == 302
    saved = ReportSettings.objects.get(assessment=assessment_a)
    assert (saved.approver_name, saved.reporter_name) == ("นายประเสริฐ มั่นคง", "นางสาวสมศรี ใจดี")


def test_the_same_option_remembered_by_two_people_is_a_conflict_naming_it(staff_client, manager_client, assessment_a):
    mine, theirs = _open(staff_client, INDEX, "report-options"), _open(manager_client, INDEX, "report-options")
    _remember(manager_client, theirs | {"approver_name": "นายประเสริฐ มั่นคง"})
    response = _remember(staff_client, mine | {"approver_name": "นางมาลี ศรีสุข"})
    page = response.content.decode()
    assert response.status_code == 200 and "มีผู้อื่นบันทึก ชื่อผู้อนุมัติ ไปก่อนแล้ว" in page
    assert 'value="นางมาลี ศรีสุข"' in page and "ฉบับที่ผู้อื่นบันทึกไว้: นายประเสริฐ มั่นคง" in page
    assert ReportSettings.objects.get().approver_name == "นายประเสริฐ มั่นคง"
    assert _remember(staff_client, form_data(page, "report-options")).status_code == 302
    assert ReportSettings.objects.get().approver_name == "นางมาลี ศรีสุข"


def test_saving_one_introduction_from_a_stale_page_keeps_the_other(staff_client, manager_client, assessment_a):
    mine, theirs = _open(staff_client, INDEX, INTRO), _open(manager_client, INDEX, INTRO)
    manager_client.post(INTRO, theirs | {"intro_o34": "คำนำ o34 ของผู้จัดการ"})
    assert staff_client.post(INTRO, mine | {"intro_o35": "คำนำ o35 ของเจ้าหน้าที่"}).status_code == 302
    saved = ReportSettings.objects.get(assessment=assessment_a)
    assert (saved.intro_o34, saved.intro_o35) == ("คำนำ o34 ของผู้จัดการ", "คำนำ o35 ของเจ้าหน้าที่")
    # Remembering options from a page opened before the introductions keeps them too.
    _remember(staff_client, _open(staff_client, INDEX, "report-options") | {"digits": "arabic"})
    saved.refresh_from_db()
    assert (saved.digits, saved.intro_o34) == ("arabic", "คำนำ o34 ของผู้จัดการ")


def test_the_same_introduction_changed_by_two_people_is_a_conflict(staff_client, manager_client, assessment_a):
    mine, theirs = _open(staff_client, INDEX, INTRO), _open(manager_client, INDEX, INTRO)
    manager_client.post(INTRO, theirs | {"intro_o34": "ฉบับผู้จัดการ"})
    response = staff_client.post(INTRO, mine | {"intro_o34": "ฉบับเจ้าหน้าที่"})
    page = response.content.decode()
    assert response.status_code == 200 and "มีผู้อื่นบันทึก คำนำรายงานการวิเคราะห์และมาตรการ ไปก่อนแล้ว" in page
    assert "ฉบับเจ้าหน้าที่</textarea>" in page and "ฉบับที่ผู้อื่นบันทึกไว้: ฉบับผู้จัดการ" in page
    assert ReportSettings.objects.get().intro_o34 == "ฉบับผู้จัดการ"


def test_every_field_a_person_edits_in_the_report_settings_is_under_the_check():
    """A field added to ReportSettings later (e.g. a remembered report date) is compared too."""
    from reports.remembered import tracked_fields

    bookkeeping = {"id", "assessment", "updated_by", "updated_at", "options_saved_at"}
    edited = {f.name for f in ReportSettings._meta.concrete_fields} - bookkeeping
    assert set(tracked_fields()) == edited
    assert set(ReportSettings.FIELDS) <= edited


# --- every editing form carries a concurrency control ----------------------------------------

# Forms that need none, each with the reason. A new form that edits shared data must carry a
# `version` (compare-and-swap of one row) or a `seen` (what the page showed, box by box) field.
ALLOWED = {
    "assessments.forms.PasteForm": "pasting a score table is an explicit 'replace with these' of the grid, "
    "checked box by box by the grid's own seen (save_scores_checked) when the grid is saved",
    "measures.word_views.UploadForm": "a Word import creates new measures; it edits no existing row",
    "ita_portal.forms.LoginForm": "logging in edits no shared data",
    "assessments.account_views.EmailForm": "a person's own e-mail address: nobody else edits it",
}


def _project_forms():
    found = {}
    for app in ("assessments", "measures", "reports", "ita_portal"):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name or info.name.endswith("bench_scale"):
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == info.name:
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def test_every_editing_form_carries_a_version_or_what_the_page_showed():
    found = _project_forms()
    assert {"measures.forms.StepForm", "reports.forms.ReportOptionsForm", "reports.forms.ReportIntroForm"} <= set(found)
    missing = [
        name for name, cls in found.items() if name not in ALLOWED and not {"version", "seen"} & set(cls.base_fields)
    ]
    assert not missing, f"forms without concurrency control (add version/seen, or ALLOWED with a reason): {missing}"
    assert set(ALLOWED) <= set(found), "the allow-list names a form that no longer exists"
