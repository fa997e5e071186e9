"""Thai text conventions: digits, Buddhist-Era dates, Thai collation."""

import datetime
import functools
import re
import threading

from django.utils import timezone
from pythainlp.tokenize import word_tokenize
from pythainlp.util import thai_digit_to_arabic_digit, thai_strftime
from pythainlp.util.collate import _thkey

from .thai_periods import MONTH_BY_WORD, MONTH_FULL_NAMES

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_ARABIC_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)


# What keeps its Arabic digits when typed text is set in Thai digits: markup and entities, links
# and e-mail addresses, and Latin tokens such as item codes (o12, O1) or ISO9001. A tag starts with
# its name: a "<" in plain text ("คะแนน < 85") is a sign, not markup.
_KEEP_DIGITS = re.compile(
    r"</?[A-Za-z][^<>]*>|&#?\w+;|(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+|[A-Za-z][A-Za-z0-9._/-]*\d[\w./-]*"
)


def thai_digits_in_typed_text(text: str) -> str:
    """Arabic digits of text a person typed (plain or sanitised HTML) as Thai digits, except where
    a digit is part of markup, a link, an address or a Latin code."""
    out, last = [], 0
    for match in _KEEP_DIGITS.finditer(text or ""):
        out.append(text[last : match.start()].translate(_ARABIC_TO_THAI))
        out.append(match.group(0))
        last = match.end()
    out.append((text or "")[last:].translate(_ARABIC_TO_THAI))
    return "".join(out)


def to_arabic(text: str) -> str:
    return thai_digit_to_arabic_digit(text) if text else text


def digits(text, style: str) -> str:
    """Render every digit of text in the report's chosen style ("thai" or "arabic")."""
    if style not in ("thai", "arabic"):  # a typo would silently print the other digits
        raise ValueError(f"digits style: {style!r}")
    text = "" if text is None else str(text)
    return text.translate(_ARABIC_TO_THAI) if style == "thai" else to_arabic(text)


def thai_date(value: datetime.date | None, style: str = "long") -> str:
    """'1 ตุลาคม 2567' (long) or '1 ต.ค. 67' (short); Arabic digits, convert with digits()."""
    if style not in ("long", "short"):
        raise ValueError(f"thai_date style: {style!r}")
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = timezone.localtime(value)  # the date a person in Asia/Bangkok saw
    dt = datetime.datetime(value.year, value.month, value.day)
    return thai_strftime(dt, "%-d %B %Y" if style == "long" else "%-d %b %y")


def thai_datetime(value: datetime.datetime | None) -> str:
    """'6 ธ.ค. 2569 08:43 น.' in Bangkok time: when something was approved or published."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = timezone.localtime(value)
    return thai_strftime(value.replace(tzinfo=None), "%-d %b %Y %H:%M น.")


class ThaiDateError(ValueError):
    """A typed date that cannot be read; the message, in Thai, says why."""


_WS = re.compile(r"\s+")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{2}|\d{4})$")
# "30 มิ.ย. 2570", "30มิย70", "วันที่ 30 มิถุนายน พ.ศ. 2570": the month word is everything between
# the day and the year (or พ.ศ.), looked up without its dots and spaces.
_WORD_DATE = re.compile(
    r"^(?:วันที่\s?)?(\d{1,2})\s?([\u0e01-\u0e4e][\u0e01-\u0e4e. ]*?)\s?(?:พ\s?\.?\s?ศ\s?\.?\s?)?(\d{2}|\d{4})$"
)
DATE_HELP = "พิมพ์วันที่แบบ 30/6/2570 หรือ 30 มิ.ย. 2570 (ปี พ.ศ.)"


def parse_thai_date(text: str) -> datetime.date:
    """A date as Thai offices write it, in the Buddhist Era, Thai or Arabic digits: "30/6/70",
    "30/06/2570", "30 มิ.ย. 70", "๓๐ มิถุนายน ๒๕๗๐", "30 มิถุนายน พ.ศ. 2570", "2570-06-30".
    A Christian-Era year (2027) is refused, never guessed: 2027 and 2570 are both plausible."""
    plain = _WS.sub(" ", to_arabic(str(text))).strip()
    if iso := _ISO_DATE.match(plain):
        year, month, day = (int(g) for g in iso.groups())
    elif numeric := _NUMERIC_DATE.match(plain):
        day, month, year = (int(g) for g in numeric.groups())
    elif worded := _WORD_DATE.match(plain):
        day, word, year = int(worded[1]), worded[2].replace(".", "").replace(" ", ""), int(worded[3])
        if word not in MONTH_BY_WORD:
            raise ThaiDateError(f"ไม่รู้จักเดือน “{worded[2].strip()}” {DATE_HELP}")
        month = MONTH_BY_WORD[word]
    else:
        raise ThaiDateError(f"อ่านวันที่ “{str(text).strip()[:40]}” ไม่ได้ {DATE_HELP}")
    written = str(year)
    if year < 100:  # "70" is 2570: a two-digit year is the Buddhist Era's, as in "30 มิ.ย. 70"
        year += 2500
    if 1900 <= year <= 2200:
        raise ThaiDateError(f"ปี {year} เป็น ค.ศ. ใช้ปี พ.ศ. เช่น {year + 543}")
    if not 2400 <= year <= 2700:
        raise ThaiDateError(f"ปี {written} ไม่ถูกต้อง ใช้ปี พ.ศ. เช่น 2570")
    if not 1 <= month <= 12:
        raise ThaiDateError(f"ไม่มีเดือนที่ {month} (เดือนคือ 1–12) {DATE_HELP}")
    try:
        return datetime.date(year - 543, month, day)
    except ValueError:
        raise ThaiDateError(f"ไม่มีวันที่ {day} {MONTH_FULL_NAMES[month]} {year}") from None


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[datetime.date, datetime.date]:
    """ปีงบประมาณ 2568 runs 1 Oct 2024 – 30 Sep 2025."""
    ce = fiscal_year_be - 543
    return datetime.date(ce - 1, 10, 1), datetime.date(ce, 9, 30)


def fiscal_year_of(day: datetime.date) -> int:
    """The Buddhist-Era fiscal year a day falls in: 1 October 2569 is in ปีงบประมาณ 2570."""
    return day.year + 543 + (1 if day.month >= 10 else 0)


def thai_sort_key(text: str) -> str:
    """Key for Thai dictionary order, the rule of pythainlp's collate()."""
    return _thkey(text or "")


def thai_sorted(items, key=lambda x: x):
    return sorted(items, key=lambda item: thai_sort_key(key(item)))


_MARKS = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


def shorten(text: str, limit: int) -> str:
    """Cut text to about `limit` characters without detaching a vowel or tone mark."""
    text = text or ""
    if len(text) <= limit:
        return text
    end = limit
    while end < len(text) and text[end] in _MARKS:
        end += 1
    return text[:end].rstrip() + "…"


ZWSP = "\u200b"
# Maximal runs of Thai letters, marks and digits (U+0E01–U+0E5B); everything else (Latin words,
# Arabic digits, codes, URLs, punctuation, spaces) is left as it is.
_THAI_RUN = re.compile(r"[\u0e01-\u0e5b]+")
_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")  # เ แ โ ใ ไ: written before their consonant
# A mark, a following vowel (ะ า ำ ๅ), ๆ or ฯ never starts a line.
_NO_BREAK_BEFORE = frozenset(_MARKS | set("\u0e30\u0e32\u0e33\u0e45\u0e46\u0e2f"))
_COMPOUND = 12  # with compounds=True, a dictionary word this long ("องค์การบริหารส่วนตำบล") may wrap between its parts
_compound_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _dictionary():
    """A private copy of pythainlp's word list, from which a long compound is taken out while it is
    split into the words it is made of."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import Trie

    return Trie(thai_words())


def _words(run: str, compounds: bool) -> list[str]:
    words = []
    for word in word_tokenize(run, engine="newmm", keep_whitespace=True):
        if not compounds or len(word) < _COMPOUND:
            words.append(word)
            continue
        trie = _dictionary()
        with _compound_lock:
            known = word in trie
            if known:
                trie.remove(word)
            parts = word_tokenize(word, custom_dict=trie, engine="newmm")
            if known:
                trie.add(word)
        words.extend(parts if all(part in trie for part in parts) else [word])
    return words


@functools.lru_cache(maxsize=8192)
def break_opportunities(text: str, compounds: bool = False) -> str:
    """Text with U+200B at Thai word boundaries (pythainlp newmm), so that a renderer without a Thai
    dictionary (LibreOffice, Word without Thai support) wraps between words instead of inside one.

    Only Thai runs are tokenised: a break goes between two Thai words (and between the parts of a
    long compound), or between a Thai word and a Latin word or number written against it
    ("ผ่านFacebook", "ภายใน30วัน"); never inside a Latin word, a number, a code (O10), a URL or an
    abbreviation (ต.ค., พ.ศ.), and never next to a space, which is a break opportunity already.
    `compounds`: also between the parts of a long compound, for a renderer that would otherwise cut
    it anywhere in a narrow column (LibreOffice: reports/docx_export.py); the PDF keeps it whole."""
    if not text or not _THAI_RUN.search(text):
        return text
    out, last = [], 0
    for match in _THAI_RUN.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else ""
        out.append(text[last:start])
        if before.isascii() and before.isalnum():
            out.append(ZWSP)  # "Facebookและ", "30วัน"
        words = _words(match.group(0), compounds)
        for i, word in enumerate(words):
            if i and not (word[0] in _NO_BREAK_BEFORE or words[i - 1][-1] in _LEADING_VOWELS):
                out.append(ZWSP)
            out.append(word)
        after = text[end : end + 1]
        if after.isascii() and after.isalnum():
            out.append(ZWSP)
        last = end
    out.append(text[last:])
    return "".join(out)
