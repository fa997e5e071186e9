"""Evidence files beside links: attached to a measure's result in a round or to an OIT item, typed
by content, size-limited, listed in the reports and published versions, never deleted once published."""

import io
import json
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from weasyprint import HTML

from measures import approval, trash
from measures.models import EvidenceFile, OitChecklistItem
from measures.services import approve
from reports import data
from reports.data import ReportOptions
from reports.publication import publish
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdf_bytes():
    return HTML(string="<p>รายงานการประชุมคณะทำงาน ITA</p>").write_pdf()


def _docx_bytes():
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("บันทึกข้อความ")
    document.save(out)
    return out.getvalue()


@pytest.fixture
def target(assessment_a):
    rounds = make_rounds(assessment_a)
    measure = make_measure(assessment_a, title="ประชุมชี้แจงเจ้าหน้าที่")
    make_progress(measure, rounds[0], status="done", output="จัดประชุมแล้ว")
    return measure, rounds[0]


def _page(measure, round_):
    return reverse("evidence", args=["org-a", 2568]) + f"?measure={measure.pk}&round={round_.pk}"


def _upload(client, url, *files):
    return client.post(url, {"files": list(files)}, follow=True)


def test_staff_attach_a_real_pdf_and_see_it_on_the_progress_page(staff_client, target, pdf_bytes):
    measure, round_ = target
    response = _upload(staff_client, _page(measure, round_), SimpleUploadedFile("รายงานการประชุม.pdf", pdf_bytes))
    assert "แนบไฟล์แล้ว: รายงานการประชุม.pdf" in response.content.decode()
    item = EvidenceFile.objects.get()
    assert (item.measure, item.round, item.content_type, item.size) == (
        measure,
        round_,
        "application/pdf",
        len(pdf_bytes),
    )
    assert item.file.read() == pdf_bytes
    page = staff_client.get(reverse("progress_round", args=["org-a", 2568, round_.pk])).content.decode()
    assert "รายงานการประชุม.pdf" in page and "แนบไฟล์หลักฐาน (1)" in page
    download = staff_client.get(reverse("evidence_download", args=[item.pk, item.name]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"


def test_a_renamed_executable_is_refused_and_nothing_is_kept(staff_client, target, media_root):
    measure, round_ = target
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
    response = _upload(staff_client, _page(measure, round_), SimpleUploadedFile("รายงานผล.pdf", exe))
    assert "เป็นโปรแกรม ไม่ใช่เอกสาร" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert not (media_root / "evidence").exists() or not any((media_root / "evidence").rglob("*.*"))


def test_office_files_are_typed_by_their_parts_and_a_plain_zip_is_refused(staff_client, target):
    measure, round_ = target
    _upload(staff_client, _page(measure, round_), SimpleUploadedFile("บันทึก.bin", _docx_bytes()))
    item = EvidenceFile.objects.get()
    assert item.name == "บันทึก.docx" and item.extension == "docx"  # the content decides the extension
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("setup.exe", b"MZ")
    response = _upload(staff_client, _page(measure, round_), SimpleUploadedFile("เอกสาร.docx", archive.getvalue()))
    assert "ไฟล์ ZIP แนบไม่ได้" in response.content.decode()
    assert EvidenceFile.objects.count() == 1


def test_a_file_over_the_limit_is_refused_with_its_size(staff_client, target, settings, pdf_bytes):
    settings.EVIDENCE_MAX_BYTES = 2**20
    measure, round_ = target
    big = pdf_bytes + b"\n%" + b"x" * (2**20)
    response = _upload(staff_client, _page(measure, round_), SimpleUploadedFile("สแกน.pdf", big))
    assert "เกินขนาดที่แนบได้ 1 MB" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_files_over_the_limit_for_one_sending_are_refused_and_none_kept(staff_client, target, settings, pdf_bytes):
    # each file is within its own limit; together they are more than one request may carry
    settings.EVIDENCE_MAX_REQUEST_BYTES = 2**20
    measure, round_ = target
    half = pdf_bytes + b"\n%" + b"x" * (2**19)
    files = [SimpleUploadedFile(f"สแกน{n}.pdf", half) for n in (1, 2)]
    response = _upload(staff_client, _page(measure, round_), *files)
    page = response.content.decode()
    assert "เกินที่ส่งได้ในครั้งเดียว 1 MB: แนบทีละน้อยไฟล์ (ยังไม่ได้แนบไฟล์ใดในครั้งนี้)" in page
    assert 'data-max-total-bytes="1048576"' in page  # the browser checks the same limit before sending
    assert not EvidenceFile.objects.exists()
    response = _upload(staff_client, _page(measure, round_), SimpleUploadedFile("สแกน1.pdf", half))
    assert EvidenceFile.objects.count() == 1  # one at a time fits


def test_one_bad_file_among_several_keeps_none(staff_client, target, pdf_bytes, media_root):
    measure, round_ = target
    good = SimpleUploadedFile("ก.pdf", pdf_bytes)
    bad = SimpleUploadedFile("ข.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64)
    response = _upload(staff_client, _page(measure, round_), good, bad)
    assert "ยังไม่ได้แนบไฟล์ใดในครั้งนี้" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert not list(media_root.rglob("*.pdf"))  # checked before anything was stored


def test_outsiders_and_auditors_cannot_attach_or_see_drafts(
    other_staff_client, auditor_client, anon_client, staff_client, target, pdf_bytes
):
    measure, round_ = target
    url = _page(measure, round_)
    assert other_staff_client.post(url, {"files": [SimpleUploadedFile("a.pdf", pdf_bytes)]}).status_code == 404
    assert auditor_client.post(url, {"files": [SimpleUploadedFile("a.pdf", pdf_bytes)]}).status_code == 403
    assert not EvidenceFile.objects.exists()
    _upload(staff_client, url, SimpleUploadedFile("a.pdf", pdf_bytes))
    item = EvidenceFile.objects.get()
    download = reverse("evidence_download", args=[item.pk, item.name])
    assert other_staff_client.get(download).status_code == 404
    assert anon_client.get(download).status_code == 404
    delete = reverse("evidence_delete", args=["org-a", 2568, item.pk])
    assert other_staff_client.post(delete).status_code == 404
    assert auditor_client.post(delete).status_code == 403
    assert EvidenceFile.objects.count() == 1


def test_files_are_listed_in_o35_and_oit_reports_and_change_the_approval(
    staff_client, manager_a, target, assessment_a, pdf_bytes, settings
):
    settings.SITE_URL = "https://ita.example.go.th"
    measure, round_ = target
    question = assessment_a.ita_year.questions.filter(instrument="OIT").first()
    OitChecklistItem.objects.create(assessment=assessment_a, question=question, status="done")
    in_round = ReportOptions(round_id=round_.pk)  # the o35 report of the files' round
    approve(assessment_a, "o35", manager_a, opts=in_round)
    _upload(staff_client, _page(measure, round_), SimpleUploadedFile("ภาพกิจกรรม 1.pdf", pdf_bytes))
    oit_page = reverse("evidence", args=["org-a", 2568]) + f"?oit={question.code}"
    _upload(staff_client, oit_page, SimpleUploadedFile("คำสั่ง.pdf", pdf_bytes))
    measure_file, oit_file = EvidenceFile.objects.order_by("id")
    assert approval.state(assessment_a, "o35", in_round) == approval.ApprovalState.CHANGED
    o35 = data.build("o35", assessment_a, ReportOptions(round_id=round_.pk))
    row = o35.body["sections"][0]["rows"][0]
    expected = f"https://ita.example.go.th/evidence/{measure_file.pk}/ภาพกิจกรรม_1.pdf"
    assert expected in row["evidence"] and row["file_ids"] == [measure_file.pk]
    oit = data.build("oit", assessment_a, ReportOptions())
    rows = [r for s in oit.body["sections"] for r in s["rows"] if r["code"] == question.code]
    assert rows[0]["files"] == [f"https://ita.example.go.th/evidence/{oit_file.pk}/คำสั่ง.pdf"]


def test_publishing_makes_a_file_public_and_undeletable(
    staff_client, anon_client, manager_a, target, pdf_bytes, settings
):
    settings.SITE_URL = "http://localhost:8000"
    measure, round_ = target
    _upload(staff_client, _page(measure, round_), SimpleUploadedFile("หลักฐาน.pdf", pdf_bytes))
    item = EvidenceFile.objects.get()
    download = reverse("evidence_download", args=[item.pk, item.name])
    assert anon_client.get(download).status_code == 404
    approve(measure.assessment, "o35", manager_a, opts=ReportOptions(round_id=round_.pk))
    version = publish(measure.assessment, "o35", manager_a, ReportOptions(round_id=round_.pk))
    item.refresh_from_db()
    assert item.published
    opened = json.loads(version.json.read())  # the open data lists the file as the PDF does
    assert opened["measures"][0]["progress"]["evidence"] == [f"http://localhost:8000/evidence/{item.pk}/หลักฐาน.pdf"]
    assert anon_client.get(download).status_code == 200
    response = staff_client.post(
        reverse("evidence_delete", args=["org-a", 2568, item.pk]), {"next": _page(measure, round_)}, follow=True
    )
    assert "อยู่ในรายงานที่เผยแพร่แล้ว" in response.content.decode()
    assert EvidenceFile.objects.filter(pk=item.pk).exists() and item.file.storage.exists(item.file.name)


def test_an_unpublished_file_can_be_deleted_and_leaves_no_file(
    staff_client, target, pdf_bytes, django_capture_on_commit_callbacks
):
    measure, round_ = target
    _upload(staff_client, _page(measure, round_), SimpleUploadedFile("ร่าง.pdf", pdf_bytes))
    item = EvidenceFile.objects.get()
    storage, name = item.file.storage, item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("evidence_delete", args=["org-a", 2568, item.pk]))
    assert not EvidenceFile.objects.exists() and not storage.exists(name)


def test_a_deleted_measure_keeps_its_files_and_restoring_relinks_them(staff_client, target, pdf_bytes):
    measure, round_ = target
    _upload(staff_client, _page(measure, round_), SimpleUploadedFile("ภาพ.pdf", pdf_bytes))
    deleted = trash.delete_measure(measure)
    assert EvidenceFile.objects.get().measure is None
    restored, lost = trash.restore_measure(deleted)
    assert not lost and EvidenceFile.objects.get().measure == restored


def test_the_oit_checklist_lists_each_items_files(staff_client, assessment_a, pdf_bytes):
    question = assessment_a.ita_year.questions.filter(instrument="OIT").first()
    url = reverse("evidence", args=["org-a", 2568]) + f"?oit={question.code}"
    _upload(staff_client, url, SimpleUploadedFile("แผนผัง.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32))
    item = EvidenceFile.objects.get()
    assert (item.oit_code, item.content_type, item.measure) == (question.code, "image/png", None)
    page = staff_client.get(reverse("checklist", args=["org-a", 2568])).content.decode()
    assert "แผนผัง.png" in page


def test_a_target_of_another_organisation_is_404(staff_client, assessment_b):
    rounds = make_rounds(assessment_b)
    other = make_measure(assessment_b)
    url = reverse("evidence", args=["org-a", 2568]) + f"?measure={other.pk}&round={rounds[0].pk}"
    assert staff_client.get(url).status_code == 404
    assert staff_client.get(reverse("evidence", args=["org-a", 2568]) + "?measure=x&round=1").status_code == 404


def test_the_o35_of_a_round_lists_only_that_rounds_files(staff_client, target, assessment_a, pdf_bytes):
    measure, first = target
    second = assessment_a.rounds.exclude(pk=first.pk).get()
    make_progress(measure, second, status="done", output="ครบทุกกอง")
    _upload(staff_client, _page(measure, first), SimpleUploadedFile("รอบแรก.pdf", pdf_bytes))
    _upload(staff_client, _page(measure, second), SimpleUploadedFile("รอบสอง.pdf", pdf_bytes))
    first_file, second_file = EvidenceFile.objects.order_by("id")
    for round_, expected in ((first, first_file), (second, second_file)):
        row = data.build("o35", assessment_a, ReportOptions(round_id=round_.pk)).body["sections"][0]["rows"][0]
        assert row["file_ids"] == [expected.pk]


def test_when_steps_print_their_own_links_the_measures_files_go_on_its_overview_row(
    staff_client, target, pdf_bytes, settings
):
    from measures.models import StepProgress

    settings.SITE_URL = "https://ita.example.go.th"
    measure, round_ = target
    _, second, _ = measure.steps.all()
    StepProgress.objects.create(step=second, round=round_, status="done", evidence="https://e.go.th/2")
    _upload(staff_client, _page(measure, round_), SimpleUploadedFile("ภาพ.pdf", pdf_bytes))
    url = f"https://ita.example.go.th/evidence/{EvidenceFile.objects.get().pk}/ภาพ.pdf"
    row = data.build("o35", measure.assessment, ReportOptions(round_id=round_.pk)).body["sections"][0]["rows"][0]
    assert [s["evidence"] for s in row["steps"]] == [[url], [], ["https://e.go.th/2"], []]
    assert row["steps"][0]["text"] == "ภาพรวมของมาตรการ"


def test_a_measure_reported_as_a_whole_prints_each_file_once(staff_client, target, pdf_bytes, settings):
    settings.SITE_URL = "https://ita.example.go.th"
    measure, round_ = target
    _upload(staff_client, _page(measure, round_), SimpleUploadedFile("ภาพ.pdf", pdf_bytes))
    url = f"https://ita.example.go.th/evidence/{EvidenceFile.objects.get().pk}/ภาพ.pdf"
    row = data.build("o35", measure.assessment, ReportOptions(round_id=round_.pk)).body["sections"][0]["rows"][0]
    assert [s["evidence"] for s in row["steps"]] == [[url], [], []]


def test_the_oit_report_prints_each_items_description_link_and_own_files(staff_client, assessment_a, settings):
    settings.SITE_URL = "https://ita.example.go.th"
    o1, o2, o3 = assessment_a.ita_year.questions.filter(instrument="OIT").order_by("order")[:3]
    OitChecklistItem.objects.create(
        assessment=assessment_a, question=o1, status="done", description="ขึ้นเว็บแล้ว", evidence_url="https://a.go.th/o1"
    )
    OitChecklistItem.objects.create(assessment=assessment_a, question=o2, status="done")
    url = reverse("evidence", args=["org-a", 2568]) + f"?oit={o2.code}"
    _upload(staff_client, url, SimpleUploadedFile("แผนผัง.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32))
    png = EvidenceFile.objects.get()
    report = data.build("oit", assessment_a, ReportOptions())
    rows = {row["code"]: row for s in report.body["sections"] for row in s["rows"]}
    assert (rows["o1"]["description"], rows["o1"]["evidence_url"], rows["o1"]["files"]) == (
        "ขึ้นเว็บแล้ว",
        "https://a.go.th/o1",
        [],
    )
    assert rows["o2"]["files"] == [f"https://ita.example.go.th/evidence/{png.pk}/แผนผัง.png"]
    assert rows["o2"]["file_ids"] == [png.pk] and rows["o1"]["file_ids"] == []
    # an item with nothing recorded prints nothing after its boxes
    assert (rows[o3.code]["description"], rows[o3.code]["evidence_url"], rows[o3.code]["files"]) == ("", "", [])
    # two done of three recorded items (o3 has none): counts what is done, not what is not
    OitChecklistItem.objects.create(assessment=assessment_a, question=o3, status="not_done")
    assert data.build("oit", assessment_a, ReportOptions(digits="arabic")).body["done"] == "2"
