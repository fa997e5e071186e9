"""Catalogue files as an administrator meets them: lineage, derived issues, checks with Thai
messages that name the file, line, path and field, and dump → load with no change."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.catalogue import CATALOGUE_DIR, CatalogueError, check_file, dump_yaml, load_catalogue
from assessments.models import Issue, ItaYear, Question

pytestmark = pytest.mark.django_db

GOOD = """year: 2571
confirmed: false
lineage_from: 2569
reports: {o34: O2, o35: null}
rules: {weights: {IIT: "0.3", EIT: "0.3", OIT: "0.4"}, weak_threshold: "85"}
levels:
  - {label: ผ่าน, min: "85"}
  - {label: ต้องปรับปรุง, min: "0"}
indicators:
  - {number: 1, name: หนึ่ง, instrument: IIT, method: mean_questions}
  - {number: 9, name: เก้า, instrument: OIT, method: entered}
questions:
  - {code: i1, indicator: 1, text: ข้อหนึ่ง, continues: [i1]}
  - {code: O1, indicator: 9, text: รายการหนึ่ง, continues: [O1, O3]}
  - {code: O2, indicator: 9, text: รายการสอง, continues: [O25]}
issues: derived
"""


def write(tmp_path, text, name="2571.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def catalogue_with(tmp_path, text):
    for year in (2567, 2568, 2569):
        shutil.copy(CATALOGUE_DIR / f"{year}.yaml", tmp_path / f"{year}.yaml")
    return write(tmp_path, text)


def test_lineage_links_each_item_to_the_items_it_carries_on(catalogue):
    o1 = Question.objects.get(ita_year__year=2568, code="O1")
    assert sorted(q.code for q in o1.continues.all()) == ["o1", "o3"]  # 2567 o1 + o3 merged
    o25 = Question.objects.get(ita_year__year=2569, code="O25")
    assert o25.text == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" and not o25.continues.exists()
    assert ItaYear.objects.get(year=2569).report_code("o34") == "O25"
    assert ItaYear.objects.get(year=2569).report_code("o35") == "O26"
    assert ItaYear.objects.get(year=2567).report_code("o34") == "o34"
    assert ItaYear.objects.get(year=2568).report_code("o34") == ""  # not known: left blank, not invented


def test_unknown_items_stay_visibly_unknown(catalogue):
    o2 = Question.objects.get(ita_year__year=2568, code="O2")
    assert o2.confidence == "unknown" and "ไม่ทราบชื่อรายการ" in o2.text and o2.is_provisional
    assert Question.objects.get(ita_year__year=2568, code="O8").confidence == "confirmed"
    assert Question.objects.get(ita_year__year=2568, code="i1").confidence == "inferred"


def test_a_year_without_a_known_grouping_gets_one_derived_through_the_lineage(catalogue):
    year = ItaYear.objects.get(year=2568)
    assert year.issues_derived and not ItaYear.objects.get(year=2567).issues_derived
    issue3 = Issue.objects.get(ita_year=year, number=3)
    codes = list(issue3.questions.order_by("issuequestion__order").values_list("code", flat=True))
    # 2567 issue 3 is e4 e5 e6 o1–o6: their successors, once each, in the issue's order.
    assert codes == ["e4", "e5", "e6", "O1", "O2", "O3", "O4"]


def test_a_derived_grouping_corrected_in_the_admin_survives_dump_and_load(catalogue, tmp_path):
    issue = Issue.objects.get(ita_year__year=2569, number=7)
    o25 = Question.objects.get(ita_year__year=2569, code="O25")
    issue.issuequestion_set.create(question=o25, order=issue.issuequestion_set.count() + 1)
    path = write(tmp_path, dump_yaml(2569), "2569.yaml")
    report = load_catalogue(paths=[CATALOGUE_DIR / "2567.yaml", CATALOGUE_DIR / "2568.yaml", path])
    assert report.changed == 0
    assert o25 in Issue.objects.get(ita_year__year=2569, number=7).questions.all()


@pytest.mark.parametrize("year", [2563, 2567, 2568, 2569, 2570])
def test_dump_then_load_changes_nothing(catalogue, tmp_path, year):
    dumped = write(tmp_path, dump_yaml(year), f"{year}.yaml")
    others = [CATALOGUE_DIR / f"{y}.yaml" for y in (2563, 2567, 2568, 2569, 2570) if y != year]
    assert load_catalogue(paths=[*others, dumped]).changed == 0


def test_dump_command_writes_yaml_that_checks(catalogue, tmp_path, capsys):
    call_command("dump_catalogue", "--year", "2569")
    path = write(tmp_path, capsys.readouterr().out, "2569.yaml")
    call_command("load_catalogue", "--check", str(path))
    assert "ถูกต้อง — ITA 2569" in capsys.readouterr().out


def test_check_does_not_load(catalogue, tmp_path, capsys):
    path = catalogue_with(tmp_path, GOOD)
    call_command("load_catalogue", "--check", str(path), "--dir", str(tmp_path))
    assert "ถูกต้อง — ITA 2571" in capsys.readouterr().out
    assert not ItaYear.objects.filter(year=2571).exists()
    load_catalogue(tmp_path, years=[2571])
    assert ItaYear.objects.get(year=2571).issues_derived


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("year: 2571\n", "year: 2571\nfoo: 1\n"), "2571.yaml บรรทัด 1 ((ทั้งไฟล์)): ไม่รู้จักช่อง “foo”"),
        (
            ("- {code: i1, indicator: 1, text: ข้อหนึ่ง", "- {code: i1, text: ข้อหนึ่ง"),
            "บรรทัด 13 (questions[0]): ขาดช่อง “indicator”",
        ),  # noqa: E501
        (
            ("indicator: 9, text: รายการสอง", "indicator: เก้า, text: รายการสอง"),
            "บรรทัด 15 (questions[2].indicator): ต้องเป็นจำนวนเต็ม",
        ),  # noqa: E501
        (("method: entered", "method: guess"), "บรรทัด 11 (indicators[1].method): ต้องเป็นค่าใดค่าหนึ่งใน"),
        (('min: "85"', 'min: "850"'), "บรรทัด 7 (levels[0].min): คะแนน “850” ไม่ถูกต้อง"),
        (("code: O2,", "code: X2,"), "บรรทัด 15 (questions[2].code): รหัสข้อ “X2” ไม่ถูกต้อง"),
        (("text: รายการหนึ่ง", "text: ''"), "บรรทัด 14 (questions[1].text): ต้องไม่ว่าง"),
        (
            ("continues: [O1, O3]", "continues: [O1, O99]"),
            "บรรทัด 14 (questions[1].continues[1]): ไม่มีข้อ O99 ใน ITA 2569",
        ),  # noqa: E501
        (("indicator: 9, text: รายการสอง", "indicator: 7, text: รายการสอง"), "(questions[2].indicator): ไม่รู้จักตัวชี้วัดที่ 7"),  # noqa: E501
        (("o34: O2", "o34: O7"), "บรรทัด 4 (reports.o34): ไม่มีข้อ O7 ในปีนี้"),
        (
            ("issues: derived", "issues: [{number: 1, name: ก, questions: [i1, O9]}]"),
            "(issues[0].questions[1]): ไม่มีข้อ O9",
        ),  # noqa: E501
        (("code: O2,", "code: o1,"), "(questions[2].code): รหัสข้อ o1 ซ้ำ"),
        (("lineage_from: 2569\n", ""), "ใช้ “continues” ต้องระบุ lineage_from"),
        (("  - {label: ต้องปรับปรุง", "  - {label: ผ่าน"), "(levels[1].label): ระดับ “ผ่าน” ซ้ำ"),
        (('weak_threshold: "85"}', 'weak_threshold: "85"}\nlevels: [oops'), "2571.yaml บรรทัด"),
    ],
)
def test_every_catalogue_error_is_thai_and_says_where(catalogue, tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    path = catalogue_with(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(CatalogueError) as exc:
        check_file(path, tmp_path)
    assert expected in str(exc.value)
    assert "Traceback" not in str(exc.value)


def test_a_broken_yaml_file_is_named_with_its_line(catalogue, tmp_path):
    path = catalogue_with(tmp_path, "year: 2571\nquestions: [\n  {code: i1\n")
    with pytest.raises(CatalogueError, match=r"2571.yaml บรรทัด \d+: รูปแบบ YAML ไม่ถูกต้อง"):
        check_file(path, tmp_path)


def test_a_file_that_is_not_utf8_gets_a_thai_message(catalogue, tmp_path):
    path = tmp_path / "2571.yaml"
    path.write_bytes("year: 2571\nnotes: ไทย\n".encode("tis-620"))
    with pytest.raises(CatalogueError, match="UTF-8"):
        check_file(path, tmp_path)


def test_the_command_answers_a_broken_file_without_a_traceback(catalogue, tmp_path):
    path = catalogue_with(tmp_path, GOOD.replace("method: entered", "method: guess"))
    with pytest.raises(CommandError, match="ไฟล์มีข้อผิดพลาด"):
        call_command("load_catalogue", "--check", str(path), "--dir", str(tmp_path))
    with pytest.raises(CommandError, match="โหลดแค็ตตาล็อกไม่สำเร็จ ไม่มีการเปลี่ยนแปลง"):
        call_command("load_catalogue", "--dir", str(tmp_path))
    assert not ItaYear.objects.filter(year=2571).exists()


def test_removing_an_item_that_holds_scores_is_refused_in_thai(catalogue, org_a, tmp_path):
    from tests.factories import make_assessment

    make_assessment(org_a, year=2567)
    text = (CATALOGUE_DIR / "2567.yaml").read_text(encoding="utf-8")
    text = text.replace("  - {code: i1, indicator: 1,", "  - {code: i99, indicator: 1,", 1)
    text = text.replace("questions: [i1, i2, i3, o7", "questions: [i99, i2, i3, o7", 1)
    write(tmp_path, text, "2567.yaml")
    with pytest.raises(CatalogueError, match="ลบรายการที่มีข้อมูลของหน่วยงานอ้างถึงอยู่ไม่ได้"):
        load_catalogue(tmp_path)
    assert Question.objects.filter(ita_year__year=2567, code="i1").exists()


def test_an_install_with_the_old_2568_copy_upgrades_to_the_real_2568(catalogue, tmp_path):
    """Before this catalogue, 2568 was a copy of 2567 (o1–o35, sub-indicator 10.2)."""
    Question.objects.filter(ita_year__year__gte=2568).delete()
    ItaYear.objects.filter(year__gte=2568).delete()
    shutil.copy(CATALOGUE_DIR / "2567.yaml", tmp_path / "2567.yaml")
    write(tmp_path, "year: 2568\nbased_on: 2567\nconfirmed: false\n", "2568.yaml")
    load_catalogue(tmp_path)
    assert Question.objects.filter(ita_year__year=2568, code="o34").exists()
    load_catalogue()  # the real files: o1–o35 of 2568 make way for O1–O26
    codes = set(Question.objects.filter(ita_year__year=2568).values_list("code", flat=True))
    assert "O26" in codes and "o34" not in codes and len(codes) == 50
