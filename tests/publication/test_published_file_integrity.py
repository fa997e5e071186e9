"""Published files are served only when they still match the SHA-256 recorded at publication."""

import hashlib
import logging

import pytest
from django.urls import reverse

from reports.data import ReportOptions
from reports.publication import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(approved_year, manager_a):
    return publish(approved_year, "o35", manager_a, ReportOptions())


def _url(name):
    return reverse("public_file", args=["org-a", 2568, "o35", 1, name])


@pytest.mark.parametrize("name", ["report.pdf", "data.csv", "data.json", "report.html"])
def test_an_intact_file_is_served_with_its_recorded_hash(anon_client, version, name):
    response = anon_client.get(_url(name))
    assert response.status_code == 200
    field = {"report.pdf": "pdf", "data.csv": "csv", "data.json": "json", "report.html": "html"}[name]
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == version.sha256[field]


def test_a_tampered_file_is_not_served_and_is_logged(anon_client, version, caplog):
    path = version.csv.path
    with open(path, "ab") as fh:
        fh.write(b'\r\n=HYPERLINK("http://evil.example")')
    with caplog.at_level(logging.ERROR, logger="reports.public_views"):
        response = anon_client.get(_url("data.csv"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "ไม่ตรงกับที่เผยแพร่" in page and "HYPERLINK" not in page
    assert "SHA-256" in caplog.text and str(version.pk) in caplog.text


def test_a_missing_file_is_a_thai_page_not_a_500(anon_client, version, caplog):
    import os

    os.remove(version.pdf.path)
    with caplog.at_level(logging.ERROR, logger="reports.public_views"):
        response = anon_client.get(_url("report.pdf"))
    assert response.status_code == 404
    assert "ไม่พบไฟล์ของรายงานฉบับนี้" in response.content.decode()
    assert "missing" in caplog.text
