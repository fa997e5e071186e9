"""Widgets rendered in Python (measures/widgets.py) give exactly the HTML of Django's templates."""

import datetime

import pytest
from django import forms

from assessments.forms_fields import ThaiDateInput
from measures.forms import ProgressForm
from measures.widgets import PlainRender, plain

NASTY = "ก\"<b>&amp;'</b> ข"
ATTRS = {"id": "id_x", "class": "form-control form-control-sm", "required": True, "disabled": False, "data-n": 3}


def _both(make, name, value, attrs=None):
    standard = make()
    fast = plain(make())
    assert isinstance(fast, PlainRender)
    return standard.render(name, value, attrs), fast.render(name, value, attrs)


@pytest.mark.parametrize("value", [None, "", "ข้อความ", NASTY, 0, 12])
@pytest.mark.parametrize(
    "make",
    [
        forms.TextInput,
        forms.URLInput,
        forms.HiddenInput,
        forms.NumberInput,
        ThaiDateInput,
        lambda: forms.Textarea(attrs={"rows": 3}),
    ],
    ids=["text", "url", "hidden", "number", "thai-date", "textarea"],
)
def test_inputs_and_textareas_render_as_djangos_templates(make, value):
    standard, fast = _both(make, 'm1-"f"', value, ATTRS)
    assert fast == standard


def test_a_thai_date_keeps_its_buddhist_era_value():
    standard, fast = _both(ThaiDateInput, "done_on", datetime.date(2025, 3, 31), ATTRS)
    assert fast == standard and 'value="31/3/2568"' in fast


@pytest.mark.parametrize("value", [None, "", "done", "2", NASTY])
def test_selects_render_as_djangos_templates_with_the_chosen_option(value):
    choices = [("", "—"), ("done", "ดำเนินการแล้ว"), (2, NASTY), ("กลุ่ม <ก>", [("g1", "หนึ่ง"), ("g2", NASTY)])]
    standard, fast = _both(lambda: forms.Select(choices=choices), "status", value, ATTRS)
    assert fast == standard


def test_a_bound_progress_form_renders_every_field_as_before():
    data = {"m7-status": "done", "m7-output": NASTY, "m7-outcome": "", "m7-done_on": "31/13/2568", "m7-evidence": "x"}
    form = ProgressForm(data, prefix="m7")
    assert not form.is_valid()  # errors add aria-invalid to the widgets
    for name in ("status", "output", "outcome", "done_on", "evidence", "version"):
        fast = form[name].as_widget()
        form[name].field.widget.__class__ = type(form[name].field.widget).__mro__[2]
        assert fast == form[name].as_widget(), name
