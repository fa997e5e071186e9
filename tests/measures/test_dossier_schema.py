"""The dossier's JSON Schema (measures/dossier.schema.json): shipped, true to what export writes,
and used by import so that every wrong value is named by its path in Thai."""

import json

import jsonschema
import pytest

from assessments.models import Organisation
from measures.dossier import SCHEMA_PATH, DossierError, export_dossier, import_dossier
from measures.models import Measure
from tests.measures.test_dossier import DEMO, _full_dossier

pytestmark = pytest.mark.django_db


def _schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_the_demo_file_and_every_export_follow_the_shipped_schema(catalogue):
    jsonschema.Draft202012Validator.check_schema(_schema())
    validator = jsonschema.Draft202012Validator(_schema())
    assert list(validator.iter_errors(json.loads(DEMO.read_text(encoding="utf-8")))) == []
    import_dossier(json.dumps(_full_dossier(), ensure_ascii=False).encode())  # version 2 steps too
    exported = export_dossier(Organisation.objects.get(slug="don-kaeo"), 2568)
    assert exported["version"] == 2 and list(validator.iter_errors(exported)) == []


def _refused(mutate):
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(DossierError) as caught:
        import_dossier(json.dumps(data, ensure_ascii=False).encode())
    return str(caught.value).splitlines()


def test_an_unknown_key_is_refused_not_silently_dropped(catalogue):
    lines = _refused(lambda d: d["oit_checklist"][4].update(done_on="2025-01-15"))
    assert lines == ["oit_checklist[4].done_on: ไม่รู้จักช่องนี้ (สะกดผิด หรือไม่ใช่ช่องของแฟ้ม)"]
    assert not Measure.objects.exists()  # nothing imported


def test_every_wrong_value_is_named_at_once_in_thai(catalogue):
    def break_several(d):
        d["fiscal_year"] = "2568"
        d["measures"][2]["progress"][0]["status"] = "เสร็จ"
        del d["measures"][3]["title"]
        d["measures"][4]["steps"][1] = 7
        d["rounds"][0]["as_of"] = "31/3/2568"

    lines = _refused(break_several)
    assert lines == [
        "fiscal_year: ต้องเป็นจำนวนเต็ม",
        "measures[2].progress[0].status: ต้องเป็นหนึ่งใน not_started, in_progress, done",
        "measures[3].title: ไม่มีค่า (จำเป็นต้องมี)",
        "measures[4].steps[1]: ขั้นตอนต้องเป็นข้อความ หรือออบเจกต์ที่มี text",
        "rounds[0].as_of: วันที่ต้องเป็นรูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2024-10-01 ได้ “31/3/2568”",
    ]


def test_a_file_with_many_mistakes_lists_the_first_ten_and_counts_the_rest(catalogue):
    def break_all_titles(d):
        for m in d["measures"]:
            m["title"] = None

    lines = _refused(break_all_titles)
    count = len(json.loads(DEMO.read_text(encoding="utf-8"))["measures"])
    assert len(lines) == 11 and lines[:3] == [f"measures[{i}].title: ต้องเป็นข้อความ" for i in range(3)]
    assert lines[9] == "measures[9].title: ต้องเป็นข้อความ"  # in the file's order: 9 before 10
    assert lines[-1] == f"… และอีก {count - 10} รายการ"


def test_ten_mistakes_are_all_listed_with_no_count_of_more(catalogue):
    def break_ten_titles(d):
        for m in d["measures"][:10]:
            m["title"] = None

    lines = _refused(break_ten_titles)
    assert lines == [f"measures[{i}].title: ต้องเป็นข้อความ" for i in range(10)]


@pytest.mark.parametrize(
    "mutate, line",
    [
        (lambda d: d.update(format="ita-dossier"), "format: ต้องเป็น “ita-portal-dossier”"),
        (lambda d: d.update(fiscal_year=2400), "fiscal_year: ต้องไม่น้อยกว่า 2500"),
        (lambda d: d.update(ita_year=2800), "ita_year: ต้องไม่เกิน 2700"),
        (lambda d: d.update(limitations=5), "limitations: ต้องเป็นข้อความ หรือ null"),
        (lambda d: d["analysis"][0].update(issue=0), "analysis[0].issue: ต้องไม่น้อยกว่า 1"),
        (
            lambda d: d["results"].update(instrument_scores={"IIT": "90.00", "XIT": "80.00"}),
            "results.instrument_scores: ชื่อ “XIT” ใช้ไม่ได้ (ต้องเป็นหนึ่งใน IIT, EIT, OIT)",
        ),
    ],
)
def test_each_kind_of_wrong_value_has_its_own_thai_line(catalogue, mutate, line):
    assert _refused(mutate) == [line]
    assert not Measure.objects.exists()


def test_a_rule_without_its_own_wording_still_gives_a_thai_line_with_its_place():
    """A rule added to the schema later (or a `false` schema) is never an English or empty message."""
    from measures.dossier import _shape_message

    def lines(schema, instance):
        errors = jsonschema.Draft202012Validator(schema).iter_errors(instance)
        return [line for error in errors for line in _shape_message(error)]

    assert lines({"minLength": 2}, "ก") == ["ไฟล์: ค่าไม่ถูกต้อง"]
    assert lines({"properties": {"a": False}}, {"a": 1}) == ["ไฟล์: ค่าไม่ถูกต้อง"]
    assert lines({"type": "object", "additionalProperties": False}, {"a": 1}) == [
        "a: ไม่รู้จักช่องนี้ (สะกดผิด หรือไม่ใช่ช่องของแฟ้ม)"
    ]


def test_the_file_is_readable_thai_indented_in_export_order():
    from measures.dossier import dumps

    text = dumps({"format": "ita-portal-dossier", "organisation": {"name": "อบต.ระเว"}, "fiscal_year": 2568})
    assert text == (
        '{\n  "format": "ita-portal-dossier",\n  "organisation": {\n    "name": "อบต.ระเว"\n  },\n'
        '  "fiscal_year": 2568\n}\n'
    )


def test_the_schemas_choices_are_the_models_choices():
    """Import leaves the choices to the schema: they must be the ones the database takes."""
    from assessments.models import OrgType
    from measures.models import ChecklistStatus, ProgressStatus

    schema = _schema()
    assert set(schema["properties"]["organisation"]["properties"]["org_type"]["enum"]) == set(OrgType.values)
    assert set(schema["$defs"]["progress"]["properties"]["status"]["enum"]) == set(ProgressStatus.values)
    checklist = schema["properties"]["oit_checklist"]["items"]["properties"]["status"]["enum"]
    assert set(checklist) == set(ChecklistStatus.values)
