"""Dates as Thai offices write them, read the same way in every form (issue #28)."""

import datetime
import importlib

import pytest
from django import forms
from django.urls import reverse

from assessments.forms_fields import ThaiDateField
from assessments.thai import ThaiDateError, parse_thai_date
from measures.models import Measure, Progress
from tests.factories import make_measure, make_rounds

JUNE_30_2570 = datetime.date(2027, 6, 30)


@pytest.mark.parametrize(
    "typed",
    [
        "30 มิ.ย. 2570",
        "30 มิ.ย. 70",
        "30 มิย 2570",  # the abbreviation without its dots
        "30 มิ. ย. 2570",  # dots spaced
        "30มิ.ย.70",  # run together
        "30/6/70",
        "30/06/2570",
        "30-6-2570",
        "30.6.2570",
        "๓๐/๖/๒๕๗๐",
        "๓๐ มิถุนายน ๒๕๗๐",
        "๓๐ มิ.ย. ๗๐",
        "30 มิถุนายน พ.ศ. 2570",
        "30 มิถุนายน พ.ศ.2570",
        "30 มิถุนา 2570",
        "วันที่ 30 มิถุนายน 2570",
        "  30   มิ.ย.   2570 ",
        "2570-06-30",  # ISO order with a Buddhist-Era year
    ],
)
def test_a_date_typed_the_thai_way_is_read(typed):
    assert parse_thai_date(typed) == JUNE_30_2570
    assert ThaiDateField().clean(typed) == JUNE_30_2570


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("1 ต.ค. 2568", datetime.date(2025, 10, 1)),
        ("1 ตค 68", datetime.date(2025, 10, 1)),
        ("15 ก.พ. 2570", datetime.date(2027, 2, 15)),
        ("15 กพ 70", datetime.date(2027, 2, 15)),
        ("31 ก.ค. 2570", datetime.date(2027, 7, 31)),
        ("31 ก.ย. 2569", None),  # September has 30 days: refused below, not guessed
        ("5 พ.ค. 2570", datetime.date(2027, 5, 5)),
        ("5 พ.ย. 2570", datetime.date(2027, 11, 5)),
        ("29 ก.พ. 2571", datetime.date(2028, 2, 29)),  # 2028 is a leap year
        ("1 กรกฏาคม 2570", datetime.date(2027, 7, 1)),  # the common misspelling
    ],
)
def test_each_month_abbreviation_is_its_own_month(typed, day):
    if day is None:
        with pytest.raises(ThaiDateError, match="ไม่มีวันที่ 31 กันยายน 2569"):
            parse_thai_date(typed)
    else:
        assert parse_thai_date(typed) == day


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2027-02-15", "ปี 2027 เป็น ค.ศ. ใช้ปี พ.ศ. เช่น 2570"),
        ("15/2/2027", "ปี 2027 เป็น ค.ศ. ใช้ปี พ.ศ. เช่น 2570"),
        ("15 ก.พ. 2027", "ปี 2027 เป็น ค.ศ. ใช้ปี พ.ศ. เช่น 2570"),
        ("๑๕/๒/๒๐๒๗", "ปี 2027 เป็น ค.ศ. ใช้ปี พ.ศ. เช่น 2570"),
        ("31 ก.พ. 2570", "ไม่มีวันที่ 31 กุมภาพันธ์ 2570"),
        ("29/2/2570", "ไม่มีวันที่ 29 กุมภาพันธ์ 2570"),
        ("31/4/70", "ไม่มีวันที่ 31 เมษายน 2570"),
        ("1/13/2570", "ไม่มีเดือนที่ 13"),
        ("30 มิถุ 2570", "ไม่รู้จักเดือน “มิถุ”"),
        ("1/1/1000", "ปี 1000 ไม่ถูกต้อง"),
        ("สิ้นเดือนนี้", "อ่านวันที่ “สิ้นเดือนนี้” ไม่ได้"),
    ],
)
def test_a_christian_era_year_or_an_impossible_date_is_refused_in_thai(typed, message):
    with pytest.raises(ThaiDateError) as excinfo:
        parse_thai_date(typed)
    assert message in str(excinfo.value)
    with pytest.raises(forms.ValidationError) as excinfo:
        ThaiDateField().clean(typed)
    assert message in excinfo.value.messages[0]


def _form_classes():
    for module in ("assessments.forms", "measures.forms", "reports.forms", "ita_portal.forms"):
        importlib.import_module(module)
    seen, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.split(".")[0] in ("assessments", "measures", "reports", "ita_portal"):
            seen.append(cls)
    return seen


def test_every_date_field_of_every_form_is_the_thai_date_field():
    date_fields = [
        (cls.__name__, name, field)
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField) or isinstance(field.widget, forms.DateInput)
    ]
    names = {(cls, name) for cls, name, _ in date_fields}
    # The fields the tester used: if one of these stops being a date field this list is stale.
    assert {("MeasureForm", "due_date"), ("ProgressForm", "done_on"), ("StepForm", "period_start")} <= names
    plain = [(cls, name) for cls, name, field in date_fields if type(field) is not ThaiDateField]
    assert plain == []


@pytest.mark.django_db
def test_the_progress_row_refuses_a_christian_era_date_as_the_measure_form_does(staff_client, assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a)
    url = reverse("progress_save", args=["org-a", 2568, rounds[0].pk, m.pk])
    data = {f"m{m.pk}-status": "done", f"m{m.pk}-done_on": "2027-02-15", f"m{m.pk}-version": "0"}
    response = staff_client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["done_on"] == ["ปี 2027 เป็น ค.ศ. ใช้ปี พ.ศ. เช่น 2570"]
    assert not Progress.objects.filter(measure=m).exists()  # nothing half-saved

    data[f"m{m.pk}-done_on"] = "15 ก.พ. 68"
    assert staff_client.post(url, data, HTTP_ACCEPT="application/json").status_code == 200
    assert Progress.objects.get(measure=m).done_on == datetime.date(2025, 2, 15)


@pytest.mark.django_db
def test_the_measure_form_keeps_a_refused_date_as_typed_and_reads_a_thai_month(staff_client, assessment_a):
    url = reverse("measure_new", args=["org-a", 2568])
    data = {"title": "มาตรการวันที่", "period_text": "ตลอดปีงบประมาณ", "due_date": "31 ก.พ. 2568"}
    page = staff_client.post(url, data).content.decode()
    assert "ไม่มีวันที่ 31 กุมภาพันธ์ 2568" in page and 'value="31 ก.พ. 2568"' in page
    assert not Measure.objects.filter(title="มาตรการวันที่").exists()

    data["due_date"] = "๒๘ ก.พ. ๖๘"
    assert staff_client.post(url, data).status_code == 302
    assert Measure.objects.get(title="มาตรการวันที่").due_date == datetime.date(2025, 2, 28)


def test_the_date_box_opens_the_full_keyboard_and_is_marked_for_the_calendar():
    html = str(ThaiDateField().widget.render("d", datetime.date(2027, 6, 30)))
    assert 'value="30/6/2570"' in html and "data-thai-date" in html
    assert "inputmode" not in html  # a number pad has no "/" and no Thai letters
