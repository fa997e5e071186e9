"""Bad links, numbers and files get a Thai message, never a server error (issue #23, point 6)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.models import Organisation
from assessments.validators import is_safe_url, validate_safe_url
from measures.dossier import DossierError, export_dossier, import_dossier
from measures.models import Measure, OitChecklistItem, Progress, StepProgress
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db

# urlsplit raises ValueError (not ValidationError) on these: a bracketed host that is no IPv6 address.
BRACKET_LINKS = ["http://[x]", "https://[::1", "http://[example.go.th]/o1"]


@pytest.mark.parametrize("link", BRACKET_LINKS)
def test_a_link_with_brackets_is_refused_in_thai_by_the_shared_validator(link):
    with pytest.raises(Exception) as excinfo:
        validate_safe_url(link)
    assert type(excinfo.value).__name__ == "ValidationError"
    assert "http" in excinfo.value.messages[0]
    assert not is_safe_url(link)


def test_an_ipv6_link_still_passes():
    validate_safe_url("http://[2001:db8::1]/ita")


@pytest.fixture
def measure(assessment_a):
    return make_measure(assessment_a)


def test_a_bracket_link_on_a_progress_row_is_a_thai_400(staff_client, measure):
    r1, _ = make_rounds(measure.assessment)
    url = reverse("progress_save", args=["org-a", 2568, r1.pk, measure.pk])
    data = {f"m{measure.pk}-status": "done", f"m{measure.pk}-evidence": "http://[x]", f"m{measure.pk}-version": "0"}
    response = staff_client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "ลิงก์" in response.json()["message"]
    assert not Progress.objects.exists()


def test_a_bracket_link_on_the_steps_page_keeps_the_page(staff_client, measure):
    make_rounds(measure.assessment)
    step = measure.steps.first()
    data = {}
    for s in measure.steps.all():
        data |= {f"s{s.pk}-status": "not_started", f"s{s.pk}-version": "0"}
    data[f"s{step.pk}-evidence"] = "http://[x]"
    response = staff_client.post(reverse("measure_steps", args=["org-a", 2568, measure.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ไม่ใช่ลิงก์ที่ถูกต้อง" in page and "http://[x]" in page  # what was typed stays
    assert not StepProgress.objects.exists()


def test_a_bracket_link_on_an_oit_item_and_the_one_pass_form(staff_client, assessment_a):
    response = staff_client.post(
        reverse("checklist_save", args=["org-a", 2568, "o1"]),
        {"o1-status": "done", "o1-evidence_url": "http://[x]", "o1-version": "0"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400 and "URL" in response.json()["message"]
    response = staff_client.post(
        reverse("checklist", args=["org-a", 2568]), {"o1-status": "done", "o1-evidence_url": "http://[x]"}
    )
    assert response.status_code == 200 and "ยังไม่ได้บันทึก" in response.content.decode()
    assert not OitChecklistItem.objects.exists()


@pytest.mark.parametrize("value", [str(10**25), "-1", "99999999999999999999999999999999"])
def test_a_huge_issue_number_on_the_measure_form_is_a_thai_message(staff_client, assessment_a, value):
    data = {"title": "มาตรการทดสอบ", "issues": [value], "period_text": "ตลอดปีงบประมาณ"}
    response = staff_client.post(reverse("measure_new", args=["org-a", 2568]), data)
    assert response.status_code == 200
    assert "มาตรการทดสอบ" in response.content.decode()  # the form keeps what was typed
    assert not Measure.objects.exists()


@pytest.mark.parametrize("field", ["units", "questions"])
def test_a_huge_id_in_any_choice_of_the_measure_form_is_refused(staff_client, assessment_a, field):
    data = {"title": "มาตรการทดสอบ", field: [str(10**25)], "period_text": "ตลอดปีงบประมาณ"}
    response = staff_client.post(reverse("measure_new", args=["org-a", 2568]), data)
    assert response.status_code == 200 and not Measure.objects.exists()


# --- the dossier ----------------------------------------------------------------------------


@pytest.fixture
def good(assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a)
    make_progress(m, rounds[0], status="done", output="ทำแล้ว")
    data = export_dossier(assessment_a.organisation, 2568)
    data["organisation"]["slug"] = "new-org"
    return data


def _refused(data, message):
    before = (Organisation.objects.count(), Measure.objects.count(), Progress.objects.count())
    with pytest.raises(DossierError, match=message):
        import_dossier(json.dumps(data, ensure_ascii=False))
    assert (Organisation.objects.count(), Measure.objects.count(), Progress.objects.count()) == before


def test_a_dossier_link_with_brackets_is_named(good):
    good["organisation"]["website"] = "http://[x]"
    _refused(good, r"organisation\.website")
    good["organisation"]["website"] = ""
    good["measures"][0]["progress"][0]["evidence"] = ["http://[x]"]
    _refused(good, r"measures\[0\]\.progress\[0\]\.evidence\[0\]")


def test_a_duplicated_analysis_issue_is_named(good):
    good["analysis"] = [
        {"issue": 1, "analysis": "ก", "improvement": ""},
        {"issue": 1, "analysis": "ข", "improvement": ""},
    ]
    _refused(good, r"analysis\[1\]\.issue: ประเด็นที่ 1 ซ้ำ")


def test_ten_thousand_analysis_rows_are_refused_at_the_first_repeat(good):
    good["analysis"] = [{"issue": 1 + i % 7, "analysis": "ก", "improvement": ""} for i in range(10_000)]
    _refused(good, r"analysis\[7\]\.issue: ประเด็นที่ 1 ซ้ำ")


def test_a_duplicated_round_date_is_named(good):
    good["rounds"].append(dict(good["rounds"][0], name="รอบซ้ำ"))
    _refused(good, r"rounds\[2\]\.as_of: .*ซ้ำ")


def test_a_duplicated_progress_round_is_named(good):
    progress = good["measures"][0]["progress"]
    progress.append(dict(progress[0]))
    _refused(good, r"measures\[0\]\.progress\[1\]\.round: รอบนี้ซ้ำ")


@pytest.mark.parametrize("key", ["abc", "", "1.5", "99999999999999999999999"])
def test_an_indicator_key_that_is_no_number_is_named(good, key):
    good["results"]["indicator_scores"][key] = "50.00"
    _refused(good, "results.ตัวชี้วัด")


def test_the_command_names_the_file_and_changes_nothing(good, tmp_path):
    good["rounds"].append(dict(good["rounds"][0]))
    path = tmp_path / "dossier-2568.json"
    path.write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"dossier-2568\.json.*rounds\[2\]"):
        call_command("import_dossier", str(path))
    assert not Organisation.objects.filter(slug="new-org").exists()
