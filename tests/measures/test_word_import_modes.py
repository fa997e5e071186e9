"""Issue #24: a Word report is this year's plan or this year's results, chosen by the user; last
year's O26 into the new year brings measures and steps moved to the new year, not last year's results."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from measures.models import Measure, MeasureStep, Progress, StepProgress
from measures.services import ensure_rounds, reporting_round
from measures.word_import import PLAN, RESULTS, WordImportError, apply_plan, plan_import
from tests.factories import make_assessment
from tests.measures import word_fixtures as wf

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_year(org_a):
    return make_assessment(org_a, year=2570, scores=False)  # fiscal year 2571


@pytest.fixture
def same_year(org_a):
    return make_assessment(org_a, year=2569, scores=False)  # fiscal year 2570


@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_the_preview_knows_the_documents_fiscal_year_and_defaults_to_plan_in_another_year(new_year, digits):
    plan = plan_import(wf.last_year_o26(digits), new_year).to_dict()
    assert (plan["fiscal_year"], plan["target_year"], plan["mode"]) == (2570, 2571, PLAN)


def test_the_documents_own_year_defaults_to_results(same_year):
    plan = plan_import(wf.last_year_o26(), same_year).to_dict()
    assert (plan["fiscal_year"], plan["target_year"], plan["mode"]) == (2570, 2570, RESULTS)


def test_last_years_o26_as_plan_has_no_results_and_dates_in_the_new_year(new_year):
    ensure_rounds(new_year)
    plan = plan_import(wf.last_year_o26(), new_year).to_dict()
    assert apply_plan(new_year, plan) == 2
    first = Measure.objects.get(assessment=new_year, order=1)
    assert first.title == "มาตรการเผยแพร่ข้อมูล ประจำปีงบประมาณ ๒๕๗๑"
    assert (first.period_start, first.period_end) == (datetime.date(2027, 10, 1), datetime.date(2028, 9, 30))
    assert [s.text for s in first.steps.all()] == ["จัดทำแผนเผยแพร่", "เผยแพร่บนเว็บไซต์"]
    second = Measure.objects.get(assessment=new_year, order=2)
    assert second.period_text == "ธ.ค. 2570 – ม.ค. 2571"
    assert [u.name for u in second.units.all()] == ["กองคลัง"]
    assert not Progress.objects.exists() and not StepProgress.objects.exists()


def test_results_of_another_year_are_refused(new_year):
    rounds = ensure_rounds(new_year)
    plan = plan_import(wf.last_year_o26(), new_year).to_dict()
    with pytest.raises(WordImportError, match="ปีงบประมาณ พ.ศ. 2570 นำเข้าเป็นผลของปีงบประมาณ พ.ศ. 2571 ไม่ได้"):
        apply_plan(new_year, plan, rounds[0])
    assert not Measure.objects.exists()


def test_results_of_this_year_go_into_the_round_chosen(same_year):
    rounds = ensure_rounds(same_year)
    plan = plan_import(wf.last_year_o26(), same_year).to_dict()
    apply_plan(same_year, plan, rounds[0])
    progress = Progress.objects.get(measure__order=1)
    assert progress.round == rounds[0] and progress.output == "ดำเนินการแล้ว เผยแพร่ครบ ๑๒ เดือน"
    assert Measure.objects.get(order=1).period_start == datetime.date(2026, 10, 1)  # not moved


def _upload(client, raw, fy):
    return client.post(reverse("word_import", args=["org-a", fy]), {"file": SimpleUploadedFile("o26.docx", raw)})


def test_the_page_warns_naming_both_years_and_saves_a_plan(staff_client, new_year):
    page = _upload(staff_client, wf.last_year_o26(), 2571).content.decode()
    assert 'id="word-year-warning"' in page
    assert "ปีงบประมาณ พ.ศ. 2570" in page and "ปีงบประมาณ พ.ศ. 2571" in page
    assert 'value="results"' in page and "disabled" in page  # results cannot be chosen
    # The preview shows what will be saved: periods and titles of 2571, no results of 2570.
    assert "๑ ต.ค. ๗๐ – ๓๐ ก.ย. ๗๑" in page and "ประจำปีงบประมาณ ๒๕๗๑" in page
    assert "เผยแพร่ครบ" not in page
    response = staff_client.post(reverse("word_import", args=["org-a", 2571]), {"confirm": "1", "as": "results"})
    assert response.status_code == 200 and "นำเข้าเป็นผลของปีงบประมาณ" in response.content.decode()
    assert not Measure.objects.exists()
    response = staff_client.post(reverse("word_import", args=["org-a", 2571]), {"confirm": "1", "as": "plan"})
    assert response.status_code == 302
    assert Measure.objects.filter(assessment=new_year).count() == 2 and not Progress.objects.exists()


def test_the_page_offers_results_into_the_round_being_reported(staff_client, same_year):
    rounds = ensure_rounds(same_year)
    page = _upload(staff_client, wf.last_year_o26(), 2570).content.decode()
    assert 'id="word-year-warning"' not in page
    now = reporting_round(rounds)
    assert f'<option value="{now.pk}" selected>' in page
    response = staff_client.post(
        reverse("word_import", args=["org-a", 2570]), {"confirm": "1", "as": "results", "round": str(rounds[0].pk)}
    )
    assert response.status_code == 302
    assert Progress.objects.get(measure__order=1).round == rounds[0]


def test_the_command_imports_as_plan_or_results(new_year, same_year, tmp_path, capsys):
    path = tmp_path / "o26.docx"
    path.write_bytes(wf.last_year_o26())
    with pytest.raises(CommandError, match="นำเข้าเป็นผลของปีงบประมาณ"):
        call_command("import_report", str(path), "--org", "org-a", "--year", "2571", "--as", "results")
    call_command("import_report", str(path), "--org", "org-a", "--year", "2571")  # plan by default
    assert "ปีงบประมาณ พ.ศ. 2570" in capsys.readouterr().out
    assert Measure.objects.filter(assessment=new_year).count() == 2 and not Progress.objects.exists()
    rounds = ensure_rounds(same_year)
    call_command(
        "import_report", str(path), "--org", "org-a", "--year", "2570", "--as", "results",
        "--round", rounds[0].as_of.isoformat(),
    )  # fmt: skip
    assert Progress.objects.filter(round=rounds[0]).count() == 2
    assert MeasureStep.objects.filter(measure__assessment=same_year).count() == 3
