"""A fiscal year remembers its report options (digits, who signs) for every later print and
publication, until someone changes them."""

import pytest
from django.urls import reverse

from reports.models import ReportSettings
from tests.factories import make_assessment, make_measure

pytestmark = pytest.mark.django_db

SIGNERS = {
    "digits": "arabic",
    "grouping": "list",
    "number_column": True,
    "reporter_name": "นางสาวสมศรี ใจดี",
    "reporter_position": "นักวิเคราะห์นโยบายและแผน",
    "approver_name": "นายประเสริฐ มั่นคง",
    "approver_position": "นายกองค์การบริหารส่วนตำบล",
}


def _settings_url(fy=2568):
    return reverse("report_settings", args=["org-a", fy])


def _preview(client, fy=2568, query=""):
    return client.get(reverse("report_preview", args=["org-a", fy, "o34"]) + query).content.decode()


def test_remembered_signers_are_used_by_every_later_print(manager_client, assessment_a):
    make_measure(assessment_a)
    response = manager_client.post(_settings_url(), SIGNERS | {"remember": "1"})
    assert response.status_code == 302
    saved = ReportSettings.objects.get(assessment=assessment_a)
    assert saved.as_data() == SIGNERS | {"report_date": None} and saved.updated_by.username == "manager_a"
    # A later visit without options: the form and the report start from what was remembered.
    page = manager_client.get(reverse("report_index", args=["org-a", 2568])).content.decode()
    assert 'value="นางสาวสมศรี ใจดี"' in page and "ค่าที่จำไว้ บันทึกเมื่อ" in page
    preview = _preview(manager_client)
    assert "นางสาวสมศรี ใจดี" in preview and "นายประเสริฐ มั่นคง" in preview
    assert "๒๕๖๘" not in preview  # Arabic digits remembered too


def test_applying_without_remembering_keeps_nothing(staff_client, assessment_a):
    response = staff_client.post(_settings_url(), SIGNERS)
    assert response.status_code == 302 and "reporter_name=" in response["Location"]
    assert not ReportSettings.objects.exists()


def test_options_in_the_address_win_over_the_remembered_ones(manager_client, assessment_a):
    make_measure(assessment_a)
    manager_client.post(_settings_url(), SIGNERS | {"remember": "1"})
    preview = _preview(manager_client, query="?digits=thai&reporter_name=ผู้อื่น")
    assert "ผู้อื่น" in preview and "นางสาวสมศรี ใจดี" not in preview


def test_each_fiscal_year_keeps_its_own(manager_client, assessment_a, org_a):
    make_assessment(org_a, year=2568)
    manager_client.post(_settings_url(2568), SIGNERS | {"remember": "1"})
    page = manager_client.get(reverse("report_index", args=["org-a", 2569])).content.decode()
    assert "นางสาวสมศรี ใจดี" not in page


def test_a_wrong_value_is_said_in_thai_and_what_was_typed_stays(manager_client, assessment_a):
    response = manager_client.post(_settings_url(), SIGNERS | {"reporter_name": "ก" * 201, "remember": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "ยังไม่ได้ใช้ตัวเลือก" in page
    assert 'value="นายประเสริฐ มั่นคง"' in page
    assert not ReportSettings.objects.exists()


def test_auditor_cannot_remember_and_outsiders_get_404(auditor_client, other_staff_client, assessment_a):
    assert auditor_client.post(_settings_url(), SIGNERS | {"remember": "1"}).status_code == 403
    assert other_staff_client.post(_settings_url(), SIGNERS | {"remember": "1"}).status_code == 404
    assert not ReportSettings.objects.exists()
    page = auditor_client.get(reverse("report_index", args=["org-a", 2568])).content.decode()
    assert '<form method="get" class="row g-2 mb-3" id="report-options">' in page  # read-only: options only


def test_saving_an_introduction_does_not_say_options_were_remembered(staff_client, manager_client, assessment_a):
    org = assessment_a.organisation
    org.executive_title = "นายกองค์การบริหารส่วนตำบลเอ"
    org.save()
    index = reverse("report_index", args=["org-a", 2568])
    staff_client.post(reverse("report_intro", args=["org-a", 2568]), {"intro_o34": "คำนำของเราเอง", "intro_o35": ""})
    page = staff_client.get(index).content.decode()
    assert "ค่าที่จำไว้" not in page
    # the options form keeps its own defaults: the approver's position is the organisation's executive
    assert 'name="approver_position" value="นายกองค์การบริหารส่วนตำบลเอ"' in page
    manager_client.post(_settings_url(), SIGNERS | {"remember": "1"})
    saved = ReportSettings.objects.get(assessment=assessment_a)
    assert saved.intro_o34 == "คำนำของเราเอง" and saved.approver_name == "นายประเสริฐ มั่นคง"
    assert "ค่าที่จำไว้ บันทึกเมื่อ" in manager_client.get(index).content.decode()


def test_options_kept_before_the_upgrade_still_count_as_remembered(assessment_a):
    from importlib import import_module

    from django.apps import apps

    row = ReportSettings.objects.create(assessment=assessment_a, digits="arabic")
    assert row.options_saved_at is None
    import_module("reports.migrations.0008_report_options_saved_at").rows_before_keep_their_date(apps, None)
    row.refresh_from_db()
    assert row.options_saved_at == row.updated_at
