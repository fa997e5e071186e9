"""Issue #24: headers recognised by their words, whatever the slashes, spaces and line breaks;
continuation rows joined to the measure and the step they continue."""

import pytest

from measures.word_import import plan_import
from tests.factories import make_assessment
from tests.measures import word_fixtures as wf

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org_a):
    return make_assessment(org_a, year=2569, scores=False)


@pytest.mark.parametrize(
    "headers",
    [
        ["มาตรการ/โครงการ/กิจกรรม", "วิธีการ/ดำเนินการ", "ระยะเวลา", "ผู้รับผิดชอบ", "ผลการดำเนินการ", "ผลลัพธ์"],
        ["มาตรการ", "วิธีดำเนินการ", "ระยะเวลา", "ผู้รับผิดชอบ", "ผลการดำเนินการ", "ผลลัพธ์"],
        ["โครงการ", "ขั้นตอนการดำเนินงาน", "ช่วงเวลา", "หน่วยงานรับผิดชอบ", "ผลการดำเนินงาน", "ผลสัมฤทธิ์"],
        ["มาตรการ/โครงการ", "กิจกรรม/ขั้นตอน", "ระยะ\nเวลา", "หน่วยงาน/ผู้รับผิดชอบ", "ผลการ\nดำเนินงาน", "ผลลัพธ์"],
        ["มาตร\u200bการ", "วิธี\u200bการ", "ห้วงเวลา", "หน่วย/งาน รับผิด ชอบ", "ผลการดำเนินการ", "ผลลัพธ์"],
        ["มาตรการ /\nโครงการ", "ขั้น ตอน /\nวิธี การ", "กำหนดเวลา", "ผู้รับ\nผิดชอบ", "ผลการปฏิบัติ", "ผลลัพธ์"],
        [
            "มาตรการ",
            "ขั้นตอน",
            "ระยะเวลา",
            "ผู้รับผิดชอบ",
            "ผลการดำเนินการ (ระบุรายละเอียดและหลักฐานเชิงประจักษ์)",
            "ผลลัพธ์",
        ],
    ],
)
def test_headers_worded_differently_are_read_by_their_words(year, headers):
    plan = plan_import(wf.worded_headers(headers), year)
    assert not plan.unplaced
    assert [m.title for m in plan.measures] == ["มาตรการเปิดเผยข้อมูล", "โครงการอบรมคุณธรรม"]
    assert [s.text for s in plan.measures[0].steps] == ["จัดทำประกาศ", "เผยแพร่ประกาศ"]
    assert (plan.measures[0].period, plan.measures[0].units) == ("ต.ค. 2569", ["สำนักปลัด"])
    assert plan.measures[0].output == "เผยแพร่แล้ว" and plan.measures[1].units == ["กองคลัง"]


def test_a_title_continued_beside_step_two_joins_the_title(year):
    plan = plan_import(wf.continued_title_beside_step_two(), year)
    assert [m.title for m in plan.measures] == [
        "มาตรการส่งเสริมความโปร่งใส ในการจัดซื้อจัดจ้าง",
        "โครงการอบรมคุณธรรม",
    ]
    first = plan.measures[0]
    assert [(s.text, s.period, s.units) for s in first.steps] == [
        ("ประกาศเจตนารมณ์", "ต.ค. 2569", ["สำนักปลัด"]),
        ("เผยแพร่ประกาศ", "พ.ย. 2569", ["กองคลัง"]),
    ]


def test_a_row_holding_only_a_result_continues_the_step_above(year):
    plan = plan_import(wf.result_only_row(), year)
    (m,) = plan.measures
    assert [(s.text, s.output, s.outcome) for s in m.steps] == [
        ("จัดทำประกาศ", "ประกาศแล้ว", ""),
        ("เผยแพร่ประกาศ", "เผยแพร่บนเว็บไซต์\nและบอร์ดประชาสัมพันธ์", "ประชาชนรับทราบ"),
    ]
    assert not m.output and not m.outcome
