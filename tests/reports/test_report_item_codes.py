"""Reports carry the year's own item code (o34 in 2567, O25 in 2569) in titles and file names."""

import pytest
from django.urls import reverse

from assessments.models import ItaYear
from reports.data import ReportOptions
from reports.models import kind_label
from reports.publication import publish
from tests.factories import make_assessment, make_measure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "kind", "stem"),
    [
        (2567, "o34", "o34"),
        (2567, "o35", "o35"),
        (2569, "o34", "O25"),
        (2569, "o35", "O26"),
        (2568, "o34", "analysis-measures"),  # no source says which 2568 item: no invented code
        (2568, "o35", "progress"),
        (2569, "oit", "oit-progress"),
    ],
)
def test_file_stem_is_the_years_item_code(catalogue, year, kind, stem):
    assert ItaYear.objects.get(year=year).report_file_stem(kind) == stem


def test_report_names_use_the_years_code_or_none(catalogue):
    assert kind_label(ItaYear.objects.get(year=2569), "o34").endswith("(O25)")
    assert kind_label(ItaYear.objects.get(year=2569), "o35").endswith("(O26)")
    assert kind_label(ItaYear.objects.get(year=2567), "o35").endswith("(o35)")
    for kind in ("o34", "o35"):
        assert "(" not in kind_label(ItaYear.objects.get(year=2568), kind)


def test_published_pdf_is_named_with_the_years_code(catalogue, org_a, manager_a, client):
    assessment = make_assessment(org_a, year=2569, scores=False)
    make_measure(assessment, questions=("O1",))
    from measures.services import approve

    approve(assessment, "o34", manager_a)
    version = publish(assessment, "o34", manager_a, ReportOptions())
    assert version.pdf.name.endswith("/O25-org-a-2570-v1.pdf")
    assert version.kind_label.endswith("(O25)")
    page = client.get(reverse("public_version", args=["org-a", 2570, "o34", 1])).content.decode()
    assert "(O25) ปีงบประมาณ 2570" in page
    assert "o34" not in page.replace("/o34/", "")  # only the URL keeps the portal's internal kind
    listing = client.get(reverse("public_org", args=["org-a"])).content.decode()
    assert "(O25)" in listing


def test_oit_report_groups_by_indicator_where_sub_indicators_are_unknown(catalogue, org_a, django_assert_num_queries):
    assessment = make_assessment(org_a, year=2569, scores=False)
    from reports.data import build

    with django_assert_num_queries(3):  # the indicators come with the items, not one query per item
        report = build("oit", assessment, ReportOptions(digits="arabic"))
    headings = [s["heading"] for s in report.body["sections"]]
    assert headings == ["ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", "ตัวชี้วัดที่ 10 การป้องกันการทุจริต"]
