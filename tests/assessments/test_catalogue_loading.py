import shutil

import pytest
from django.core.management import call_command

from assessments.catalogue import CATALOGUE_DIR, CatalogueError, load_catalogue
from assessments.models import Indicator, Instrument, Issue, ItaYear, LevelRule, Question

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "iit", "eit", "oit", "issues", "levels"),
    [
        (2563, 0, 0, 47, 10, 7),
        (2567, 15, 9, 35, 7, 2),
        (2568, 15, 9, 26, 7, 5),
        (2569, 15, 9, 26, 7, 5),
        (2570, 15, 9, 26, 7, 5),
    ],
)
def test_each_year_has_its_own_catalogue(catalogue, year, iit, eit, oit, issues, levels):
    ita = ItaYear.objects.get(year=year)
    questions = Question.objects.filter(ita_year=ita)
    assert questions.filter(instrument=Instrument.IIT).count() == iit
    assert questions.filter(instrument=Instrument.EIT).count() == eit
    assert questions.filter(instrument=Instrument.OIT).count() == oit
    assert Issue.objects.filter(ita_year=ita).count() == issues
    assert Indicator.objects.filter(ita_year=ita).count() == 10
    assert LevelRule.objects.filter(ita_year=ita).count() == levels


def test_2567_is_confirmed_and_2568_is_marked_unconfirmed(catalogue):
    assert ItaYear.objects.get(year=2567).confirmed
    y2568 = ItaYear.objects.get(year=2568)
    assert not y2568.confirmed
    assert "ยังไม่ยืนยัน" in str(y2568)


def test_texts_are_transcribed_from_the_references(catalogue):
    q = {q.code: q for q in Question.objects.filter(ita_year__year=2567)}
    assert q["i3"].text == "เจ้าหน้าที่ในหน่วยงานของท่าน มีการเรียก รับสินบน เพื่อแลกกับการปฏิบัติงานหรือการให้บริการหรือไม่"
    assert q["e9"].text == "ท่านเคยใช้งานระบบการให้บริการออนไลน์ (E-Service) ของหน่วยงานหรือไม่"
    assert q["o26"].text == "ประกาศเจตนารมณ์นโยบาย No Gift Policy จากการปฏิบัติหน้าที่"
    assert "(12) วันสิ้นสุดสัญญา" in q["o16"].components
    assert q["o16"].subindicator.code == "9.3"
    assert q["o34"].subindicator.code == "10.2"
    assert "อีเมลเจ้าหน้าที่" in q["o3"].notes  # the conflicting title is recorded, not hidden


def test_a_question_can_sit_in_two_issues(catalogue):
    o15 = Question.objects.get(ita_year__year=2567, code="o15")
    assert sorted(o15.issues.values_list("number", flat=True)) == [5, 6]


def test_issue_mapping_matches_the_spec(catalogue):
    issue7 = Issue.objects.get(ita_year__year=2567, number=7)
    codes = list(issue7.questions.order_by("issuequestion__order").values_list("code", flat=True))
    assert codes == ["i13", "i14", "i15", "o22", "o23", "o24"] + [f"o{n}" for n in range(26, 36)]


def test_rerun_changes_nothing(catalogue):
    report = load_catalogue()
    assert report.changed == 0


def test_command_reports_what_changed(catalogue, capsys):
    Question.objects.filter(ita_year__year=2567, code="i1").update(text="แก้ผิด")
    call_command("load_catalogue")
    out = capsys.readouterr().out
    assert "ข้อคำถาม: แก้ไข 1" in out
    assert Question.objects.get(ita_year__year=2567, code="i1").text.startswith("การปฏิบัติงาน")


def test_a_new_year_is_data_only(catalogue, tmp_path):
    shutil.copy(CATALOGUE_DIR / "2567.yaml", tmp_path / "2567.yaml")
    (tmp_path / "2571.yaml").write_text("year: 2571\nbased_on: 2567\nconfirmed: false\n", encoding="utf-8")
    load_catalogue(tmp_path, years=[2571])
    assert Question.objects.filter(ita_year__year=2571).count() == 59
    # A copied item carries on the same item of the year it copies, and is only inferred.
    o1 = Question.objects.get(ita_year__year=2571, code="o1")
    assert [(q.ita_year.year, q.code) for q in o1.continues.all()] == [(2567, "o1")]
    assert o1.confidence == "inferred"


def test_broken_file_loads_nothing(catalogue, tmp_path):
    (tmp_path / "2571.yaml").write_text(
        "year: 2571\nrules: {weak_threshold: 85}\nlevels: [{label: x, min: 0}]\n"
        "indicators: [{number: 1, name: a, instrument: IIT, method: mean_questions}]\n"
        "questions: [{code: i1, indicator: 9, text: x}]\nissues: [{number: 1, name: a, questions: [i1]}]\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="ตัวชี้วัด"):
        load_catalogue(tmp_path)
    assert not ItaYear.objects.filter(year=2571).exists()
