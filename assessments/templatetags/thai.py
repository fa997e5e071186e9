import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from assessments.richtext import sanitise
from assessments.thai import digits, thai_date, thai_datetime

register = template.Library()


@register.filter
def thaidate(value, style="long"):
    return thai_date(value, style)


@register.filter
def thaidatetime(value):
    return thai_datetime(value)


@register.filter
def thaidigits(value, style="thai"):
    return digits(value, style)


@register.filter
def rich(value):
    """Sanitised rich text; safe to render whatever was stored or pasted."""
    return mark_safe(sanitise(value or ""))  # noqa: S308 - sanitise() allows a small, safe tag set


@register.filter
def score(value):
    return "–" if value is None else f"{value:.2f}"


@register.filter
def pct(value):
    """A score as a bar width; 0–100 already."""
    return 0 if value is None else max(0, min(100, float(value)))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter(name="shorten")
def shorten_filter(value, limit=60):
    from assessments.thai import shorten

    return shorten(value, int(limit))


@register.filter
def item_code(ita_year, kind):
    """The year's own item code of a report kind ("o34" in 2567, "O25" in 2569), "" if unknown."""
    return ita_year.report_code(kind) if ita_year else ""


@register.filter
def report_name(ita_year, kind):
    """The report's name with the year's item code where it is known."""
    return ita_year.report_name(kind) if ita_year else ""


@register.filter
def safeurl(value):
    """The URL if it is http or https, else "" — a stored javascript:/data: link never reaches an href."""
    from assessments.validators import is_safe_url

    return value if value and is_safe_url(value) else ""


_KEEP_TOGETHER = re.compile(r"(ประจำปี(?:งบประมาณ)?\s*พ\.ศ\.\s*[0-9๐-๙]{4}|พ\.ศ\.\s*[0-9๐-๙]{4})")


@register.filter
def keep_together(value):
    """A title never breaks inside "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" nor between "พ.ศ." and its year."""
    parts = _KEEP_TOGETHER.split(str(value or ""))
    out = [f'<span class="nobr">{escape(p)}</span>' if i % 2 else escape(p) for i, p in enumerate(parts)]
    return mark_safe("".join(out))  # noqa: S308 - every part is escaped above


@register.filter
def who_when(item):
    """A measure's or step's "ผู้รับผิดชอบ (ชื่อ-ตำแหน่ง)" and "กำหนดเสร็จ" on one short line, built
    in Python: the progress page shows it for every measure and step (hundreds of rows)."""
    person, due = getattr(item, "responsible_person", ""), getattr(item, "due_date", None)
    if not person and not due:
        return ""
    parts = [format_html('<span class="person">{}</span>', person)] if person else []
    if due:
        parts.append(format_html('<span class="due nowrap">กำหนดเสร็จ {}</span>', thai_date(due, "short")))
    return format_html('<div class="small text-muted break-anywhere who-when">{}</div>', mark_safe(" · ".join(parts)))  # noqa: S308 - parts escaped
