import datetime

import pytest

from assessments.thai import digits, fiscal_year_bounds, shorten, thai_date, thai_datetime, thai_sorted


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


def test_a_timestamp_reads_in_bangkok_time_and_the_buddhist_era():
    # 18:30 UTC on 5 Dec 2026 is already 6 December in Bangkok: the date a user saw on the clock.
    moment = datetime.datetime(2026, 12, 5, 18, 30, tzinfo=datetime.UTC)
    assert thai_datetime(moment) == "6 ธ.ค. 2569 01:30 น."
    assert thai_datetime(None) == ""


def test_a_date_style_other_than_long_or_short_is_a_programming_error():
    """A typo such as "shrot" would silently print another form of date on a report."""
    with pytest.raises(ValueError):
        thai_date(datetime.date(2024, 10, 1), "shrot")
    assert thai_date(datetime.date(2024, 10, 1), "short") == "1 ต.ค. 67"


def test_a_digit_style_other_than_thai_or_arabic_is_a_programming_error():
    with pytest.raises(ValueError):
        digits("2568", "Arabic")
    assert digits("2568", "arabic") == "2568" and digits("2568", "thai") == "๒๕๖๘"
