"""The person responsible and the due date of a measure and of its steps are seen where the work
is followed: the measures list and the progress page, not only the overdue list (issue #28)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_measure, make_rounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(assessment_a):
    make_rounds(assessment_a)
    m = make_measure(assessment_a, title="มาตรการมีคนรับผิดชอบ", steps=2)
    m.responsible_person, m.due_date = "นางสาวสมศรี ใจดี นักวิเคราะห์นโยบายและแผน", datetime.date(2025, 1, 31)
    m.save()
    first, second = m.steps.all()
    first.responsible_person, first.due_date = "นายสมชาย <b>รักงาน</b> ปลัด อบต.", datetime.date(2024, 12, 15)
    first.save()
    second.due_date = datetime.date(2025, 3, 1)  # a due date without a person
    second.save()
    return m


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_measures_list_shows_each_person_and_due_date(staff_client, measure):
    page = staff_client.get(reverse("measure_list", args=["org-a", 2568])).content.decode()
    text = _text(page)
    assert "นางสาวสมศรี ใจดี นักวิเคราะห์นโยบายและแผน" in text
    assert "กำหนดเสร็จ 31 ม.ค. 68" in text
    assert "นายสมชาย &lt;b&gt;รักงาน&lt;/b&gt; ปลัด อบต." in page  # typed text, never markup
    assert "กำหนดเสร็จ 15 ธ.ค. 67" in text and "กำหนดเสร็จ 1 มี.ค. 68" in text


def test_the_progress_page_shows_each_person_and_due_date(staff_client, measure):
    page = staff_client.get(reverse("progress", args=["org-a", 2568])).content.decode()
    row = page[page.index(f'id="p{measure.pk}"') :]
    row = row[: row.index("</form>")]
    text = _text(row)
    assert "นางสาวสมศรี ใจดี นักวิเคราะห์นโยบายและแผน · กำหนดเสร็จ 31 ม.ค. 68" in text
    assert "นายสมชาย &lt;b&gt;รักงาน&lt;/b&gt; ปลัด อบต. · กำหนดเสร็จ 15 ธ.ค. 67" in text
    assert "กำหนดเสร็จ 1 มี.ค. 68" in text


def test_a_measure_without_person_or_due_date_shows_no_empty_line(staff_client, assessment_a):
    make_rounds(assessment_a)
    make_measure(assessment_a, title="มาตรการไม่มีกำหนด", steps=1)
    for name in ("measure_list", "progress"):
        page = staff_client.get(reverse(name, args=["org-a", 2568])).content.decode()
        assert "มาตรการไม่มีกำหนด" in page and "who-when" not in page and "กำหนดเสร็จ" not in page


def test_showing_them_costs_no_query_per_measure(staff_client, assessment_a):
    make_rounds(assessment_a)

    def counts():
        out = []
        for name in ("measure_list", "progress"):
            with CaptureQueriesContext(connection) as ctx:
                assert staff_client.get(reverse(name, args=["org-a", 2568])).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    for _ in range(2):
        m = make_measure(assessment_a, steps=2, responsible_person="ปลัด อบต.", due_date=datetime.date(2025, 1, 31))
        m.steps.update(responsible_person="ผู้อำนวยการกองคลัง", due_date=datetime.date(2025, 2, 1))
    few = counts()
    for _ in range(5):
        make_measure(assessment_a, steps=2, responsible_person="ปลัด อบต.", due_date=datetime.date(2025, 1, 31))
    assert counts() == few
