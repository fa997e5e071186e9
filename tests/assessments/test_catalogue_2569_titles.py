"""The ITA 2569 OIT titles are those of the public source (S12 in
shared/research/ita-catalogue-years.md), marked single-source; what no source names stays unknown,
and 2570 (a provisional copy of 2569) carries the same."""

import pytest
from django.core.management import call_command

from assessments.catalogue import CATALOGUE_DIR
from assessments.models import Question

pytestmark = pytest.mark.django_db

# As S12 publishes them, without the agency's own years in brackets; the source's capitals
# (E-SERVICE, NO GIFT POLICY) written as elsewhere in the catalogue, the difference noted per item.
S12_2569 = {
    "O1": "โครงสร้าง หน้าที่และอำนาจ",
    "O3": "ข้อมูลการติดต่อและช่องทางการสอบถาม",
    "O4": "ข่าวประชาสัมพันธ์",
    "O5": "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน",
    "O8": "คู่มือหรือแนวทางการปฏิบัติงานของเจ้าหน้าที่",
    "O9": "คู่มือหรือแนวทางการขอรับบริการสำหรับผู้รับบริการหรือผู้มาติดต่อ",
    "O10": "ระบบการให้บริการผ่านช่องทางออนไลน์ (E-Service)",
    "O11": "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน",
    "O12": "รายงานสรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุของหน่วยงาน",
    "O13": "หลักเกณฑ์และแผนการบริหารและพัฒนาทรัพยากรบุคคล",
    "O14": "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล",
    "O15": "ประมวลจริยธรรมการขับเคลื่อนจริยธรรม",
    "O16": "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
    "O17": "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
    "O18": "ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
    "O19": "ผลการเปิดโอกาสให้มีส่วนร่วมในการดำเนินงาน",
    "O20": "การขับเคลื่อนนโยบาย No Gift Policy จากการปฏิบัติหน้าที่และการเสริมสร้างความรู้เกี่ยวกับหลักเกณฑ์"
    "การรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยาของเจ้าพนักงานของรัฐ",
    "O21": "การประเมินความเสี่ยงการทุจริตในหน่วยงานภาครัฐ",
    "O22": "รายงานผลการดำเนินการตามแผนบริหารจัดการความเสี่ยงการทุจริตของหน่วยงาน",
    "O23": "แผนปฏิบัติการป้องกันการทุจริต",
    "O24": "รายงานผลการดำเนินการป้องกันการทุจริต",
    "O25": "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร",
    "O26": "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
}
UNKNOWN_2569 = ["O2", "O6", "O7"]  # in no source


def _oit(year):
    return {q.code: q for q in Question.objects.filter(ita_year__year=year, instrument="OIT")}


def test_the_2569_titles_are_the_sources_and_marked_single_source(catalogue):
    items = _oit(2569)
    assert sorted(items, key=lambda c: int(c[1:])) == [f"O{n}" for n in range(1, 27)]
    assert {code: items[code].text for code in S12_2569} == S12_2569
    assert {(items[code].confidence, items[code].source) for code in S12_2569} == {("single", "S12")}


@pytest.mark.parametrize("year", [2569, 2570])
def test_what_no_source_names_stays_marked_unknown_and_is_not_printed(catalogue, year):
    items = _oit(year)
    assert sorted((c for c, q in items.items() if not q.title_known), key=lambda c: int(c[1:])) == UNKNOWN_2569
    assert all(items[c].confidence == "unknown" for c in UNKNOWN_2569)


def test_2570_copies_the_2569_titles_as_inferred(catalogue):
    items = _oit(2570)
    assert {code: items[code].text for code in S12_2569} == S12_2569
    assert {items[code].confidence for code in S12_2569} == {"inferred"}


@pytest.mark.parametrize("year", [2569, 2570])
def test_the_year_files_pass_the_check(capsys, year):
    call_command("load_catalogue", "--check", str(CATALOGUE_DIR / f"{year}.yaml"))
    assert f"ถูกต้อง — ITA {year}" in capsys.readouterr().out
