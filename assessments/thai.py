"""Thai text conventions: digits, Buddhist-Era dates, Thai collation."""

import datetime
import functools
import re

from django.utils import timezone
from pythainlp.util import thai_digit_to_arabic_digit, thai_strftime
from pythainlp.util.collate import _thkey

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


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[datetime.date, datetime.date]:
    """ปีงบประมาณ 2568 runs 1 Oct 2024 – 30 Sep 2025."""
    ce = fiscal_year_be - 543
    return datetime.date(ce - 1, 10, 1), datetime.date(ce, 9, 30)


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
# Characters of a word: Thai letters, marks and digits, Latin letters and digits. A break
# opportunity goes only between two of these (never next to punctuation: Pango's own rules keep
# "(ITA)" and "ฯลฯ)" together), at least one Thai, never inside a Latin/digit run ("O10", "1,250").
_WORDISH = re.compile("[\u0e01-\u0e4e\u0e50-\u0e59A-Za-z0-9]")
_THAI_CHAR = re.compile("[\u0e01-\u0e4e\u0e50-\u0e59]")
_NUMBERISH = re.compile("[0-9\u0e50-\u0e59A-Za-z]")
_MARK = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


@functools.lru_cache(maxsize=4096)
def break_opportunities(text: str) -> str:
    """Thai text with U+200B ZERO WIDTH SPACE between its words (pythainlp newmm), so that a
    renderer wraps a line between words and never inside one, whatever its own Thai line
    breaking is. Spaces, punctuation and Latin words, numbers and codes are left as they are."""
    if not text or not _THAI_CHAR.search(text):
        return text
    from pythainlp.tokenize import word_tokenize

    out = []
    previous = ""
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if previous and token:
            a, b = previous[-1], token[0]
            if (
                _WORDISH.match(a)
                and _WORDISH.match(b)
                and (_THAI_CHAR.match(a) or _THAI_CHAR.match(b))
                and not (_NUMBERISH.match(a) and _NUMBERISH.match(b))
                and not _MARK.match(b)
            ):
                out.append(ZWSP)
        out.append(token)
        previous = token
    return "".join(out)
