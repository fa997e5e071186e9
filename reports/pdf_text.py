"""An exact text layer for WeasyPrint PDFs of Thai text.

WeasyPrint maps each glyph to the text of the first cluster it appeared in, so copied
Thai comes back wrong (ำ decomposed by HarfBuzz into NIKHAHIT + SARA AA makes every later
า extract as ำ, or ำ as า; positional tone-mark variants get tied to one cluster; marks
drawn with a text rise are split off as separate words). See docs/pdf-text-layer.md and
Kozea/WeasyPrint#2841.

This override of ``weasyprint.draw.text.draw_first_line``:
1. maps each glyph to Unicode from the font's own cmap, or failing that its glyph name
   (``uni0E49.low`` -> U+0E49), instead of the first cluster it met;
2. wraps only the clusters whose glyphs do not spell their source text (base + marks,
   SARA AM, offset marks) in ``/Span <</ActualText (...)>> BDC ... EMC``, as Chromium does.

Drawing is unchanged: the same glyphs at the same positions. It is installed by
``install()`` only for the WeasyPrint version it was written against.
"""

import logging
from functools import lru_cache
from io import BytesIO

import weasyprint
from fontTools import agl
from fontTools.ttLib import TTFont

LOGGER = logging.getLogger(__name__)
SUPPORTED_VERSIONS = {"70.0"}
_installed = False


@lru_cache(maxsize=64)
def _glyph_unicode_table(font_bytes_hash, font_bytes, index):
    """glyph id -> text, from the cmap first, then from glyph names."""
    ttfont = TTFont(BytesIO(font_bytes), fontNumber=index, lazy=True)
    order = ttfont.getGlyphOrder()
    ids = {name: gid for gid, name in enumerate(order)}
    table = {}
    # Prefer the lowest code point when several map to one glyph (e.g. space/nbsp).
    for codepoint, name in sorted((ttfont.getBestCmap() or {}).items(), reverse=True):
        if name in ids:
            table[ids[name]] = chr(codepoint)
    for gid, name in enumerate(order):
        if gid not in table:
            text = agl.toUnicode(name)
            if text and all(0x20 <= ord(c) for c in text):
                table[gid] = text
    return table


def glyph_table(font):
    cached = getattr(font, "_ita_glyph_table", None)
    if cached is None:
        try:
            cached = _glyph_unicode_table(font.hash, bytes(font.file_content), font.index)
        except Exception:  # a font fontTools cannot read: fall back to WeasyPrint's mapping
            LOGGER.warning("cannot read cmap of font %s; text layer may be inexact", font.family)
            cached = {}
        font._ita_glyph_table = cached
    return cached


def pdf_text_string(text: str) -> str:
    """A PDF text string in UTF-16BE with BOM, as a hex literal."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _clusters(glyphs_info, num_glyphs, clusters, item_length, rtl):
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

            # Decide, cluster by cluster, which need an ActualText span.
            actual = {}  # first glyph index -> (last glyph index, source text)
            for first, last, start, end in _clusters(glyphs_info, num_glyphs, clusters, glyph_item.item.length, rtl):
                source = utf8_text[item_offset + start : item_offset + end].decode()
                spelled, offsets = [], False
                for k in range(first, last + 1):
                    gid = glyphs_info[k].glyph
                    if gid == pango.PANGO_GLYPH_EMPTY:
                        continue
                    if gid & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                        spelled.append(chr(gid - pango.PANGO_GLYPH_UNKNOWN_FLAG))
                        continue
                    text = table.get(gid)
                    if text is None:
                        text = font.to_unicode.get(gid, source)
                    font.to_unicode.setdefault(gid, text)
                    spelled.append(text)
                    geometry = glyphs_info[k].geometry
                    offsets = offsets or bool(geometry.y_offset)
                if ("".join(spelled) != source or offsets) and source.strip():
                    actual[first] = (last, source)

            string += "<"
            span_end = None
            for i, glyph_info in enumerate(glyphs_info[0:num_glyphs]):
                if i in actual:
                    # Close the pending glyphs and open a span for this cluster.
                    string = string[:-1] if string[-1] == "<" else string + ">"
                    if string:
                        stream.show_text(string)
                    span_end, source = actual[i]
                    stream.begin_marked_content("Span", f"<</ActualText {pdf_text_string(source)}>>")
                    string = "<"

                glyph_id = glyph_info.glyph
                width = glyph_info.geometry.width

                if glyph_id == pango.PANGO_GLYPH_EMPTY:
                    string += f">{-width / font_size}<"
                    if span_end == i:
                        string = _close_span(stream, string)
                        span_end = None
                    continue

                if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                    codepoint = glyph_id - pango.PANGO_GLYPH_UNKNOWN_FLAG
                    LOG.warning(
                        '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
                        chr(codepoint),
                        codepoint,
                    )
                    glyph_id = font.get_unused_glyph_id(codepoint)
                    font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
                    if 0 not in font.widths:
                        font.widths[0] = font.widths[glyph_id]
                    font.to_unicode.setdefault(glyph_id, chr(codepoint))

                offset = glyph_info.geometry.x_offset / font_size
                rise = glyph_info.geometry.y_offset / 1000
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
                    string += f"<{glyph_id:02x}>" if font.bitmap else f"<{glyph_id:04x}>"
                    stream.show_text(string)
                    stream.set_text_rise(0)
                    string = "<"
                else:
                    if offset:
                        string += f">{-offset}<"
                    string += f"{glyph_id:02x}" if font.bitmap else f"{glyph_id:04x}"

                if glyph_id in font.widths:
                    logical_width = font.widths[glyph_id]
                else:
                    pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                    logical_width = font.widths[glyph_id] = round(
                        stream.logical_rect.width * 1000 * FROM_UNITS / font_size
                    )

                kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
                if kerning:
                    string += f">{int(kerning)}<"

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

    draw_text_module._original_draw_first_line = draw_text_module.draw_first_line
    draw_text_module.draw_first_line = make_draw_first_line(draw_text_module)
    _installed = True
    return True


def uninstall():
    global _installed
    from weasyprint.draw import text as draw_text_module

    if _installed:
        draw_text_module.draw_first_line = draw_text_module._original_draw_first_line
        _installed = False


def installed():
    return _installed
