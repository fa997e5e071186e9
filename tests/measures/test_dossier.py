import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, Organisation
from measures.dossier import DossierError, dumps, export_dossier, import_dossier
from measures.models import Measure

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
