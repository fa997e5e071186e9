import csv
import io
import json
import subprocess

import pytest
from django.urls import reverse

from assessments.services import DomainError
from reports.data import ReportOptions
from reports.models import PublishedVersion
from reports.publication import publish
from tests.conftest import require_tool
from tests.factories import make_measure

pytestmark = pytest.mark.django_db


def _bytes(version):
    return {f: getattr(version, f).open("rb").read() for f in ("html", "pdf", "json", "csv")}


def test_publishing_needs_approval(assessment_a, manager_a):
    with pytest.raises(DomainError, match="ต้องอนุมัติ"):
        publish(assessment_a, "o34", manager_a, ReportOptions())
    assert not PublishedVersion.objects.exists()


def test_published_bytes_never_change_after_edits(approved_year, manager_a):
    v1 = publish(approved_year, "o35", manager_a, ReportOptions())
    before = _bytes(v1)
    m = approved_year.measures.first()
    m.title = "แก้ชื่อหลังเผยแพร่"
    m.save()
    m.steps.all().delete()
    make_measure(approved_year, title="มาตรการใหม่หลังเผยแพร่")
    v1.refresh_from_db()
    assert _bytes(v1) == before
    assert "แก้ชื่อหลังเผยแพร่".encode() not in before["html"]


def test_publishing_again_creates_the_next_version(approved_year, manager_a):
    v1 = publish(approved_year, "o34", manager_a, ReportOptions())
    approved_year.measures.first().delete()
    v2 = publish(approved_year, "o34", manager_a, ReportOptions())
    assert (v1.number, v2.number) == (1, 2)
    assert _bytes(v1)["json"] != _bytes(v2)["json"]
    other = publish(approved_year, "oit", manager_a, ReportOptions())
    assert other.number == 1


def test_a_published_version_cannot_be_saved_again(approved_year, manager_a):
    v = publish(approved_year, "oit", manager_a, ReportOptions())
    v.title = "x"
    with pytest.raises(ValueError, match="แก้ไขไม่ได้"):
        v.save()


def test_pdf_is_archival_and_json_csv_follow_the_schema(approved_year, manager_a):
    v = publish(approved_year, "o35", manager_a, ReportOptions())
    files = _bytes(v)
    assert files["pdf"].startswith(b"%PDF-")
    doc = json.loads(files["json"])
    assert doc["schema"] == "ita-portal-open-data/1" and doc["kind"] == "o35" and doc["version"] == 1
    assert doc["fiscal_year"] == 2568 and doc["ita_year"] == 2567
    assert doc["round"] == {"name": "รอบ 12 เดือน", "as_of": "2025-09-30"}
    assert doc["measures"][0]["progress"]["output"] == "ได้ดำเนินการแล้ว"
    assert files["csv"].startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert rows[0][:2] == ["ลำดับ", "มาตรการ/โครงการ/กิจกรรม"]
    assert len(rows) == 4 and rows[1][1] == "มาตรการที่ 1 E-Service"
    assert v.sha256["pdf"] and len(v.sha256) == 4


def test_manager_publishes_from_the_reports_page_staff_cannot(approved_year, manager_client, staff_client, tmp_path):
    url = reverse("report_publish", args=["org-a", 2568, "oit"])
    assert staff_client.post(url, {"digits": "thai"}).status_code == 403
    response = manager_client.post(url, {"digits": "arabic", "confirm": "1"}, follow=True)
    assert "ฉบับที่ 1 แล้ว" in response.content.decode()
    v = PublishedVersion.objects.get()
    # The digits option is carried into the frozen files: page numbers and codes in arabic digits.
    pdf = tmp_path / "v.pdf"
    pdf.write_bytes(v.pdf.open("rb").read())
    pdftotext = require_tool("pdftotext", install="apt-get install poppler-utils")
    text = subprocess.run([pdftotext, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "- 2 -" in text and "- ๒ -" not in text
    assert ">o1<" in v.html.open("rb").read().decode()
