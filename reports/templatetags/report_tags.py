from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from assessments.richtext import sanitise
from reports.render import thai_breaks

register = template.Library()


@register.filter
def pdfrich(value):
    """Sanitised rich text with line-break opportunities where inline tags meet Thai text."""
    return mark_safe(thai_breaks(sanitise(value or "")))  # noqa: S308 - sanitised above


@register.filter
def link(url):
    """An evidence address as a link a reader can follow (PDF annotation, HTML anchor); anything
    that is not http(s) stays plain text."""
    url = url or ""
    if not url.lower().startswith(("http://", "https://")):
        return url
    return format_html('<a href="{}">{}</a>', url, url)


@register.filter
def continued(label, limit=40):
    """A measure's label where its steps go on over a page break, ahead of "(ต่อ)": cut at a word
    boundary near `limit` characters, so that the repeated title stays a line or three."""
    label = label or ""
    if len(label) <= limit:
        return label
    from pythainlp.tokenize import word_tokenize

    out = ""
    for token in word_tokenize(label, engine="newmm", keep_whitespace=True):
        if out and len(out) + len(token) > limit:
            break
        out += token
    return out.rstrip() + "…"
