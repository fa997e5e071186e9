"""Form widgets rendered in Python instead of through Django's widget templates.

Pages that show one form per row (progress, OIT checklist, a measure's steps) render hundreds of
widgets; each through the template engine costs most of the page's time at 160 measures (issue #29).
The HTML is exactly what Django's own templates produce (tests/measures/test_plain_widgets.py compares
them), so a widget keeps its attributes, escaping and behaviour.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

INPUT = "django/forms/widgets/input.html"
# Templates of Django's that are input.html with another type.
INPUT_TEMPLATES = {f"django/forms/widgets/{t}.html" for t in ("text", "url", "hidden", "number", "email", "date")}
TEXTAREA = "django/forms/widgets/textarea.html"
SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs) -> str:
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(w) -> str:
    value = "" if w["value"] is None else f' value="{conditional_escape(str(w["value"]))}"'
    kind, name = conditional_escape(w["type"]), conditional_escape(w["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(w["attrs"])}>'


def _textarea(w) -> str:
    value = conditional_escape(w["value"]) if w["value"] else ""
    return f'<textarea name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>'


def _select(w) -> str:
    out = [f'<select name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, options, _ in w["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for o in options:
            value, label = conditional_escape(str(o["value"])), conditional_escape(o["label"])
            # The included option template's own final newline stays (only the whole widget is stripped).
            out.append(f'\n  <option value="{value}"{_attrs(o["attrs"])}>{label}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class PlainRender:
    def render(self, name, value, attrs=None, renderer=None):
        w = self.get_context(name, value, attrs)["widget"]
        html = (
            _input(w)
            if self.template_name == INPUT
            else {TEXTAREA: _textarea, SELECT: _select}.get(self.template_name, _input)(w)
        )
        return mark_safe(html)


_PLAIN = {}


def plain(widget):
    """The widget made to render in Python, when Django's standard template is all it uses."""
    name = widget.template_name
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.SelectMultiple)):
        return widget
    if isinstance(widget, forms.Select) and (name != SELECT or widget.option_template_name != OPTION):
        return widget
    if name not in INPUT_TEMPLATES | {INPUT, TEXTAREA, SELECT}:
        return widget
    cls = type(widget)
    if cls not in _PLAIN:
        _PLAIN[cls] = type(f"Plain{cls.__name__}", (PlainRender, cls), {})
    widget.__class__ = _PLAIN[cls]
    return widget
