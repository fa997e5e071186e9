"""What a person sees on a PDF page, from `pdftotext -bbox`: words and their boxes, per page."""

import re
import subprocess
from dataclasses import dataclass
from html import unescape

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def pages(pdf_path) -> list[list[Word]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], check=True, capture_output=True, text=True)
    result = []
    for page in out.stdout.split("<page ")[1:]:
        result.append([Word(*map(float, m.groups()[:4]), unescape(m.group(5))) for m in _WORD.finditer(page)])
    return result


def overlaps(words: list[Word]) -> list[tuple[Word, Word]]:
    """Pairs of words on the same baseline whose boxes overlap by more than a third of the narrower."""
    found = []
    ordered = sorted(words, key=lambda w: (round(w.y1), w.x0))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if abs(b.y1 - a.y1) > 1.5:  # another line
                break
            overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
            narrower = min(a.x1 - a.x0, b.x1 - b.x0)
            if narrower > 0 and overlap > narrower / 3:
                found.append((a, b))
    return found


# What a reader sees where a line wraps: the end of one line and the start of the next in the same
# table cell (or the same paragraph outside tables), read with MuPDF (pymupdf).
_THAI_CHAR = re.compile("[\u0e00-\u0e7f]")
_ALNUM = re.compile("[A-Za-z0-9\u0e50-\u0e59]")


@dataclass
class Wrap:
    page: int
    tail: str  # the last word of a line
    head: str  # the first word of the next line in the same cell

    def __str__(self):
        return f"p{self.page}: {self.tail}|{self.head}"


def _grid(page):
    """The table's ruled lines: vertical (x, y0, y1) and horizontal (y, x0, x1) segments."""
    vertical, horizontal = [], []
    for drawing in page.get_drawings():
        for item in drawing["items"]:
            if item[0] != "l":
                continue
            a, b = item[1], item[2]
            if abs(a.x - b.x) < 0.5:
                vertical.append((a.x, min(a.y, b.y), max(a.y, b.y)))
            elif abs(a.y - b.y) < 0.5:
                horizontal.append((a.y, min(a.x, b.x), max(a.x, b.x)))
    return vertical, horizontal


def _cell(x, y, vertical, horizontal):
    """The ruled cell around a point: its left and top edges, or None outside every table."""
    left = max((vx for vx, y0, y1 in vertical if vx <= x and y0 <= y <= y1), default=None)
    right = min((vx for vx, y0, y1 in vertical if vx > x and y0 <= y <= y1), default=None)
    if left is None or right is None:
        return None
    top = max((hy for hy, x0, x1 in horizontal if hy <= y and x0 <= x <= x1), default=None)
    return (round(left), round(top) if top is not None else None)


def wraps(pdf_bytes) -> list[Wrap]:
    """Every line wrap of the document: (last word of a line, first word of the next) per cell."""
    import pymupdf

    found = []
    with pymupdf.open(stream=pdf_bytes, filetype="pdf") as doc:
        for number, page in enumerate(doc, start=1):
            vertical, horizontal = _grid(page)
            cells = {}
            for x0, y0, x1, y1, text, *_ in page.get_text("words"):
                cy = (y0 + y1) / 2
                key = _cell((x0 + x1) / 2, cy, vertical, horizontal)
                cells.setdefault(key, []).append((round(y1), x0, text))
            for words in cells.values():
                lines = {}
                for baseline, x0, text in sorted(words):
                    # words of one line share a baseline, give or take a point (marks, fonts)
                    key = next((b for b in lines if abs(b - baseline) <= 2), baseline)
                    lines.setdefault(key, []).append((x0, text))
                ordered = [sorted(lines[b]) for b in sorted(lines)]
                for above, below in zip(ordered, ordered[1:], strict=False):
                    found.append(Wrap(number, above[-1][1], below[0][1]))
    return found


def visible_text(html_text: str) -> str:
    """The text a report's HTML shows, tags removed, break hints and white space made plain."""
    text = re.sub(r"<(style|head)\b.*?</\1>", " ", html_text, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"[\s\u00a0]+", " ", text.replace("\u200b", "").replace("\u00ad", ""))


def _cuts_a_word(left: str, right: str) -> bool:
    """Whether a cut between two Thai runs is inside a word: the dictionary segmentation of the
    two together has a word across the cut, and the two parts of that word are not words (of more
    than one letter) themselves: "การ|ประเมิน" is a fine place to wrap, "ประชาสัมพัน|ธ์" and
    "ปีงบประมา|ณ" are not."""
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize

    at = 0
    for token in word_tokenize(left + right, engine="newmm"):
        start, at = at, at + len(token)
        if start < len(left) < at:
            words = thai_words()
            cut = len(left) - start
            return not all(
                len(part) > 1 and all(w in words for w in word_tokenize(part, engine="newmm"))
                for part in (token[:cut], token[cut:])
            )
    return False


_MONTH = re.compile(
    "(มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม"
    "|ม.ค.|ก.พ.|มี.ค.|เม.ย.|พ.ค.|มิ.ย.|ก.ค.|ส.ค.|ก.ย.|ต.ค.|พ.ย.|ธ.ค.|พ.ศ.)"
)
_DIGITS = re.compile("[0-9\u0e50-\u0e59]+")


def cuts_a_date(wrap: Wrap) -> bool:
    """A date cut at one of its spaces: "ม.ค. | 2568", "๑ | ตุลาคม", "พ.ศ. | ๒๕๖๙"."""
    tail_month = _MONTH.fullmatch(wrap.tail.lstrip("–-(")) and _DIGITS.match(wrap.head)
    return bool(tail_month or (_DIGITS.fullmatch(wrap.tail) and _MONTH.match(wrap.head)))


def broken_words(wrap_list: list[Wrap], source: str) -> list[Wrap]:
    """Wraps that cut a date at a space, or a word: a Latin word, a number or a code, or a Thai word, where the source
    text has the two parts written together (no space: the line was not broken at a space) and
    pythainlp's dictionary segmentation has no word boundary at the cut. URLs may wrap."""
    urls = re.findall(r"(?:https?://|www\.)\S+", source)
    bad = []
    for wrap in wrap_list:
        if cuts_a_date(wrap) and f"{wrap.tail} {wrap.head}" in source:
            bad.append(wrap)
            continue
        joined = wrap.tail + wrap.head
        if joined not in source or f"{wrap.tail} {wrap.head}" in source:
            continue  # wrapped at a space (or the two words are not neighbours in the text)
        if any(joined in url for url in urls):
            continue
        a, b = wrap.tail[-1], wrap.head[0]
        latin = (_ALNUM.match(a) or a in "-./:") and _ALNUM.match(b)
        if latin or (_ALNUM.match(a) and b in ".,:/-"):
            bad.append(wrap)
        elif _THAI_CHAR.match(a) and _THAI_CHAR.match(b):
            left = re.search("[\u0e00-\u0e7f]+$", wrap.tail).group(0)
            right = re.match("[\u0e00-\u0e7f]+", wrap.head).group(0)
            if _cuts_a_word(left, right):
                bad.append(wrap)
    return bad


def underfull_pages(pdf_bytes, header=60.0) -> list[tuple[int, float]]:
    """Pages but the last whose text ends above half the page: (page number, fill 0-1)."""
    import pymupdf

    found = []
    with pymupdf.open(stream=pdf_bytes, filetype="pdf") as doc:
        for number, page in enumerate(doc, start=1):
            if number == len(doc):
                break
            bottoms = [w[3] for w in page.get_text("words") if w[1] > header]
            fill = (max(bottoms, default=0)) / page.rect.height
            if fill < 0.5:
                found.append((number, round(fill, 2)))
    return found
