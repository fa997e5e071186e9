"""No Word file can hold a worker or fill its memory: sizes checked before parsing, merged cells
read in one pass, rows, tables and cells bounded, every refusal in Thai (issue #23, point 3)."""

import datetime
import io
import json
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from measures import tasks, word_import
from measures.models import Measure, MeasureStep, Progress, StepProgress, WordImportPlan
from measures.services import ensure_rounds
from measures.word_import import WordImportError, plan_import
from tests.factories import make_assessment
from tests.measures import word_fixtures as wf

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org_a):
    return make_assessment(org_a, year=2567, scores=False)


def _run(raw, year):
    try:
        return plan_import(raw, year)
    except WordImportError as exc:
        return exc


def _timed(raw, year):
    """plan_import's result (or refusal), the seconds it took and, in a second run under
    tracemalloc (which slows Python down), its peak of Python memory in MB."""
    started = time.perf_counter()
    result = _run(raw, year)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        _run(raw, year)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return result, elapsed, peak


@pytest.mark.parametrize("steps", [16, 300, 600])
def test_a_measure_merged_down_hundreds_of_rows_is_read_in_one_pass(year, steps):
    # Before: python-docx followed every merged cell up the table, 100 rows took 74 s, 600 never ended.
    plan, elapsed, peak = _timed(wf.merged_rows(steps), year)
    (m,) = plan.measures
    assert m.title == "มาตรการขับเคลื่อนการประเมิน ITA" and len(m.steps) == steps
    assert m.period == "ตลอดปีงบประมาณ" and m.units == ["สำนักปลัด"] and m.output == "ดำเนินการแล้ว"
    assert m.steps[-1].text.endswith(f"ขั้นตอนที่ {steps}")
    assert elapsed < 5 and peak < 50, (elapsed, peak)


def test_a_package_inflating_to_100_mb_is_refused_before_parsing(year):
    raw = wf.inflating(100)  # about 350 KB on disk
    assert len(raw) < 1024 * 1024
    refusal, elapsed, peak = _timed(raw, year)
    assert isinstance(refusal, WordImportError)
    assert "ถูกบีบอัดไว้ถึง" in str(refusal) or "เมื่อคลายออก" in str(refusal)
    assert elapsed < 1 and peak < 20, (elapsed, peak)


def test_sizes_per_part_total_and_ratio_are_each_checked(year, monkeypatch):
    raw = wf.inflating(3)  # 3 MB of XML packs far over 100 times
    with pytest.raises(WordImportError, match="ถูกบีบอัดไว้ถึง"):
        plan_import(raw, year)
    monkeypatch.setattr(word_import, "MAX_RATIO", 10**6)
    monkeypatch.setattr(word_import, "MAX_PART", 2 * 1024 * 1024)
    with pytest.raises(WordImportError, match="เนื้อหาเอกสารเมื่อคลายออกมีขนาด 3 MB"):
        plan_import(raw, year)
    monkeypatch.setattr(word_import, "MAX_UNPACKED", 2 * 1024 * 1024)
    with pytest.raises(WordImportError, match="เมื่อคลายออกมีขนาด 3 MB เกินกว่าที่รายงานจะมี"):
        plan_import(raw, year)


def test_a_document_under_the_limits_is_parsed_in_bounded_memory(year, monkeypatch):
    # 8 MB of paragraphs, once the ratio is allowed: read as a stream, never a whole tree.
    monkeypatch.setattr(word_import, "MAX_RATIO", 10**6)
    refusal, elapsed, peak = _timed(wf.inflating(8), year)
    assert "ไม่พบตารางมาตรการ" in str(refusal)
    assert elapsed < 30 and peak < 20, (elapsed, peak)


def test_a_thousand_row_table_is_read_quickly(year):
    plan, elapsed, peak = _timed(wf.many_rows(1000, steps=100), year)
    assert len(plan.measures) == 10 and all(len(m.steps) == 100 for m in plan.measures)
    assert plan.measures[0].steps[1].output == "ดำเนินการแล้ว"  # each step row keeps its own cells
    assert elapsed < 5 and peak < 50, (elapsed, peak)


def test_rows_tables_and_measures_are_bounded_with_thai_messages(year):
    with pytest.raises(WordImportError, match="แถวในตารางเกิน 2,000 แถว"):
        plan_import(wf.many_rows(2001), year)
    with pytest.raises(WordImportError, match="ตารางเกิน 50 ตาราง"):
        plan_import(wf.many_rows(1, tables=51), year)
    with pytest.raises(WordImportError, match="มาตรการเกิน 300 มาตรการ"):
        plan_import(wf.many_rows(301), year)
    plan = plan_import(wf.many_rows(300), year)
    assert len(plan.measures) == 300


def test_a_cell_spanning_a_million_columns_is_refused(year):
    refusal, elapsed, peak = _timed(wf.wide_span(), year)
    assert "กว้างเกิน 64 คอลัมน์" in str(refusal)
    assert elapsed < 1 and peak < 20


def test_steps_in_one_cell_an_over_long_cell_and_all_text_are_bounded(year, monkeypatch):
    steps = "\n".join("- ก" for _ in range(3001))
    doc = wf.DOC_START + "<w:tbl>" + wf._tr([wf._tc(h) for h in wf.O35_HEADERS])
    cell = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in steps.splitlines())
    row = wf._tr([wf._tc("มาตรการ"), f"<w:tc>{cell}</w:tc>", wf._tc(), wf._tc(), wf._tc(), wf._tc()])
    with pytest.raises(WordImportError, match="ขั้นตอนรวมเกิน 3,000"):
        plan_import(wf.package(doc + row + "</w:tbl>" + wf.DOC_END), year)
    row = wf._tr([wf._tc("มาตรการ"), wf._tc("ก" * 20_001), wf._tc(), wf._tc(), wf._tc(), wf._tc()])
    with pytest.raises(WordImportError, match="แถว 2 คอลัมน์ 2: ข้อความยาว 20,001 ตัวอักษร"):
        plan_import(wf.package(doc + row + "</w:tbl>" + wf.DOC_END), year)
    row = wf._tr([wf._tc("มาตรการ"), wf._tc("ก" * 19_000), wf._tc(), wf._tc(), wf._tc(), wf._tc()])
    monkeypatch.setattr(word_import, "MAX_RATIO", 10**6)  # repeated text packs too well: let it through
    with pytest.raises(WordImportError, match="ข้อความในตารางมาตรการรวมเกิน 1,000,000 ตัวอักษร"):
        plan_import(wf.package(doc + row * 60 + "</w:tbl>" + wf.DOC_END), year)


@pytest.mark.parametrize(
    "document",
    [
        "<html><body>not a document</body></html>",
        "this is not XML at all",
        wf.DOC_START + "<w:p><w:r><w:t>unterminated",
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><d>&c;&c;&c;</d>',
        "",
    ],
)
def test_a_package_whose_document_is_not_a_document_gets_a_thai_message(year, document):
    with pytest.raises(WordImportError, match="document.xml ไม่ใช่เอกสาร"):
        plan_import(wf.package(document), year)
    assert not Measure.objects.exists()


def test_a_package_without_a_document_or_with_a_damaged_part(year):
    with pytest.raises(WordImportError, match=r"ต้องเป็นไฟล์ Word \(\.docx\)"):
        plan_import(wf.package("", name="word/other.xml", target="word/document.xml"), year)
    raw = bytearray(wf.merged_rows(16))
    start = raw.index(b"word/document.xml") + len("word/document.xml")
    raw[start + 40 : start + 80] = b"\x00" * 40  # the packed document overwritten
    with pytest.raises(WordImportError, match="ไฟล์ Word"):
        plan_import(bytes(raw), year)


def test_the_main_part_is_found_by_its_relationship(year):
    # Word sometimes saves the document as word/document2.xml; the package's relationships say so.
    raw = wf.many_rows(2)
    with zipfile.ZipFile(io.BytesIO(raw)) as source:
        document = source.read("word/document.xml").decode()
    plan = plan_import(wf.package(document, name="word/document2.xml"), year)
    assert [m.title for m in plan.measures] == ["มาตรการที่ 0-1", "มาตรการที่ 0-2"]


# --- the preview and the confirmation ---------------------------------------------------------


def _upload(client, raw, **data):
    data["file"] = SimpleUploadedFile("o35.docx", raw)
    return client.post(reverse("word_import", args=["org-a", 2568]), data)


def _confirm(client):
    return client.post(reverse("word_import", args=["org-a", 2568]), {"confirm": "1"})


def test_the_plan_is_kept_out_of_the_session_and_confirmed_in_a_few_queries(
    staff_client, staff_a, year, django_assert_max_num_queries
):
    rounds = ensure_rounds(year)
    page = _upload(staff_client, wf.many_rows(1000, steps=100), round=rounds[-1].pk).content.decode()
    assert 'id="word-preview"' in page
    session = dict(staff_client.session)
    assert len(json.dumps(session)) < 1000, session  # before: the whole plan, 2.9 MB for 10,000 rows
    stored = WordImportPlan.objects.get()
    assert stored.user == staff_a and len(stored.data["measures"]) == 10
    started = time.perf_counter()
    with django_assert_max_num_queries(120):  # before: some ten queries a step (SQLite: 999 values a query)
        response = _confirm(staff_client)
    assert time.perf_counter() - started < 30  # before: 47 s on SQLite; the query bound is the real guard
    assert response.status_code == 302
    assert Measure.objects.filter(assessment=year).count() == 10
    assert MeasureStep.objects.filter(measure__assessment=year).count() == 1000
    assert StepProgress.objects.filter(step__measure__assessment=year, output="ดำเนินการแล้ว").count() == 1000
    assert not WordImportPlan.objects.exists()  # gone once confirmed
    assert _confirm(staff_client).status_code == 302  # a second click imports nothing more
    assert Measure.objects.filter(assessment=year).count() == 10


def test_the_bulk_save_leaves_the_audit_trail_as_one_by_one_saves_did(staff_client, year):
    rounds = ensure_rounds(year)
    plan = plan_import(wf.merged_o35(), year).to_dict()
    word_import.apply_plan(year, plan, rounds[-1])
    measure = Measure.objects.get(assessment=year, title="มาตรการเปิดเผยข้อมูลการปฏิบัติงาน")
    (record,) = measure.history.all()
    assert record.history_type == "+" and record.title == measure.title
    assert sorted(u.unit.name for u in record.units.all()) == ["กองคลัง", "สำนักปลัด"]
    assert [i.issue.number for i in record.issues.all()] == [1]
    step = measure.steps.first()
    assert step.history.count() == 1
    progress = Progress.objects.get(measure=measure)
    assert progress.history.count() == 1 and progress.output == "ดำเนินการแล้ว & เผยแพร่"


def test_a_plan_is_confirmed_only_by_its_user_and_within_a_day(staff_client, manager_client, year):
    _upload(staff_client, wf.merged_o35())
    stored = WordImportPlan.objects.get()
    session = manager_client.session  # someone else naming the same plan
    session[f"word_import:{year.pk}"] = stored.pk
    session.save()
    assert _confirm(manager_client).status_code == 302
    assert not Measure.objects.exists() and WordImportPlan.objects.exists()
    WordImportPlan.objects.update(created=timezone.now() - datetime.timedelta(days=2))
    response = _confirm(staff_client)
    assert response.status_code == 302 and response["Location"] == reverse("word_import", args=["org-a", 2568])
    assert not Measure.objects.exists()
    _upload(manager_client, wf.merged_o35())  # a new upload clears plans over a day old
    assert list(WordImportPlan.objects.values_list("user__username", flat=True)) == ["manager_a"]


def test_a_refused_file_in_the_page_is_a_thai_message_and_stores_nothing(staff_client, year):
    page = _upload(staff_client, wf.merged_rows(2001)).content.decode()
    assert "แถวในตารางเกิน 2,000 แถว" in page
    page = _upload(staff_client, wf.package("<html/>")).content.decode()
    assert "ไม่ใช่เอกสาร" in page
    assert not WordImportPlan.objects.exists() and not Measure.objects.exists()


# --- read by a background task ------------------------------------------------------------------

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_file_is_read_by_a_worker_while_the_page_waits(staff_client, year, settings):
    settings.TASKS = DUMMY  # a worker that has not picked the task up yet
    raw = wf.merged_o35()  # built once: a second build may differ in the zip's time stamps
    response = _upload(staff_client, raw)
    stored = WordImportPlan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?plan={stored.pk}")
    assert stored.status == "queued" and bytes(stored.upload) == raw
    page = staff_client.get(response["Location"]).content.decode()
    assert 'id="word-waiting"' in page and 'http-equiv="refresh"' in page and "กำลังอ่านไฟล์" in page
    assert tasks.read_word_plan.call(stored.pk) == "ready"  # what the worker runs
    stored.refresh_from_db()
    assert stored.upload is None and len(stored.data["measures"]) == 2  # the file is not kept once read
    page = staff_client.get(response["Location"]).content.decode()
    assert 'id="word-preview"' in page and "มาตรการเปิดเผยข้อมูลการปฏิบัติงาน" in page
    assert _confirm(staff_client).status_code == 302
    assert Measure.objects.filter(assessment=year).count() == 2 and not WordImportPlan.objects.exists()


def test_a_file_the_worker_refuses_is_a_thai_message_on_the_page(staff_client, year, settings):
    settings.TASKS = DUMMY
    location = _upload(staff_client, wf.inflating(5))["Location"]
    assert tasks.read_word_plan.call(WordImportPlan.objects.get().pk) == "failed"
    page = staff_client.get(location, follow=True).content.decode()
    assert "ถูกบีบอัดไว้ถึง" in page and 'id="word-upload"' in page
    assert not WordImportPlan.objects.exists() and not Measure.objects.exists()


def test_a_file_never_picked_up_is_reported_not_waited_for(staff_client, year, settings):
    settings.TASKS = DUMMY
    location = _upload(staff_client, wf.merged_o35())["Location"]
    WordImportPlan.objects.update(created=timezone.now() - datetime.timedelta(minutes=6))
    page = staff_client.get(location, follow=True).content.decode()
    assert "คิวงานไม่ทำงาน" in page and not WordImportPlan.objects.exists()


def test_a_queue_that_refuses_the_task_is_a_thai_message(staff_client, year, monkeypatch):
    from django_tasks.backends.immediate import ImmediateBackend

    def refuse(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(ImmediateBackend, "enqueue", refuse)
    page = _upload(staff_client, wf.merged_o35()).content.decode()
    assert "ส่งไฟล์เข้าคิวอ่านไม่ได้" in page and not WordImportPlan.objects.exists()


def test_another_users_plan_id_in_the_address_is_not_shown(staff_client, manager_client, year, settings):
    settings.TASKS = DUMMY
    location = _upload(staff_client, wf.merged_o35())["Location"]
    tasks.read_word_plan.call(WordImportPlan.objects.get().pk)
    page = manager_client.get(location, follow=True).content.decode()
    assert "มาตรการเปิดเผยข้อมูลการปฏิบัติงาน" not in page and "หมดเวลาของตัวอย่าง" in page
