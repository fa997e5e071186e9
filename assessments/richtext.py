"""Rich text pasted from Word, web pages and other systems: keep the meaning, never the risk.

Allowed: paragraphs, line breaks, lists, bold/italic/underline, links (http, https, mailto).
Everything else (script, event handlers, style, javascript: URLs) is removed.
"""

import html
import re

import nh3

TAGS = {"p", "br", "ul", "ol", "li", "b", "strong", "i", "em", "u", "a"}
ATTRIBUTES = {"a": {"href", "title"}}
SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"<[a-zA-Z/!]")


def sanitise(text: str) -> str:
    """Clean HTML for storage and display. Plain text gets its line breaks as <br>."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        # Plain text (perhaps with entities such as &amp;): escape it, keep its lines.
        paragraphs = [p for p in re.split(r"\n\s*\n", html.unescape(text)) if p.strip()]
        return "".join("<p>" + html.escape(p.strip()).replace("\n", "<br>") + "</p>" for p in paragraphs)
    cleaned = nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )
    return cleaned.strip()


def to_plain(text: str) -> str:
    """Rich text as plain lines, for CSV and search."""
    text = re.sub(r"</(p|li)>|<br\s*/?>", "\n", sanitise(text))
    text = re.sub(r"<li>", "• ", text)
    text = re.sub(r"<[^>]+>", "", text)
    return "\n".join(line.strip() for line in html.unescape(text).splitlines() if line.strip())


_LINK = re.compile(r"<a\b[^>]*?href\s*=\s*[\"']?([^\"' >]+)[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # Word's <!--[if gte mso 9]> … blocks
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|tr|td)>|<br\s*/?>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def plain_text(text: str) -> str:
    """Text for a plain field (a title, a step, a period, a result) from whatever was pasted:
    paragraphs and list items become lines, entities are decoded, a link keeps its text and URL,
    Word and web markup is dropped. Text without markup is kept as typed (lines included)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if _TAG.search(text) or "&" in text:
        text = _COMMENT.sub("", text)

        def link(match):
            url, label = match.group(1), _ANY_TAG.sub("", match.group(2)).strip()
            return url if not label or html.unescape(label) == html.unescape(url) else f"{label} ({url})"

        text = _LINK.sub(link, text)
        text = _LIST_ITEM.sub("\n• ", text)
        text = _BLOCK_END.sub("\n", text)
        text = html.unescape(_ANY_TAG.sub("", text))
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()
