"""An exact text layer for WeasyPrint PDFs: a ToUnicode map that is right on its own.

WeasyPrint 70 maps each glyph to the text of the first cluster it appeared in, so copied
Thai comes back wrong: ำ, decomposed by HarfBuzz into NIKHAHIT + SARA AA, makes every later
า extract as ำ (or ำ as า); a positional tone-mark variant (``uniF70A``) is tied to one cluster
or, read from the font's cmap, comes out as a private-use character; marks drawn with a text
rise are split off. See docs/pdf-text-layer.md and Kozea/WeasyPrint#2841.

This override of ``weasyprint.draw.text.draw_first_line`` draws exactly the same glyphs at the
same positions (pages render pixel-identical), and:

1. splits each cluster's own text over its glyphs (``assign``): a glyph gets the characters
   the font says it stands for (cmap without private-use and compatibility forms, else a
   ``uniXXXX`` glyph name) when they come next in the cluster, otherwise whatever part of the
   cluster's text is left; a glyph with nothing left (the NIKHAHIT of ำ) is *silent*;
2. gives each distinct (glyph, text) pair its own character code: the first pair of a glyph
   keeps code = glyph id, later ones get new CIDs above the font's glyphs, pointed at the same
   glyph through a ``CIDToGIDMap`` stream (``_build_vector_font_dictionary`` is wrapped for
   that), each with its own ``ToUnicode`` entry; readers that know only ToUnicode (pdf.js,
   pdfminer, pypdf) get the exact text;
3. a silent glyph maps to an empty string under a code that is itself an invisible format
   character (Unicode category Cf): pdf.js and PDFium read an empty mapping as "the code
   itself", and pdf.js drops Cf characters. It joins the ActualText span of the glyph before it;
4. writes glyphs without advance with a width of 1/1000 em (the next TJ adjustment takes it
   back; pdfminer cuts a line between two zero-width characters) and marks that GPOS draws
   left of the pen as wide as that distance (under codes of their own), so readers that place
   characters by their widths see no gap after them;
5. wraps the clusters whose glyphs' own text differs from what they stand for here (positional
   variants, SARA AA standing for ำ, reordered vowel signs) in ``/Span <</ActualText (...)>>
   BDC ... EMC``, which poppler, PDFium and MuPDF prefer.

TrueType outlines only: CFF (OpenType ``OTTO``) CID fonts cannot take a CIDToGIDMap, so for them
each glyph keeps one code and ActualText alone carries the exact text. Installed by
``install()`` only for the WeasyPrint version it was written against.
"""

import logging
import re
import struct
import threading
import unicodedata
from collections import OrderedDict
from hashlib import blake2b
from io import BytesIO

import weasyprint
from fontTools import agl
from fontTools.ttLib import TTFont

LOGGER = logging.getLogger(__name__)
SUPPORTED_VERSIONS = {"70.0"}
_installed = False

# Characters that are dropped from a cluster's text: inserted by our templates to allow breaks.
IGNORED = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))
_IGNORED_CHARS = frozenset("\u200b\u2060\ufeff")
MAX_CODE = 0xFFFF
ZERO_WIDTH = 1  # in thousandths of the font size
# Codes for silent glyphs: invisible format characters (Cf) that no extractor treats as white
# space (U+180E and U+FEFF are, in some). pdf.js skips a glyph whose text is one of these.
SILENT_CODES = tuple(
    code for code in range(0x0600, 0xFFFC) if unicodedata.category(chr(code)) == "Cf" and code not in (0x180E, 0xFEFF)
)
_SILENT_SET = frozenset(SILENT_CODES)


def _is_private(text):
    return any(0xE000 <= ord(c) <= 0xF8FF or ord(c) >= 0xF0000 for c in text)


def _readable(char):
    """The text a cmap character stands for, or None for private-use characters.

    Compatibility forms (ligatures U+FB00–, Arabic presentation forms, Kangxi radicals, CJK
    compatibility ideographs) become their ordinary characters; other characters, Thai's ำ
    included (its NFKC form is ํ + า), are kept as they are.
    """
    code = ord(char)
    if _is_private(char):
        return None
    if 0x2E80 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or 0xFB00 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFE:
        return unicodedata.normalize("NFKC", char)
    if 0x2F800 <= code <= 0x2FA1F:
        return unicodedata.normalize("NFC", char)
    return char


def _read_glyph_table(data, index):
    """glyph id -> text the glyph stands for on its own (no private-use characters)."""
    ttfont = TTFont(BytesIO(data), fontNumber=index, lazy=True)
    order = ttfont.getGlyphOrder()
    ids = {name: gid for gid, name in enumerate(order)}
    table = {}
    # Prefer the lowest code point when several map to one glyph (e.g. space/nbsp).
    for codepoint, name in sorted((ttfont.getBestCmap() or {}).items(), reverse=True):
        text = _readable(chr(codepoint))
        if name in ids and text:
            table[ids[name]] = text
    for gid, name in enumerate(order):
        if gid not in table:
            text = _name_text(name)
            if text:
                table[gid] = text
    return table


_NAME_PART = re.compile(r"uni(?:[0-9A-F]{4})+|u[0-9A-F]{4,6}|[A-Za-z]")


def _name_text(name):
    """The text of a glyph name: ``uni0E49.low`` -> U+0E49, ``f_f_i`` -> "ffi".

    Only Unicode-value names and single Latin letters: other AGL names are ambiguous
    (``alef`` and ``lam`` are Hebrew in the AGL, while an Arabic font names its own glyphs so).
    """
    base = name.split(".")[0]
    parts = base.split("_")
    if not base or not all(_NAME_PART.fullmatch(part) for part in parts):
        return None
    text = agl.toUnicode(base)
    if not text or any(ord(c) < 0x20 for c in text) or _is_private(text):
        return None
    return "".join(map(_readable, text))


class _FontTables:
    """A bounded, thread-safe cache of glyph tables keyed by font identity, not font bytes.

    The key is a digest of the face's table directory (every table's tag, checksum, offset and
    length) with the face index and file length: a few hundred bytes, where the font file can be
    tens of megabytes (CJK).
    """

    def __init__(self, size=32):
        self.size = size
        self._tables = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(data, index):
        offset = 0
        if data[:4] == b"ttcf":
            (offset,) = struct.unpack_from(">I", data, 12 + 4 * index)
        (num_tables,) = struct.unpack_from(">H", data, offset + 4)
        directory = data[offset : offset + 12 + 16 * num_tables]
        return (len(data), index, blake2b(directory, digest_size=16).digest())

    def get(self, data, index):
        key = self.key(data, index)
        with self._lock:
            if key in self._tables:
                self._tables.move_to_end(key)
                return self._tables[key]
        table = _read_glyph_table(data, index)
        with self._lock:
            self._tables[key] = table
            while len(self._tables) > self.size:
                self._tables.popitem(last=False)
        return table

    def __len__(self):
        return len(self._tables)

    def clear(self):
        with self._lock:
            self._tables.clear()


FONT_TABLES = _FontTables()


def glyph_table(font):
    cached = getattr(font, "_ita_glyph_table", None)
    if cached is None:
        try:
            cached = FONT_TABLES.get(font.file_content, font.index)
        except Exception:  # a font fontTools cannot read: fall back to the cluster texts
            LOGGER.warning("cannot read cmap of font %s; text layer may be inexact", font.family)
            cached = {}
        font._ita_glyph_table = cached
    return cached


def pdf_text_string(text: str) -> str:
    """A PDF text string in UTF-16BE with BOM, as a hex literal."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def assign(candidates, zero_width, source):
    """Split ``source`` (a cluster's text) over its glyphs, in the order the text runs.

    ``candidates[k]`` is what glyph k stands for on its own (or None), ``zero_width[k]`` whether
    it has no advance. Returns one string per glyph; their concatenation is ``source``. A glyph
    gets its own characters when they come next in the text, else whatever is left to it; an
    empty string (a silent glyph) only where there are more glyphs than characters, preferably
    on a glyph without advance (the NIKHAHIT of ำ).
    """
    count = len(candidates)
    if count == 1:
        return [source]
    if all(candidates) and "".join(candidates) == source:
        return list(candidates)
    length = len(source)
    infinity = float("inf")
    best = [[infinity] * (length + 1) for _ in range(count + 1)]
    back = [[0] * (length + 1) for _ in range(count + 1)]
    best[0][0] = 0
    for k in range(count):
        candidate = candidates[k]
        silent_cost = 100 if zero_width[k] else 101
        for start in range(length + 1):
            base = best[k][start]
            if base == infinity:
                continue
            for end in range(start, length + 1):
                if end == start:
                    cost = silent_cost
                elif source[start:end] == candidate:
                    cost = 0
                else:
                    cost = 1
                if base + cost < best[k + 1][end]:
                    best[k + 1][end] = base + cost
                    back[k + 1][end] = start
    texts, end = [], length
    for k in range(count, 0, -1):
        start = back[k][end]
        texts.append(source[start:end])
        end = start
    return texts[::-1]


class _Codes:
    """Character codes of one WeasyPrint font: one per distinct (glyph, text) pair."""

    def __init__(self, font):
        self.font = font
        # Extra CIDs need a CIDToGIDMap: TrueType outlines only (not CFF, not bitmaps).
        self.extra = not font.bitmap and font.file_content[:4] != b"OTTO"
        self.by_pair = {}  # (glyph id, text) -> code
        self.cid_to_gid = {}  # extra code -> glyph id
        self.next_code = font.glyph_count
        self.silent = (code for code in SILENT_CODES if code >= font.glyph_count)
        self.logical = {}  # glyph id -> advance in thousandths of the font size
        self.widths = {}  # code -> the width written for it, where it is not the glyph's advance

    def _new_code(self):
        while self.next_code in _SILENT_SET:
            self.next_code += 1
        if self.next_code > MAX_CODE:
            return None
        code = self.next_code
        self.next_code += 1
        return code

    def missing(self, codepoint):
        """The code for a character no font has (drawn as .notdef), as get_unused_glyph_id."""
        font = self.font
        if codepoint not in font.missing:
            code = self._new_code()
            if code is None:
                LOGGER.warning('Too many glyphs missing from "%s", expect text selection problems', font.family)
                code = MAX_CODE
            font.missing[codepoint] = code
        return font.missing[codepoint]

    def code(self, glyph_id, text, width=None):
        """The code under which ``glyph_id`` is drawn when it stands for ``text``.

        With ``width``, a code of its own whose advance is written as ``width`` (see ``widths``).
        """
        if width is not None and self.extra:
            code = self.by_pair.get((glyph_id, text, width))
            if code is None:
                code = next(self.silent, None) if not text else self._new_code()
                if code is None:
                    return self.code(glyph_id, text)
                self.by_pair[(glyph_id, text, width)] = code
                self.cid_to_gid[code] = glyph_id
                self.font.to_unicode[code] = text
                self.font.to_unicode.setdefault(glyph_id, self.font._ita_glyph_table.get(glyph_id) or text)
                self.widths[code] = width
            return code
        to_unicode = self.font.to_unicode
        known = to_unicode.get(glyph_id)
        if known is None and text:
            to_unicode[glyph_id] = text
            return glyph_id
        if known == text:
            return glyph_id
        code = self.by_pair.get((glyph_id, text))
        if code is not None:
            return code
        if self.extra:
            code = next(self.silent, None) if not text else self._new_code()
        if code is None:
            # No code left (or a CFF font): the glyph keeps one code and ActualText carries the text.
            if known is None:
                to_unicode[glyph_id] = text or self.font._ita_glyph_table.get(glyph_id) or "\ufffd"
            return glyph_id
        self.by_pair[(glyph_id, text)] = code
        self.cid_to_gid[code] = glyph_id
        to_unicode[code] = text
        if known is None:
            # The subset keeps the glyph ids found in to_unicode: keep this glyph under its own code too.
            to_unicode[glyph_id] = self.font._ita_glyph_table.get(glyph_id) or text
        return code


def codes_of(font):
    codes = getattr(font, "_ita_codes", None)
    if codes is None:
        codes = font._ita_codes = _Codes(font)
    return codes


def _clusters(num_glyphs, clusters, item_length, rtl):
    """Yield (first glyph index, last glyph index, byte start, byte end) per cluster."""
    i = 0
    while i < num_glyphs:
        j = i
        while j + 1 < num_glyphs and clusters[j + 1] == clusters[i]:
            j += 1
        start = clusters[i]
        if rtl:
            end = item_length if i == 0 else clusters[i - 1]
        else:
            end = item_length if j == num_glyphs - 1 else clusters[j + 1]
        yield i, j, start, end
        i = j + 1


def make_draw_first_line(original_module):
    """Build the replacement from the original module's helpers (same names, same version)."""
    ffi, pango = original_module.ffi, original_module.pango
    LOG = original_module.LOGGER
    get_last_word_end = original_module.get_last_word_end
    get_hb_object_data = original_module.get_hb_object_data
    FROM_UNITS, TO_UNITS = original_module.FROM_UNITS, original_module.TO_UNITS
    ElementTree, SVGImage = original_module.ElementTree, original_module.SVGImage
    Image, RasterImage = original_module.Image, original_module.RasterImage
    EMPTY, UNKNOWN = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG

    def plan_run(font, font_size, table, codes, glyphs, clusters, utf8_text, item_offset, item_length, rtl):
        """Codes per glyph, silent glyph indexes, and the spans that need ActualText.

        ``glyphs`` holds (glyph id, advance, x offset) per glyph, ``clusters`` the byte offsets.
        """
        num_glyphs = len(glyphs)
        run_codes = [None] * num_glyphs
        silent = set()
        actual = {}  # first glyph index -> (last glyph index, source text)
        glyph_texts = {}  # glyph index -> its text
        to_unicode, code_of = font.to_unicode, codes.code
        for first, last, start, end in _clusters(num_glyphs, clusters, item_length, rtl):
            source = utf8_text[item_offset + start : item_offset + end].decode()
            text = source if _IGNORED_CHARS.isdisjoint(source) else source.translate(IGNORED)
            if first == last:  # one glyph: it stands for the whole cluster (fast path)
                gid, advance, x_offset = glyphs[first]
                if gid == EMPTY or gid & UNKNOWN:
                    pass  # handled below with the general case
                else:
                    candidate = table.get(gid)
                    glyph_text = text or candidate or to_unicode.get(gid, source)
                    shifted = text and not advance and x_offset < 0
                    width = round(-x_offset / font_size) if shifted else None
                    if width is None and to_unicode.get(gid) == glyph_text:
                        run_codes[first] = gid
                    else:
                        run_codes[first] = code_of(gid, glyph_text, width)
                    glyph_texts[first] = glyph_text
                    if candidate != glyph_text and text.strip():
                        actual[first] = (first, text)
                    continue
            indexes, candidates, zero_width, unknown, mismatch = [], [], [], False, False
            for k in range(first, last + 1):
                gid, advance, _ = glyphs[k]
                if gid == EMPTY:
                    continue
                if gid & UNKNOWN:
                    codepoint = gid - UNKNOWN
                    run_codes[k] = codes.missing(codepoint)
                    to_unicode.setdefault(run_codes[k], chr(codepoint))
                    unknown = True
                    continue
                indexes.append(k)
                candidates.append(table.get(gid))
                zero_width.append(not advance)
            if not indexes:
                continue
            if rtl:  # glyphs run right to left, the text left to right
                indexes, candidates, zero_width = indexes[::-1], candidates[::-1], zero_width[::-1]
            if text and not unknown:
                texts = assign(candidates, zero_width, text)
            else:  # only zero-width characters, or a .notdef among the glyphs: as before
                texts = [
                    candidate or to_unicode.get(glyphs[k][0], source)
                    for k, candidate in zip(indexes, candidates, strict=True)
                ]
            spans, segment = [], []
            for k, glyph_text, candidate in zip(indexes, texts, candidates, strict=True):
                gid, advance, x_offset = glyphs[k]
                # A mark drawn left of the pen (GPOS) is written as wide as that distance, so that
                # it ends where the pen is: readers that place characters by their advance (poppler,
                # pypdf, pdfminer, PDFium) then see no gap after it.
                shifted = glyph_text and not advance and x_offset < 0
                width = round(-x_offset / font_size) if shifted else None
                code = run_codes[k] = code_of(gid, glyph_text, width)
                if not glyph_text and code in codes.cid_to_gid:
                    silent.add(k)
                    spans.append(segment)
                    spans.append([(k, "")])
                    segment = []
                else:
                    segment.append((k, glyph_text))
                    mismatch = mismatch or candidate != glyph_text
            spans.append(segment)
            glyph_texts.update(zip(indexes, texts, strict=True))
            if not text.strip():
                continue
            if unknown:
                actual[first] = (last, text)
            elif mismatch:
                # The cluster's text, cut at its silent glyphs (MuPDF repeats an ActualText
                # whose end the glyphs already spell when a glyph without text comes first).
                for segment in spans:
                    if segment:
                        actual[min(segment)[0]] = (max(segment)[0], "".join(t for _, t in segment))
            else:
                for k in silent.intersection(indexes):
                    actual[k] = (k, "")
        if silent:
            # A silent glyph ends the span of the glyph before it, whose text it keeps: PDFium
            # reads an empty ActualText as none (and then the code itself), MuPDF repeats the end
            # of a span that a silent glyph starts.
            ends = {end: start for start, (end, _) in actual.items()}
            for k in sorted(silent):
                before = k - 1
                if before not in glyph_texts or before in silent or actual.get(k, (k, ""))[1]:
                    continue
                actual.pop(k, None)
                ends.pop(k, None)
                start = ends.pop(before, None)
                if start is None:
                    start = before
                    actual[start] = (k, glyph_texts[before])
                else:
                    actual[start] = (k, actual[start][1])
                ends[k] = start
        return run_codes, silent, actual

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        """Draw the given ``textbox`` line to the document ``stream``."""
        if not textbox.text.strip():
            return []
        if textbox.style["font_size"] < 1e-6:
            return []

        pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)

        if text_overflow == "ellipsis" or block_ellipsis != "none":
            assert textbox.pango_layout.max_width is not None
            max_width = textbox.pango_layout.max_width
            pango.pango_layout_set_width(textbox.pango_layout.layout, int(max_width * TO_UNITS))
            if text_overflow == "ellipsis":
                pango.pango_layout_set_ellipsize(textbox.pango_layout.layout, pango.PANGO_ELLIPSIZE_END)
            else:
                if block_ellipsis == "auto":
                    ellipsis = "…"
                else:
                    assert block_ellipsis[0] == "string"
                    ellipsis = block_ellipsis[1]
                new_text = textbox.pango_layout.text
                if new_text.endswith(textbox.style["hyphenate_character"]):
                    last_word_end = get_last_word_end(
                        new_text[: -len(textbox.style["hyphenate_character"])], textbox.style["lang"]
                    )
                    if last_word_end:
                        new_text = new_text[:last_word_end]
                textbox.pango_layout.set_text(new_text + ellipsis)

        first_line, index = textbox.pango_layout.get_first_line()

        if block_ellipsis != "none":
            while index:
                last_word_end = get_last_word_end(textbox.pango_layout.text[: -len(ellipsis)], textbox.style["lang"])
                if last_word_end is None:
                    break
                new_text = textbox.pango_layout.text[:last_word_end]
                textbox.pango_layout.set_text(new_text + ellipsis)
                first_line, index = textbox.pango_layout.get_first_line()

        stream.set_text_matrix(*matrix.values)
        previous_pango_font = None
        string = ""
        x_advance = 0
        emojis = []
        utf8_text = textbox.pango_layout.text.encode()
        run = first_line.runs[0]
        while run != ffi.NULL:
            glyph_item = run.data
            run = run.next
            glyph_string = glyph_item.glyphs
            glyphs_info = glyph_string.glyphs
            num_glyphs = glyph_string.num_glyphs
            clusters = glyph_string.log_clusters
            item_offset = glyph_item.item.offset
            rtl = bool(glyph_item.item.analysis.level % 2)

            pango_font = glyph_item.item.analysis.font
            if pango_font != previous_pango_font:
                previous_pango_font = pango_font
                font, font_size = stream.add_font(pango_font)
                if pango.pango_version() < 14802 or font.png:
                    font_size = textbox.style["font_size"]
                if string:
                    stream.show_text(string)
                string = ""
                stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
            table = glyph_table(font)
            codes = codes_of(font)
            infos = glyphs_info[0:num_glyphs]
            geometries = [info.geometry for info in infos]
            glyphs = [
                (info.glyph, geometry.width, geometry.x_offset)
                for info, geometry in zip(infos, geometries, strict=True)
            ]
            run_codes, silent, actual = plan_run(
                font,
                font_size,
                table,
                codes,
                glyphs,
                ffi.unpack(clusters, num_glyphs),
                utf8_text,
                item_offset,
                glyph_item.item.length,
                rtl,
            )

            string += "<"
            span_end = None
            for i, geometry in enumerate(geometries):
                if i in actual:
                    # Close the pending glyphs and open a span for this cluster.
                    string = string[:-1] if string[-1] == "<" else string + ">"
                    if string:
                        stream.show_text(string)
                    span_end, source = actual[i]
                    stream.begin_marked_content("Span", f"<</ActualText {pdf_text_string(source)}>>")
                    string = "<"

                glyph_id, width, x_offset = glyphs[i]

                if glyph_id == EMPTY:
                    string += f">{-width / font_size}<"
                    if span_end == i:
                        string = _close_span(stream, string)
                        span_end = None
                    continue

                code = run_codes[i]
                if glyph_id & UNKNOWN:
                    codepoint = glyph_id - UNKNOWN
                    LOG.warning(
                        '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
                        chr(codepoint),
                        codepoint,
                    )
                    glyph_id = code
                    font.widths[code] = round(width * 1000 * FROM_UNITS / font_size)
                    if 0 not in font.widths:
                        font.widths[0] = font.widths[code]
                    codes.logical[code] = font.widths[code]

                offset = x_offset / font_size
                rise = geometry.y_offset / 1000
                hex_code = f"{code:02x}" if font.bitmap else f"{code:04x}"
                if rise:
                    if string[-1] == "<":
                        string = string[:-1]
                    else:
                        string += ">"
                    if string:
                        stream.show_text(string)
                    stream.set_text_rise(-rise)
                    string = ""
                    if offset:
                        string = f"{-offset}"
                    string += f"<{hex_code}>"
                    stream.show_text(string)
                    stream.set_text_rise(0)
                    string = "<"
                else:
                    if offset:
                        string += f">{-offset}<"
                    string += hex_code

                logical_width = codes.logical.get(glyph_id)
                if logical_width is None:
                    logical_width = font.widths.get(glyph_id)
                if logical_width is None:
                    pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                    logical_width = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
                codes.logical[glyph_id] = logical_width
                # A glyph without advance (a mark, a silent glyph) is written with a width of
                # 1/1000 em that the adjustment after it takes back: the pen ends where it did,
                # and pdfminer, which cuts a line between two zero-width characters, keeps it whole.
                written_width = logical_width if logical_width and i not in silent else ZERO_WIDTH
                font.widths.setdefault(code, codes.widths.get(code, written_width))

                kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
                adjustment = int(kerning) - logical_width + font.widths[code]
                if adjustment or (kerning and font.widths[code] == logical_width):
                    string += f">{adjustment}<"

                if span_end == i:
                    string = _close_span(stream, string)
                    span_end = None

                if font.svg:
                    svg_data = get_hb_object_data(font.hb_face, "svg", glyph_id)
                    if svg_data:
                        tree = ElementTree.fromstring(svg_data)
                        if tree.get("id") != f"glyph{glyph_id}":
                            defs = ElementTree.Element("defs")
                            for child in list(tree):
                                defs.append(child)
                                tree.remove(child)
                            tree.append(defs)
                            ElementTree.SubElement(tree, "use", attrib={"href": f"#glyph{glyph_id}"})
                        if "viewBox" not in tree.attrib:
                            tree.attrib["viewBox"] = f"0 0 {font.upem} {font.upem}"
                        image = SVGImage(tree, None, None, None)
                        emojis.append([image, font, 1, 1, x_advance, 0])
                elif font.png:
                    png_data = get_hb_object_data(font.hb_font, "png", glyph_id)
                    if png_data:
                        pillow_image = Image.open(BytesIO(png_data))
                        image = RasterImage(pillow_image, f"{font.hash}{glyph_id}", png_data)
                        d = logical_width / 1000
                        a = pillow_image.width / pillow_image.height * d
                        pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                        f = -stream.logical_rect.y * FROM_UNITS / font_size - font_size
                        emojis.append([image, font, a, d, x_advance, f])
                elif font.colr:
                    svg_data = get_hb_object_data(font.hb_font, "colr", glyph_id)
                    if svg_data:
                        tree = ElementTree.fromstring(svg_data)
                        image = SVGImage(tree, None, None, None)
                        emojis.append([image, font, 1, 1, x_advance - kerning, -textbox.baseline])

                x_advance += (logical_width + offset - kerning) / 1000

            if string[-1] == "<":
                string = string[:-1]
            else:
                string += ">"

        if string:
            stream.show_text(string)
        return emojis

    return draw_first_line


def _close_span(stream, string):
    string = string[:-1] if string.endswith("<") else string + ">"
    if string:
        stream.show_text(string)
    stream.end_marked_content()
    return "<"


def cid_to_gid_map(font, cid_to_gid, used=None):
    """The bytes of a CIDToGIDMap stream: each code used points at its glyph (its own id below the
    font's glyph count, the extras at theirs); unused entries are 0, which compresses to nothing."""
    size = max(cid_to_gid) + 1
    glyphs = [0] * size
    for cid in range(min(size, font.glyph_count)) if used is None else used:
        if cid < min(size, font.glyph_count):
            glyphs[cid] = cid
    for cid, gid in cid_to_gid.items():
        glyphs[cid] = gid
    return struct.pack(f">{size}H", *glyphs)


def make_build_vector_font_dictionary(original):
    """Wrap WeasyPrint's CID font dictionary builder to point the extra CIDs at their glyphs."""
    import pydyf

    def build_vector_font_dictionary(font_dictionary, pdf, font, widths, compress, reference, pdf_version):
        if widths is not font.widths:  # fonts not subset (form fields): keep the widths the text was drawn with
            widths.update(font.widths)
        original(font_dictionary, pdf, font, widths, compress, reference, pdf_version)
        codes = getattr(font, "_ita_codes", None)
        if not codes or not codes.cid_to_gid or not codes.extra:
            return
        descendant = font_dictionary["DescendantFonts"][0]
        subfont = pdf.objects[int(descendant.split()[0])]
        used = None if widths is not font.widths else font.widths  # every code drawn has a width
        stream = pydyf.Stream([cid_to_gid_map(font, codes.cid_to_gid, used)], compress=compress)
        pdf.add_object(stream)
        subfont["CIDToGIDMap"] = stream.reference

    build_vector_font_dictionary._ita_original = original
    return build_vector_font_dictionary


def install(force=False):
    """Replace WeasyPrint's glyph drawing, for the version this was written against only."""
    global _installed
    if _installed:
        return True
    if weasyprint.__version__ not in SUPPORTED_VERSIONS and not force:
        LOGGER.warning(
            "WeasyPrint %s is not one of %s: the exact Thai text layer is NOT installed",
            weasyprint.__version__,
            SUPPORTED_VERSIONS,
        )
        return False
    from weasyprint.draw import text as draw_text_module
    from weasyprint.pdf import fonts as pdf_fonts_module

    draw_text_module._original_draw_first_line = draw_text_module.draw_first_line
    draw_text_module.draw_first_line = make_draw_first_line(draw_text_module)
    pdf_fonts_module._build_vector_font_dictionary = make_build_vector_font_dictionary(
        pdf_fonts_module._build_vector_font_dictionary
    )
    _installed = True
    return True


def uninstall():
    global _installed
    from weasyprint.draw import text as draw_text_module
    from weasyprint.pdf import fonts as pdf_fonts_module

    if _installed:
        draw_text_module.draw_first_line = draw_text_module._original_draw_first_line
        pdf_fonts_module._build_vector_font_dictionary = pdf_fonts_module._build_vector_font_dictionary._ita_original
        _installed = False


def installed():
    return _installed
