"""Free-text periods move by whole years in the digits they were written in; what may be a year
but cannot be read with confidence is reported, never silently kept."""

import pytest

from assessments.thai_periods import months_outside, read_period_text, shift_dated_text, shift_period_text

# Real period texts (reference reports, the demo, ITA manuals) and what one year on reads.
SHIFTED = [
    ("ต.ค. 2567", "ต.ค. 2568"),
    ("ต.ค.–พ.ย. 2567", "ต.ค.–พ.ย. 2568"),
    ("ธ.ค. 2567 – ม.ค. 2568", "ธ.ค. 2568 – ม.ค. 2569"),
    ("ธ.ค. ๒๕๖๗ – ม.ค. ๒๕๖๘", "ธ.ค. ๒๕๖๘ – ม.ค. ๒๕๖๙"),
    ("มี.ค. 2568", "มี.ค. 2569"),
    ("ภายใน มี.ค. 68", "ภายใน มี.ค. 69"),
    ("ภายใน มี.ค. ๖๘", "ภายใน มี.ค. ๖๙"),
    ("ต.ค.67-ก.ย.68", "ต.ค.68-ก.ย.69"),
    ("ต.ค. 66  ถึง  ก.ย. 67", "ต.ค. 67  ถึง  ก.ย. 68"),
    ("ม.ค.-เม.ย. 68", "ม.ค.-เม.ย. 69"),
    ("1 ตุลาคม 2567 – 30 กันยายน 2568", "1 ตุลาคม 2568 – 30 กันยายน 2569"),
    ("๑ ตุลาคม ๒๕๖๗ - ๓๐ กันยายน ๒๕๖๘", "๑ ตุลาคม ๒๕๖๘ - ๓๐ กันยายน ๒๕๖๙"),
    ("15 ต.ค. 67", "15 ต.ค. 68"),
    ("ต.ค 67", "ต.ค 68"),  # the last dot forgotten
    ("พฤษภาคม 2568", "พฤษภาคม 2569"),
    ("ไตรมาส 1 (ต.ค.-ธ.ค. 67)", "ไตรมาส 1 (ต.ค.-ธ.ค. 68)"),
    ("ปีงบประมาณ พ.ศ. 2568", "ปีงบประมาณ พ.ศ. 2569"),
    ("ปี 67-68", "ปี 68-69"),
    ("พ.ศ. ๒๕๖7", "พ.ศ. ๒๕๖8"),  # mixed digits, as typed in a real report: each keeps its script
    ("ร้อยละ 80 ภายใน ก.ย. 68", "ร้อยละ 80 ภายใน ก.ย. 69"),
    ("ก.ย. 99", "ก.ย. 00"),  # 2599 → 2600, two digits kept
]
UNCHANGED = ["ตลอดปีงบประมาณ", "ทุกไตรมาส", "ภายใน 30 วันหลังผู้บริหารรับทราบ", "ทุกเดือน", "", "ไตรมาสที่ 2"]
DOUBTFUL = [
    ("ต.ค. 2024", "2024"),  # a Christian-Era year
    ("ภายใน 68", "68"),  # 2568, or 68 of something?
    ("Oct 2024 – Sep 2025", "2024"),
    ("ธ.ค. 2567 – ม.ค. 2025", "2025"),
]


@pytest.mark.parametrize(("text", "expected"), SHIFTED)
def test_years_move_one_year_on_in_their_own_digits(text, expected):
    assert shift_period_text(text, 1) == (expected, True)


@pytest.mark.parametrize(("text", "expected"), SHIFTED[:6])
def test_moving_back_undoes_moving_on(text, expected):
    assert shift_period_text(expected, -1) == (text, True)


@pytest.mark.parametrize("text", UNCHANGED)
def test_text_without_a_year_is_kept_and_fine(text):
    assert shift_period_text(text, 1) == (text, True)
    assert read_period_text(text).years == []


@pytest.mark.parametrize(("text", "doubt"), DOUBTFUL)
def test_what_may_be_a_year_is_reported_not_guessed(text, doubt):
    new, ok = shift_period_text(text, 1)
    assert not ok
    assert doubt in new  # left as it was, for a person to check
    assert any(doubt in d for d in read_period_text(text).doubts)


def test_the_other_years_of_a_doubtful_text_still_move():
    assert shift_period_text("ธ.ค. 2567 – ม.ค. 2025", 1) == ("ธ.ค. 2568 – ม.ค. 2025", False)


def test_years_are_read_with_their_months():
    assert read_period_text("ธ.ค. ๒๕๖๗ – ม.ค. ๖๘").years == [(2567, 12), (2568, 1)]
    assert read_period_text("ปีงบประมาณ 2570").years == [(2570, None)]


def test_months_outside_the_fiscal_year():
    # Fiscal year 2570: 1 October 2569 – 30 September 2570.
    assert months_outside("ต.ค. 2569 – ก.ย. 2570", 2570) == []
    assert months_outside("ต.ค. 2567", 2570) == [(2567, 10)]
    assert months_outside("ต.ค. 2570", 2570) == [(2570, 10)]
    assert months_outside("ปีงบประมาณ 2570", 2570) == []
    assert months_outside("ตลอดปีงบประมาณ", 2570) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("มาตรการเปิดเผยข้อมูล ประจำปีงบประมาณ 2569", "มาตรการเปิดเผยข้อมูล ประจำปีงบประมาณ 2570"),
        ("เป็นข้อมูลในปี พ.ศ.๒๕๖๗", "เป็นข้อมูลในปี พ.ศ.๒๕๖๘"),
        ("ประชุม 1 ครั้ง (15 ต.ค. 67)", "ประชุม 1 ครั้ง (15 ต.ค. 68)"),
        ("ตามพระราชบัญญัติมาตรฐานทางจริยธรรม พ.ศ. ๒๕๖๒", "ตามพระราชบัญญัติมาตรฐานทางจริยธรรม พ.ศ. ๒๕๖๒"),
        ("ตามแผนปี 2566-2570", "ตามแผนปี 2566-2570"),  # a plan of several years
        ("อบรม 2024 คน ร้อยละ 68", "อบรม 2024 คน ร้อยละ 68"),
    ],
)
def test_in_prose_only_the_years_that_date_the_work_move(text, expected):
    assert shift_dated_text(text, 1) == expected
