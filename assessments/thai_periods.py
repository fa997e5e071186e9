"""Free-text periods a person typed ("ต.ค. ๒๕๖๗", "ธ.ค. 2567 – ม.ค. 2568", "ต.ค.67-ก.ย.68",
"ตลอดปีงบประมาณ") read for their Buddhist-Era years, and moved by whole years.

Two calls, for carrying a year over and for reading last year's Word report (and
shift_dated_text for prose carried over, such as a title "ประจำปีงบประมาณ 2569"):

    shift_period_text("ธ.ค. ๒๕๖๗ – ม.ค. ๒๕๖๘", 1)  ->  ShiftedText("ธ.ค. ๒๕๖๘ – ม.ค. ๒๕๖๙", ok=True)
    read_period_text("ภายใน มี.ค. 68").years       ->  [(2568, 3)]

A year is rewritten in the digits and length it was written in (Thai or Arabic, 2567 or 67).
What may be a year but cannot be read with confidence (a Christian-Era 2024, a bare "68") is
never guessed: `ok` is False and `doubts` names it, for a person to check. Text without a year
("ตลอดปีงบประมาณ", "ทุกไตรมาส", "ภายใน 30 วัน") is kept as it is and is fine.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import NamedTuple

_THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ARABIC_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

# Full month names, their spoken short forms, and the abbreviations with their dots (a dot may
# be missing or spaced: "ต.ค", "ต. ค.").
_MONTHS = {
    1: ("มกราคม", "มกรา", ("ม", "ค")),
    2: ("กุมภาพันธ์", "กุมภา", ("ก", "พ")),
    3: ("มีนาคม", "มีนา", ("มี", "ค")),
    4: ("เมษายน", "เมษา", ("เม", "ย")),
    5: ("พฤษภาคม", "พฤษภา", ("พ", "ค")),
    6: ("มิถุนายน", "มิถุนา", ("มิ", "ย")),
    7: ("กรกฎาคม", "กรกฎา", ("ก", "ค")),
    8: ("สิงหาคม", "สิงหา", ("ส", "ค")),
    9: ("กันยายน", "กันยา", ("ก", "ย")),
    10: ("ตุลาคม", "ตุลา", ("ต", "ค")),
    11: ("พฤศจิกายน", "พฤศจิกา", ("พ", "ย")),
    12: ("ธันวาคม", "ธันวา", ("ธ", "ค")),
}
_MONTH_ALTERNATIVES = []
for _number, (_full, _short, (_a, _b)) in _MONTHS.items():
    _MONTH_ALTERNATIVES += [(_full, _number), (_short, _number)]
    _MONTH_ALTERNATIVES.append((rf"(?<![\u0e00-\u0e7f]){_a}\s?\.\s?{_b}(?:\s?\.)?(?![\u0e00-\u0e2e])", _number))
_MONTH_ALTERNATIVES.append(("กรกฏาคม", 7))  # a common misspelling
# A month word as typed in a date, dots and spaces dropped: "มิ.ย." and "มิย" -> "มิย" -> 6.
MONTH_BY_WORD = {word: n for word, n in _MONTH_ALTERNATIVES if "(" not in word}  # not the patterns
MONTH_BY_WORD |= {a + b: n for n, (_, _, (a, b)) in _MONTHS.items()}
MONTH_FULL_NAMES = {n: full for n, (full, _, _) in _MONTHS.items()}
MONTH_ABBREVIATIONS = {n: f"{a}.{b}." for n, (_, _, (a, b)) in _MONTHS.items()}
_MONTH_RE = re.compile(
    "|".join(f"(?P<m{i}>{pattern})" for i, (pattern, _) in enumerate(_MONTH_ALTERNATIVES)),
)
_MONTH_NUMBER = {f"m{i}": number for i, (_, number) in enumerate(_MONTH_ALTERNATIVES)}

# Words after which a number is a year ("พ.ศ. 2567", "ปีงบประมาณ 68"), and after which it is not.
_YEAR_WORDS = re.compile(r"(?:พ\s?\.\s?ศ\s?\.?|ปีงบประมาณ|ปีงบฯ?|ปี)\s*$")
# In prose a year is moved only where it dates the work: "ประจำปีงบประมาณ 2569", "ปี พ.ศ. 2569",
# "15 ต.ค. 67"; an act's "พ.ศ. 2562" stays.
_DATING_WORDS = re.compile(r"(?:ปีงบประมาณ|ปีงบฯ?|ปี)\s*(?:พ\s?\.\s?ศ\s?\.?)?\s*$")
_RANGE_SEP = re.compile(r"^\s*(?:–|—|-|ถึง|/|และ|,)\s*$")
# A number followed by one of these counts something ("30 วัน"); a day is followed by a month.
_COUNT_AFTER = re.compile(r"^\s*(?:วัน|เดือน|สัปดาห์|อาทิตย์|ครั้ง|ชั่วโมง|ชม|ปี|คน|ราย|เรื่อง|บาท|%|ร้อยละ|ข้อ|ฉบับ|แห่ง)")
_COUNT_BEFORE = re.compile(r"(?:ร้อยละ|ไตรมาส(?:ที่)?|ครั้งที่|รอบ(?:ที่)?|ข้อ(?:ที่)?|ที่|จำนวน|วันที่)\s*$")
_NUMBER = re.compile(r"\d+")


class ShiftedText(NamedTuple):
    """The text with its years moved; ok is False when a number that may be a year was left as
    it was because it could not be read with confidence."""

    text: str
    ok: bool


@dataclass
class PeriodText:
    """What read_period_text found: each year as (Buddhist-Era year, month or None), and the
    pieces it could not read with confidence."""

    years: list = field(default_factory=list)
    doubts: list = field(default_factory=list)
    # (start, end, Buddhist-Era year, digits written) of each year, in the text's positions
    _spans: list = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.doubts


def read_period_text(text: str) -> PeriodText:
    """Find the Buddhist-Era years of a free-text period, each with the month it follows."""
    result = PeriodText()
    plain = (text or "").translate(_THAI_TO_ARABIC)  # one character for one: positions hold
    months = [(m.start(), m.end(), _MONTH_NUMBER[m.lastgroup]) for m in _MONTH_RE.finditer(plain)]
    last_year_end, last_year_len, last_dated = None, None, False
    for match in _NUMBER.finditer(plain):
        start, end, digits = match.start(), match.end(), match.group()
        before, after = plain[:start], plain[end:]
        month = next((n for s, e, n in months if e <= start and not before[e:].strip()), None)
        follows_month = month is not None
        after_year_word = bool(_YEAR_WORDS.search(before))
        continues_range = (
            last_year_end is not None
            and bool(_RANGE_SEP.match(plain[last_year_end:start]))
            and len(digits) == last_year_len
        )
        day_before_month = any(s >= end and not plain[end:s].strip() for s, _e, _n in months)
        value = int(digits)
        year = None
        if len(digits) == 4 and 2400 <= value <= 2699:
            year = value
        elif len(digits) == 4 and 1900 <= value <= 2199:
            result.doubts.append(f"{text[start:end]} (ปี ค.ศ.?)")
        elif len(digits) == 2 and (follows_month or after_year_word or continues_range) and not day_before_month:
            year = 2500 + value
        elif follows_month or after_year_word:
            if not _COUNT_AFTER.match(after):
                result.doubts.append(text[start:end])
        elif len(digits) == 2 and value > 31 and not (_COUNT_AFTER.match(after) or _COUNT_BEFORE.search(before)):
            result.doubts.append(text[start:end])  # "68" alone: a year, or a number?
        if year is not None:
            dated = follows_month or bool(_DATING_WORDS.search(before)) or (continues_range and last_dated)
            result.years.append((year, month))
            result._spans.append((start, end, year, text[start:end], dated, continues_range))
            last_year_end, last_year_len, last_dated = end, len(digits), dated
    return result


def _written_like(original: str, value: int) -> str:
    """value in as many digits as original, each in the script its position was written in."""
    new = str(value % 10 ** len(original)).zfill(len(original))
    return "".join(n.translate(_ARABIC_TO_THAI) if o in "๐๑๒๓๔๕๖๗๘๙" else n for o, n in zip(original, new, strict=True))


def _shift(text, years, spans):
    out, last = [], 0
    for start, end, year, written, *_ in spans:
        out += [text[last:start], _written_like(written, year + years)]
        last = end
    out.append((text or "")[last:])
    return "".join(out)


def shift_period_text(text: str, years: int) -> ShiftedText:
    """Move every Buddhist-Era year of a free-text period by `years`, keeping how it was written."""
    reading = read_period_text(text)
    return ShiftedText(_shift(text, years, reading._spans), reading.ok)


def shift_dated_text(text: str, years: int) -> str:
    """Prose (a title, a step, a follow-up) with the years that date the work moved by `years`:
    those after a month or "ปี"/"ปีงบประมาณ" ("ประจำปีงบประมาณ 2569", "15 ต.ค. 67"). Any other
    number, an act's "พ.ศ. 2562" included, is kept, and nothing is reported: prose is full of them."""
    spans = read_period_text(text)._spans
    # "แผนปี 2566-2570" names a plan of several years, not this year's work: kept whole.
    plans = {j for i in range(1, len(spans)) if spans[i][5] and spans[i][2] - spans[i - 1][2] > 1 for j in (i - 1, i)}
    return _shift(text, years, [span for i, span in enumerate(spans) if span[4] and i not in plans])


def months_outside(text: str, fiscal_year_be: int) -> list[tuple[int, int | None]]:
    """The (year, month) a period names that fall outside the fiscal year (1 Oct – 30 Sep); a year
    without a month is outside unless it is one of the two calendar years the fiscal year spans."""
    ce = fiscal_year_be - 543
    first, last = datetime.date(ce - 1, 10, 1), datetime.date(ce, 9, 30)
    outside = []
    for year, month in read_period_text(text).years:
        if month is None:
            if year not in (fiscal_year_be - 1, fiscal_year_be):
                outside.append((year, month))
        elif not first <= datetime.date(year - 543, month, 1) <= last:
            outside.append((year, month))
    return outside
