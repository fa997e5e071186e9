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
