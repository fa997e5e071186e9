import json

import pytest
from django.urls import reverse

from reports.data import ReportOptions
from reports.publication import publish
from tests.factories import make_assessment, make_measure, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(approved_year, manager_a):
    return {kind: publish(approved_year, kind, manager_a, ReportOptions()) for kind in ("o34", "o35", "oit")}


def test_public_pages_need_no_login(anon_client, published):
    v = published["o35"]
    for url in [
        reverse("public_directory"),
        reverse("public_org", args=["org-a"]),
        reverse("public_latest", args=["org-a", 2568, "o35"]),
        reverse("public_version", args=["org-a", 2568, "o35", 1]),
    ]:
        response = anon_client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="th">' in response.content.decode()
    page = anon_client.get(reverse("public_version", args=["org-a", 2568, "o35", 1])).content.decode()
    assert v.title in page and "/public/org-a/2568/o35/v1/" in page
    pdf = anon_client.get(reverse("public_file", args=["org-a", 2568, "o35", 1, "report.pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == v.pdf.open("rb").read()


def test_publication_date_in_buddhist_era(anon_client, published):
    page = anon_client.get(reverse("public_latest", args=["org-a", 2568, "oit"])).content.decode()
    year_be = published["oit"].published_at.year + 543
    assert f"{year_be}</span>" in page


def test_drafts_are_never_public(anon_client, org_b, assessment_b, published):
    make_measure(assessment_b, title="ร่างของหน่วยงานอื่น")
    assert anon_client.get(reverse("public_org", args=["org-b"])).status_code == 404
    assert anon_client.get(reverse("public_latest", args=["org-b", 2568, "o34"])).status_code == 404
    assert anon_client.get(reverse("public_latest", args=["org-a", 2568, "o99"])).status_code == 404
    assert anon_client.get(reverse("public_version", args=["org-a", 2568, "o34", 7])).status_code == 404
    directory = anon_client.get(reverse("public_directory")).content.decode()
    assert "องค์การบริหารส่วนตำบลระเว" in directory and "เทศบาลตำบลบ้านใหม่" not in directory
    # The staff-side preview of the same report stays behind login.
    assert anon_client.get(reverse("report_preview", args=["org-a", 2568, "o34"])).status_code == 302


def test_latest_page_links_earlier_versions(anon_client, approved_year, manager_a, published):
    publish(approved_year, "o35", manager_a, ReportOptions())
    page = anon_client.get(reverse("public_latest", args=["org-a", 2568, "o35"])).content.decode()
    assert "ฉบับที่ 2" in page and "/public/org-a/2568/o35/v1/" in page
    old = anon_client.get(reverse("public_version", args=["org-a", 2568, "o35", 1])).content.decode()
    assert "มีฉบับใหม่กว่า" in old


def test_frozen_html_cannot_run_scripts(anon_client, approved_year, manager_a):
    approved_year.limitations = (
        '<script>alert(1)</script><p onclick="x()">ข้อจำกัด</p><a href="javascript:y()">z</a><p style="color:red">s</p>'
    )
    approved_year.save()
    publish(approved_year, "o34", manager_a, ReportOptions())
    response = anon_client.get(reverse("public_file", args=["org-a", 2568, "o34", 1, "report.html"]))
    html = b"".join(response.streaming_content).decode()
    assert "ข้อจำกัด" in html
    for bad in ("<script", "onclick", "javascript:", 'style="color'):
        assert bad not in html
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_public_pages_and_downloads_never_render_a_pdf(anon_client, published, monkeypatch):
    import weasyprint

    import reports.publication
    import reports.render

    def boom(*a, **k):
        raise AssertionError("rendered on request")

    # Patched where each is looked up: publication imported html_to_pdf by name; every path ends in
    # WeasyPrint's write_pdf.
    monkeypatch.setattr(reports.publication, "html_to_pdf", boom)
    monkeypatch.setattr(reports.render, "html_to_pdf", boom)
    monkeypatch.setattr(reports.render, "render_pdf", boom)
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", boom)
    assert anon_client.get(reverse("public_file", args=["org-a", 2568, "o34", 1, "report.pdf"])).status_code == 200
    assert anon_client.get(reverse("public_latest", args=["org-a", 2568, "o34"])).status_code == 200


def test_public_queries_stay_constant(anon_client, approved_year, manager_a, published, django_assert_max_num_queries):
    for _ in range(4):
        publish(approved_year, "o35", manager_a, ReportOptions())
    for i in range(30):
        org = make_org(f"extra-{i}", f"องค์การบริหารส่วนตำบลเพิ่ม{i}")
        make_assessment(org, scores=False)
    urls = [
        reverse("public_directory"),
        reverse("public_org", args=["org-a"]),
        reverse("public_latest", args=["org-a", 2568, "o35"]),
        reverse("public_version", args=["org-a", 2568, "o35", 2]),
        reverse("public_file", args=["org-a", 2568, "o35", 3, "data.csv"]),
    ]
    for url in urls:
        with django_assert_max_num_queries(6):
            assert anon_client.get(url).status_code == 200


def test_csv_is_written_for_people_and_json_for_machines(anon_client, approved_year, manager_a):
    publish(approved_year, "o35", manager_a, ReportOptions())
    publish(approved_year, "oit", manager_a, ReportOptions())
    o35_csv = anon_client.get(reverse("public_file", args=["org-a", 2568, "o35", 1, "data.csv"]))
    text = (
        b"".join(o35_csv.streaming_content).decode("utf-8-sig")
        if o35_csv.streaming
        else o35_csv.content.decode("utf-8-sig")
    )
    assert "1 ตุลาคม 2567" in text and "30 กันยายน 2568" in text and "ดำเนินการแล้ว" in text
    assert "2024-10-01" not in text and ",done," not in text
    oit = anon_client.get(reverse("public_file", args=["org-a", 2568, "oit", 1, "data.csv"]))
    oit_text = b"".join(oit.streaming_content).decode("utf-8-sig") if oit.streaming else oit.content.decode("utf-8-sig")
    assert ",ดำเนินการ," in oit_text
    data = anon_client.get(reverse("public_file", args=["org-a", 2568, "o35", 1, "data.json"]))
    raw = b"".join(data.streaming_content) if data.streaming else data.content
    measure = json.loads(raw)["measures"][0]
    assert measure["period_start"] == "2024-10-01" and measure["progress"]["status"] == "done"
