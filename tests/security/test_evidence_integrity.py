"""Evidence files are what they claim and stay what was uploaded: a published file is checked against
its SHA-256 (409 with a Thai page when changed), Office files need their parts and may carry no
macro or program, a zip may not inflate beyond a bound, and each organisation has a storage quota."""

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures import evidence
from measures.models import EvidenceFile
from tests.factories import make_measure, make_rounds

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.fixture
def page(assessment_a):
    rounds = make_rounds(assessment_a)
    measure = make_measure(assessment_a)
    return reverse("evidence", args=["org-a", 2568]) + f"?measure={measure.pk}&round={rounds[0].pk}"


def _upload(client, url, name, content):
    return client.post(url, {"files": [SimpleUploadedFile(name, content)]}, follow=True).content.decode()


def _ooxml(parts: dict, content_types: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if content_types is not None:
            z.writestr("[Content_Types].xml", content_types)
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _types(main=WORD_MAIN, extra=""):
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>{extra}</Types>'
    )


def _real_docx() -> bytes:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("บันทึกข้อความ")
    document.save(out)
    return out.getvalue()


# --- published files are served only as uploaded ------------------------------------------------


def test_a_changed_published_evidence_file_is_refused_with_a_thai_409(staff_client, anon_client, page):
    _upload(staff_client, page, "หลักฐาน.pdf", PDF)
    item = EvidenceFile.objects.get()
    evidence.mark_published([item.pk])
    url = reverse("evidence_download", args=[item.pk, item.name])
    assert b"".join(anon_client.get(url).streaming_content) == PDF
    with open(item.file.path, "wb") as fh:  # the disk (or someone with access to it) changes the file
        fh.write(PDF.replace(b"trailer", b"TAMPERD"))
    response = anon_client.get(url)
    page_text = response.content.decode()
    assert response.status_code == 409  # the old code served the changed bytes
    assert "ไม่ตรงกับลายนิ้วมือ (SHA-256)" in page_text and "TAMPERD" not in page_text


def test_a_published_evidence_file_lost_from_storage_is_a_thai_404(staff_client, anon_client, page):
    _upload(staff_client, page, "หลักฐาน.pdf", PDF)
    item = EvidenceFile.objects.get()
    evidence.mark_published([item.pk])
    item.file.storage.delete(item.file.name)
    assert anon_client.get(reverse("evidence_download", args=[item.pk, item.name])).status_code == 404


# --- Office files are what they claim ------------------------------------------------------------


def test_a_real_word_file_is_accepted(staff_client, page):
    assert "แนบไฟล์แล้ว: รายงาน.docx" in _upload(staff_client, page, "รายงาน.docx", _real_docx())


@pytest.mark.parametrize(
    "parts, types, said",
    [
        ({"word/document.xml": "<w/>", "word/vbaProject.bin": b"\xd0\xcf"}, _types(), "vbaProject.bin"),
        ({"word/document.xml": "<w/>", "word/embeddings/setup.exe": b"MZ"}, _types(), "setup.exe"),
        ({"word/document.xml": "<w/>", "word/media/run.PS1": b"Get-Item"}, _types(), "run.PS1"),
        ({"word/document.xml": "<w/>", "customXml/tool.jar": b"PK"}, _types(), "tool.jar"),
        ({"word/document.xml": "<w/>"}, _types("application/vnd.ms-word.document.macroEnabled.main+xml"), "แมโคร"),
        ({"word/document.xml": "<w/>"}, None, "[Content_Types].xml"),
        ({"word/document.xml": "<w/>"}, _types("application/xml"), "ไม่ตรงกับชนิด"),
        ({"word/document.xml": "<w/>", "xl/workbook.xml": "<x/>"}, _types(), "หลายชนิดปนกัน"),
    ],
    ids=["vba", "exe", "ps1", "jar", "macro-type", "no-content-types", "wrong-main-type", "two-kinds"],
)
def test_an_office_file_that_is_not_what_it_claims_is_refused(staff_client, page, parts, types, said):
    text = _upload(staff_client, page, "เอกสาร.docx", _ooxml(parts, types))
    assert "แนบไม่ได้" in text and said in text  # the old code accepted each as a Word file
    assert not EvidenceFile.objects.exists()


def test_a_document_that_inflates_beyond_the_bound_is_refused(staff_client, page, settings):
    settings.EVIDENCE_MAX_UNPACKED_BYTES = 2**20
    bomb = _ooxml({"word/document.xml": "<w/>", "word/media/big.png": b"\0" * (3 * 2**20)}, _types())
    assert len(bomb) < 2**20 / 10  # small on the wire
    text = _upload(staff_client, page, "เอกสาร.docx", bomb)
    assert "เมื่อแตกไฟล์แล้วใหญ่ 3 MB เกินที่รับได้ 1 MB" in text and not EvidenceFile.objects.exists()


def test_an_odf_file_with_macros_is_refused(staff_client, page):
    odt = _ooxml({"mimetype": "application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml": "<m/>"})
    assert "มีแมโครอยู่ข้างใน" in _upload(staff_client, page, "เอกสาร.odt", odt)
    assert not EvidenceFile.objects.exists()


# --- a storage quota per organisation ------------------------------------------------------------


def test_an_upload_beyond_the_organisations_quota_is_refused_saying_how_much_is_used(staff_client, page, settings):
    settings.EVIDENCE_QUOTA_BYTES = len(PDF) * 2 + 10
    _upload(staff_client, page, "หนึ่ง.pdf", PDF)
    _upload(staff_client, page, "สอง.pdf", PDF)
    text = _upload(staff_client, page, "สาม.pdf", PDF)
    assert "พื้นที่เก็บไฟล์หลักฐานของหน่วยงานใช้ไปแล้ว 0.0 MB จาก 0 MB" in text
    assert EvidenceFile.objects.count() == 2
    assert evidence.used_bytes(EvidenceFile.objects.first().assessment.organisation_id) == 2 * len(PDF)


def test_the_evidence_page_says_how_much_of_the_quota_is_used(staff_client, page, settings):
    settings.EVIDENCE_QUOTA_BYTES = 2048 * 2**20
    staff_client.post(page, {"files": [SimpleUploadedFile("ใหญ่.pdf", PDF + b"\0" * (3 * 2**20))]})
    assert "พื้นที่ของหน่วยงานใช้ไปแล้ว 3.0 MB จาก 2,048 MB" in staff_client.get(page).content.decode()
