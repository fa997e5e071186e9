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
