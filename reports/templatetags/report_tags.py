from django import template
from django.utils.safestring import mark_safe

from assessments.richtext import sanitise
from reports.render import thai_breaks

register = template.Library()


@register.filter
def pdfrich(value):
    """Sanitised rich text with line-break opportunities where inline tags meet Thai text."""
    return mark_safe(thai_breaks(sanitise(value or "")))  # noqa: S308 - sanitised above
