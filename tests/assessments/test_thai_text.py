import datetime

from assessments.thai import digits, fiscal_year_bounds, shorten, thai_date, thai_sorted


def test_shorten_never_detaches_a_vowel_or_tone_mark():
    title = "มาตรการเปิดเผยรายงานผลการดำเนินงานประจำปี"
    for limit in range(1, len(title)):
        cut = shorten(title, limit).rstrip("…")
        assert title.startswith(cut)
        assert cut[-1] not in "ิีึืุู่้๊๋ั็์ํฺ" or len(cut) == len(title) or title[len(cut)] not in "ิีึืุู่้๊๋ั็์ํฺ"


def test_dates_in_buddhist_era():
    assert thai_date(datetime.date(2024, 10, 1)) == "1 ตุลาคม 2567"
    assert digits(thai_date(datetime.date(2024, 10, 1), "short"), "thai") == "๑ ต.ค. ๖๗"
    assert fiscal_year_bounds(2568) == (datetime.date(2024, 10, 1), datetime.date(2025, 9, 30))


def test_digits_both_ways():
    assert digits("86.63", "thai") == "๘๖.๖๓"
    assert digits("๘๖.๖๓", "arabic") == "86.63"


def test_thai_dictionary_order_puts_leading_vowels_after_their_consonant():
    assert thai_sorted(["เทศบาลตำบลบ้านใหม่", "กองคลัง", "ไก่", "ขอนแก่น"]) == ["กองคลัง", "ไก่", "ขอนแก่น", "เทศบาลตำบลบ้านใหม่"]
