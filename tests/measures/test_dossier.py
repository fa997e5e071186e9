import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, Organisation
from measures.dossier import DossierError, dumps, export_dossier, import_dossier
from measures.models import Measure
from tests.factories import make_assessment, make_measure, make_org

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "assessments" / "demo" / "don-kaeo-2568.json"


def _flush_org_data():
    Organisation.objects.all().delete()


def test_round_trip_gives_identical_json(catalogue, tmp_path):
    import_dossier(DEMO.read_bytes())
    first = dumps(export_dossier(Organisation.objects.get(slug="don-kaeo"), 2568))
    _flush_org_data()
    assert not Assessment.objects.exists()
    path = tmp_path / "d.json"
    path.write_text(first, encoding="utf-8")
    call_command("import_dossier", str(path))
    out = tmp_path / "again.json"
    call_command("export_dossier", "--org", "don-kaeo", "--year", "2568", "--out", str(out))
    assert out.read_text(encoding="utf-8") == first


def _as_html(text):
    return text if text.startswith("<") else f"<p>{text}</p>"  # rich fields are stored as HTML


def _full_dossier():
    """The demo file with every optional field filled, so that a field lost on import shows."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["results"]["instrument_scores"] = {"IIT": 97.08, "EIT": 89.27, "OIT": 82.86}
    data["limitations"] = "<p>บุคลากรมีจำนวนจำกัด</p>"
    data["measures"][0]["period_text"] = "ตลอด ปีงบประมาณ พ.ศ.2568"
    data["measures"][0].update(responsible_person="นายสมชาย รักงาน ปลัด อบต.", due_date="2025-01-31")
    data["measures"][1].update(period_start="2024-11-01", period_end="2025-03-31")
    data["measures"][2]["issues"] = [2, 5]
    for m in data["measures"]:
        m["follow_up"] = _as_html(m["follow_up"])
    data["measures"][3]["progress"][0].update(done_on="2025-02-28")
    data["oit_checklist"][4]["unit"] = "กองคลัง"
    # Version 2: a step with its own period, units and result per round, beside bare steps.
    data["version"] = 2
    data["measures"][4]["steps"][0] = {
        "text": data["measures"][4]["steps"][0],
        "period_start": "2024-10-01",
        "period_end": "2024-12-31",
        "period_text": "",
        "responsible_person": "นางสาวสมศรี ใจดี",
        "due_date": "2024-12-15",
        "units": ["สำนักปลัด", "กองคลัง"],  # two units, in the file's unit order
        "progress": [
            {
                "round": "2025-03-31",
                "status": "done",
                "output": "จัดประชุม ๒ ครั้ง",
                "outcome": "ผู้เข้าร่วม 45 คน",
                "done_on": "2024-12-20",
                "evidence": ["https://donkaeo.go.th/ita/step1", "https://donkaeo.go.th/ita/step1-photos"],
            }
        ],
    }
    data["measures"][4]["steps"][1] = {
        "text": data["measures"][4]["steps"][1],
        "period_start": None,
        "period_end": None,
        "period_text": "ม.ค.-เม.ย. 68",
        "units": [],
        "progress": [],
    }
    # A step that says only who does it (units, no period, no result) is an object too.
    data["measures"][4]["steps"][2] = {"text": data["measures"][4]["steps"][2], "units": ["กองช่าง"]}
    for a in data["analysis"]:
        a["analysis"], a["improvement"] = _as_html(a["analysis"]), _as_html(a["improvement"])
    return data


def _assert_kept(original, exported, path="$"):
    """Every value of the original is in the export, at the same place (extra keys only if empty)."""
    if isinstance(original, dict):
        assert isinstance(exported, dict), path
        for key, value in original.items():
            assert key in exported, f"{path}.{key} lost"
            _assert_kept(value, exported[key], f"{path}.{key}")
        assert all(not v for k, v in exported.items() if k not in original), path
    elif isinstance(original, list):
        assert len(original) == len(exported), path
        for i, (a, b) in enumerate(zip(original, exported, strict=True)):
            _assert_kept(a, b, f"{path}[{i}]")
    elif isinstance(original, float | int) and not isinstance(original, bool):
        assert Decimal(str(exported)) == Decimal(str(original)), path
    else:
        assert exported == original, (path, original, exported)


def test_export_of_an_import_keeps_every_value_of_the_original_file(catalogue):
    """Compared with the file the user gave, not with a second export: a field dropped on both
    import and export (organisation district, step text, done_on, checklist unit…) fails here."""
    original = _full_dossier()
    import_dossier(json.dumps(original, ensure_ascii=False).encode())
    exported = export_dossier(Organisation.objects.get(slug="don-kaeo"), 2568)
    _assert_kept(original, exported)


def test_dossier_covers_the_whole_year(catalogue):
    import_dossier(DEMO.read_bytes())
    data = export_dossier(Organisation.objects.get(slug="don-kaeo"), 2568)
    assert data["fiscal_year"] == 2568 and data["ita_year"] == 2567
    assert len(data["results"]["question_scores"]) == 59
    assert len(data["analysis"]) == 7
    assert len(data["measures"]) >= 12
    assert all(len(m["progress"]) == 2 for m in data["measures"])
    assert len(data["oit_checklist"]) == 35


def _broken(mutate):
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    mutate(data)
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["measures"][3].update(units=["กองที่ไม่มี"]), r"measures\[3\]\.units\[0\]: ไม่มีส่วนราชการ"),
        (lambda d: d["measures"][5]["progress"][1].update(status="finished"), r"measures\[5\]\.progress\[1\]\.status"),
        (lambda d: d["results"]["question_scores"].update(i4="๑๒๐"), r"results\.i4: คะแนน ๑๒๐ เกิน 100"),
        (lambda d: d["measures"][0].update(period_start="1 ต.ค. 67"), r"measures\[0\]\.period_start: วันที่"),
        (lambda d: d.update(ita_year=2566), r"ita_year: ต้องเป็น 2567"),
        (lambda d: d["oit_checklist"][34].update(question="i1"), r"oit_checklist\[34\]\.question"),
    ],
)
def test_broken_file_changes_nothing_and_names_the_field(catalogue, mutate, message):
    import_dossier(DEMO.read_bytes())
    before = dumps(export_dossier(Organisation.objects.get(slug="don-kaeo"), 2568))
    with pytest.raises(DossierError, match=message):
        import_dossier(_broken(mutate))
    after = dumps(export_dossier(Organisation.objects.get(slug="don-kaeo"), 2568))
    assert after == before


def test_broken_file_into_empty_database_creates_nothing(catalogue, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(_broken(lambda d: d["measures"][11].update(title=None)), encoding="utf-8")
    with pytest.raises(CommandError, match=r"measures\[11\]\.title"):
        call_command("import_dossier", str(path))
    assert not Organisation.objects.exists()
    assert not Measure.objects.exists()


def test_not_json_is_refused_in_thai(catalogue):
    with pytest.raises(DossierError, match="ไม่ใช่ JSON"):
        import_dossier(b"{not json")


def test_export_of_unknown_year_says_so(catalogue):
    import_dossier(DEMO.read_bytes())
    with pytest.raises(CommandError, match="ไม่มีผลการประเมินสำหรับปีงบประมาณ 2570"):
        call_command("export_dossier", "--org", "don-kaeo", "--year", "2570")


def test_export_holds_only_the_organisation_asked_for(catalogue):
    import_dossier(DEMO.read_bytes())
    other = make_org(slug="org-b", name="เทศบาลตำบลบี")
    make_measure(make_assessment(other, year=2567), title="มาตรการของเทศบาลตำบลบีเท่านั้น")
    data = export_dossier(other, 2568)
    assert data["organisation"]["slug"] == "org-b"
    assert [m["title"] for m in data["measures"]] == ["มาตรการของเทศบาลตำบลบีเท่านั้น"]
    assert data["analysis"] == [] and data["oit_checklist"] == []
    assert len(export_dossier(Organisation.objects.get(slug="don-kaeo"), 2568)["measures"]) >= 12


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["measures"][0]["progress"][0].update(round="2025-06-30"),
            "measures[0].progress[0].round: ไม่มีรอบรายงาน ณ 30 มิถุนายน 2568 (2025-06-30) ใน rounds",
        ),
        (
            lambda d: d["measures"][0]["progress"][0].update(evidence=["https://donkaeo.go.th/a", ""]),
            "measures[0].progress[0].evidence[1]: ต้องเป็นลิงก์ http:// หรือ https://",
        ),
        (
            lambda d: d["measures"][0]["progress"][0].update(evidence=["javascript:alert(1)"]),
            "measures[0].progress[0].evidence[0]: ต้องเป็นลิงก์ http:// หรือ https://",
        ),
        (lambda d: d["measures"][4]["steps"].__setitem__(1, "   "), "measures[4].steps[1].text: ไม่มีค่า (จำเป็นต้องมี)"),
        (
            lambda d: d["measures"][0]["progress"][0].update(done_on="2025-02-30"),
            "measures[0].progress[0].done_on: วันที่ “2025-02-30” ไม่ถูกต้อง (ใช้รูปแบบ YYYY-MM-DD ค.ศ.)",
        ),
        (
            lambda d: d["measures"][4]["steps"].__setitem__(0, {"text": "ประชุม", "due_date": "2025-02-29"}),
            "measures[4].steps[0].due_date: วันที่ “2025-02-29” ไม่ถูกต้อง (ใช้รูปแบบ YYYY-MM-DD ค.ศ.)",
        ),
        (
            lambda d: d["measures"][4]["steps"].__setitem__(0, {"text": "ประชุม", "period_text": "ก" * 301}),
            "measures[4].steps[0].period_text: ยาวเกิน 300 ตัวอักษร (301)",
        ),
        (
            lambda d: d["measures"][4]["steps"].__setitem__(0, {"text": "ประชุม", "responsible_person": "ข" * 201}),
            "measures[4].steps[0].responsible_person: ยาวเกิน 200 ตัวอักษร (201)",
        ),
        (
            lambda d: d["measures"][4]["steps"].__setitem__(0, {"text": "ประชุม", "units": ["กองที่ไม่มี"]}),
            "measures[4].steps[0].units[0]: ไม่มีส่วนราชการ “กองที่ไม่มี”",
        ),
        (
            lambda d: d["measures"][4]["steps"].__setitem__(
                0, {"text": "ประชุม", "period_start": "2025-01-31", "period_end": "2025-01-30"}
            ),
            "measures[4].steps[0].period_end: สิ้นสุดก่อนวันเริ่ม",
        ),
    ],
)
def test_a_wrong_value_the_schema_cannot_see_is_named_exactly(catalogue, mutate, message):
    with pytest.raises(DossierError) as caught:
        import_dossier(_broken(mutate))
    assert str(caught.value) == message
    assert not Measure.objects.exists()


def test_a_result_or_checklist_row_that_leaves_out_its_texts_imports_them_blank(catalogue):
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    for key in ("evidence", "output", "outcome"):
        data["measures"][0]["progress"][0].pop(key, None)
    data["oit_checklist"][0].pop("description", None)
    import_dossier(json.dumps(data, ensure_ascii=False))
    exported = export_dossier(Organisation.objects.get(slug="don-kaeo"), 2568)
    progress = exported["measures"][0]["progress"][0]
    assert (progress["evidence"], progress["output"], progress["outcome"]) == ([], "", "")
    assert exported["oit_checklist"][0]["description"] == ""


def test_a_year_without_scores_is_exported_with_empty_scores(catalogue, org_a):
    make_assessment(org_a, year=2567, scores=False)
    results = export_dossier(org_a, 2568)["results"]
    assert results == {
        "overall_score": None,
        "level": "",
        "instrument_scores": {},
        "indicator_scores": {},
        "question_scores": {},
    }


def test_a_one_day_step_is_kept(catalogue):
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["version"] = 2
    data["measures"][4]["steps"][0] = {"text": "ประชุมชี้แจง", "period_start": "2025-01-30", "period_end": "2025-01-30"}
    import_dossier(json.dumps(data, ensure_ascii=False))
    step = Measure.objects.get(order=5).steps.get(order=1)
    assert (step.text, step.period_start, step.period_end) == ("ประชุมชี้แจง", date(2025, 1, 30), date(2025, 1, 30))


def test_export_runs_a_bounded_number_of_queries(catalogue, django_assert_num_queries):
    """The demo year (14 measures, their steps, two rounds, 59 scores, 35 OIT rows) in a fixed
    number of queries: never one per measure, step, score or analysis."""
    original = _full_dossier()
    import_dossier(json.dumps(original, ensure_ascii=False))
    org = Organisation.objects.get(slug="don-kaeo")
    with django_assert_num_queries(18):  # +1: the typed item titles
        export_dossier(org, 2568)


def test_units_are_exported_in_the_organisations_order(catalogue, org_a):
    from assessments.models import Unit

    make_assessment(org_a, year=2567, scores=False)
    units = list(org_a.units.order_by("id"))
    Unit.objects.filter(pk=units[0].pk).update(order=99)  # the first made is moved last
    Unit.objects.filter(pk__in=[u.pk for u in units[1:]]).update(order=1)  # the rest tie: made first, first
    names = export_dossier(org_a, 2568)["units"]
    assert names == [u.name for u in units[1:]] + [units[0].name]


def test_question_codes_in_either_case_link_the_years_items(catalogue):
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["measures"][0]["questions"] = ["O9", "i1"]
    import_dossier(json.dumps(data, ensure_ascii=False))
    measure = Measure.objects.get(order=1)
    assert sorted(measure.questions.values_list("code", flat=True)) == ["i1", "o9"]


def test_a_text_of_exactly_the_limit_is_kept_one_more_is_refused(catalogue):
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["oit_checklist"][0]["description"] = "ก" * 20_000
    import_dossier(json.dumps(data, ensure_ascii=False))
    data["oit_checklist"][0]["description"] += "ข"
    with pytest.raises(DossierError) as caught:
        import_dossier(json.dumps(data, ensure_ascii=False))
    assert str(caught.value) == "oit_checklist[0].description: ยาวเกิน 20,000 ตัวอักษร (20,001)"


def test_a_checklist_row_without_a_unit_is_exported_with_none(catalogue, org_a):
    from measures.models import OitChecklistItem

    assessment = make_assessment(org_a, year=2567, scores=False)
    question = assessment.ita_year.questions.get(code="o1")
    OitChecklistItem.objects.create(assessment=assessment, question=question, status="done")
    assert export_dossier(org_a, 2568)["oit_checklist"] == [
        {"question": "o1", "unit": None, "status": "done", "description": "", "evidence_url": ""}
    ]


def test_a_year_with_bare_steps_only_is_written_as_version_1(catalogue, org_a):
    """So that a portal not yet upgraded to version 2 still reads it."""
    assessment = make_assessment(org_a, year=2567, scores=False)
    make_measure(assessment, steps=2)
    assert export_dossier(org_a, 2568)["version"] == 1
    step = assessment.measures.get().steps.first()
    step.period_text = "ต.ค. 67"
    step.save()
    assert export_dossier(org_a, 2568)["version"] == 2


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ข้อมูล".encode("cp874"), "ไฟล์ต้องเป็นข้อความ UTF-8 (บันทึกไฟล์ใหม่เป็น UTF-8 แล้วลองอีกครั้ง)"),
        ("[" * 100_000 + "]" * 100_000, "ไฟล์ซ้อนกันลึกเกินไป ไม่ใช่แฟ้มข้อมูลของระบบ"),
        ("[1, 2]", "ไฟล์ต้องเป็นชุดข้อมูล JSON ({…}) ของหน่วยงานหนึ่งปี"),
        ('{"format": "ita-portal-dossier",}', "ไฟล์ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด 1 คอลัมน์ 33)"),
    ],
    ids=["not-utf8", "nested-too-deep", "not-an-object", "broken-json"],
)
def test_a_file_that_is_not_a_dossier_is_refused_with_its_reason(catalogue, raw, message):
    with pytest.raises(DossierError) as caught:
        import_dossier(raw)
    assert str(caught.value) == message


def test_a_dossier_already_read_as_data_imports_too(catalogue):
    import_dossier(json.loads(DEMO.read_text(encoding="utf-8")))
    assert Organisation.objects.filter(slug="don-kaeo").exists()


def test_a_step_with_two_results_for_one_round_is_refused(catalogue):
    def twice(d):
        result = {"round": "2025-03-31", "status": "done"}
        d["measures"][4]["steps"][0] = {"text": "ประชุม", "progress": [result, dict(result)]}

    with pytest.raises(DossierError) as caught:
        import_dossier(_broken(twice))
    assert str(caught.value) == "measures[4].steps[0].progress[1].round: รอบนี้ซ้ำในขั้นตอนเดียวกัน"


def test_a_title_of_exactly_500_characters_is_kept(catalogue):
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["measures"][0]["title"] = "ม" * 500
    import_dossier(json.dumps(data, ensure_ascii=False))
    assert Measure.objects.get(order=1).title == "ม" * 500
