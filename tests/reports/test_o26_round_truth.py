"""The progress report (O26) tells the truth of its round (issue #22): fiscal year 2570 (ITA 2569),
reported in December 2569 and April 2570.

- by default it is of the round being reported now (the first whose O26 is not published);
- approving or publishing a round whose date is still ahead needs a confirmation naming the date;
- every result typed, for a measure and for each of its steps, is printed with its status;
- "ข้อมูล ณ วันที่ …" stands above the table whatever the introduction says;
- the introduction box starts with the generated text, and can go back to it;
- the report date is remembered with the other options;
- a measure has one number in O25, O26, their Word files and the open data.
"""

import csv
import datetime
import io
import json
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from measures.models import MeasureStep, Progress, StepProgress
from reports import opendata
from reports.checklist import CONFIRM_REQUIRED, missing_before_approval
from reports.data import ReportOptions, build, chosen_round, default_intro, future_round_warning
from reports.docx_export import report_to_docx
from reports.models import PublishedVersion, ReportSettings
from reports.publication import publish
from reports.render import render_html, render_pdf
from tests.conftest import require_tool
from tests.factories import approve_as_seen, make_assessment, make_measure, make_rounds

pytestmark = pytest.mark.django_db

DEC_2569 = datetime.date(2026, 12, 15)
APR_2570 = datetime.date(2027, 4, 20)
OCT_2570 = datetime.date(2027, 10, 5)
OWN_OUTPUT = "ภาพรวม: ดำเนินการแล้ว ๑๒ ขั้นตอน จาก 16 ขั้นตอน"
OWN_OUTCOME = "ผู้เข้าร่วมรวม 1,250 คน ร้อยละ ๙๕"


def step_output(i):
    return f"ขั้นตอนที่ {i} จัดประชุมชี้แจง ๒ ครั้ง ผู้เข้าร่วม {i * 10} คน"


@pytest.fixture
def fy2570(org_a):
    """Fiscal year 2570: a 16-step measure with a result of its own and per-step results (some done,
    some under way, some none) in the 6-month round, Thai and Arabic digits as typed; and measures
    whose issue order differs from their own order, so that O26's issue headings reorder them."""
    a = make_assessment(org_a, year=2569)
    rounds = make_rounds(a)  # 31 มี.ค. 2570, 30 ก.ย. 2570
    first = make_measure(a, title="มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง", issues=(5,), steps=2)
    big = make_measure(a, title="มาตรการขับเคลื่อนการประเมิน ITA อย่างต่อเนื่อง", issues=(3,), steps=0)
    last = make_measure(a, title="มาตรการป้องกันผลประโยชน์ทับซ้อน", issues=(1,), steps=1)
    for i in range(1, 17):
        step = MeasureStep.objects.create(measure=big, order=i, text=f"ขั้นตอนที่ {i} ดำเนินการตามแผน")
        if i % 4:  # steps 4, 8, 12, 16: nothing typed
            StepProgress.objects.create(
                step=step,
                round=rounds[0],
                status="done" if i % 3 else "in_progress",
                output=step_output(i),
                outcome=f"ผลลัพธ์ขั้นที่ {i}",
            )
    Progress.objects.create(measure=big, round=rounds[0], status="in_progress", output=OWN_OUTPUT, outcome=OWN_OUTCOME)
    Progress.objects.create(measure=first, round=rounds[0], status="done", output="เผยแพร่ครบ 12 เดือน")
    return a, rounds, (first, big, last)


def _rows(report):
    return [row for section in report.body["sections"] for row in section["rows"]]


def _row(report, title):
    return next(row for row in _rows(report) if row["title"] == title)


@pytest.fixture
def today(monkeypatch):
    """Freeze the day the server thinks it is (django.utils.timezone.localdate)."""

    def freeze(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return freeze


# --- 1. the round reported by default -----------------------------------------------------


def test_in_december_and_april_the_default_round_is_the_six_month_one(fy2570):
    a, rounds, _ = fy2570
    report = build("o35", a, ReportOptions())
    assert chosen_round(a, ReportOptions()) == rounds[0]
    assert report.body["as_of"] == "รอบ ๖ เดือน ข้อมูล ณ วันที่ ๓๑ มีนาคม ๒๕๗๐"
    assert "ข้อมูล ณ วันที่ ๓๑ มีนาคม ๒๕๗๐" in report.body["intro"]
    assert "๓๐ กันยายน ๒๕๗๐" not in render_html(report, for_pdf=False)


def test_after_the_six_month_o26_is_published_the_default_is_the_twelve_month_one(fy2570, manager_a, today):
    a, rounds, _ = fy2570
    today(APR_2570)
    a.o35_approved_at, a.o35_approved_by = timezone.now(), manager_a
    a.save()
    version = publish(a, "o35", manager_a, ReportOptions())
    assert json.loads(version.json.open("rb").read())["round"]["as_of"] == "2027-03-31"
    rounds[0].refresh_from_db()
    assert rounds[0].published_at is not None
    assert chosen_round(a, ReportOptions()) == rounds[1]
    assert build("o35", a, ReportOptions()).body["as_of"] == "รอบ ๑๒ เดือน ข้อมูล ณ วันที่ ๓๐ กันยายน ๒๕๗๐"
    # the options form names the default round
    page = _index(a, manager_a)
    assert "รอบที่กำลังรายงาน (รอบ 12 เดือน ณ 30 กันยายน 2570)" in page


def test_a_round_chosen_in_the_options_wins(fy2570):
    a, rounds, _ = fy2570
    assert build("o35", a, ReportOptions(round_id=rounds[1].pk)).body["as_of"].endswith("๓๐ กันยายน ๒๕๗๐")


# --- 1b. approving or publishing a round whose date is ahead ------------------------------


def test_the_warning_names_the_date_while_it_is_ahead(fy2570):
    a, rounds, _ = fy2570
    warning = future_round_warning(a, ReportOptions(), today=DEC_2569)
    assert "31 มีนาคม 2570" in warning and "ยังมาไม่ถึง" in warning
    assert future_round_warning(a, ReportOptions(), today=APR_2570) is None
    assert "30 กันยายน 2570" in future_round_warning(a, ReportOptions(round_id=rounds[1].pk), today=APR_2570)
    assert future_round_warning(a, ReportOptions(round_id=rounds[1].pk), today=OCT_2570) is None


def _approve(client, a, **post):
    return client.post(reverse("approve", args=["org-a", a.fiscal_year, "o35"]), post)


def test_approving_a_future_round_is_refused_without_the_confirmation(fy2570, manager_client, today):
    """The approval checklist (reports/checklist.py) names the round's date; approving goes on only
    when the manager ticks the confirmation."""
    a, rounds, _ = fy2570
    today(APR_2570)
    query = f"?round={rounds[1].pk}"
    response = approve_as_seen(manager_client, a, "o35", query, confirm=False)
    a.refresh_from_db()
    assert a.o35_approved_at is None
    assert response.status_code == 400 and "30 กันยายน 2570" in response.content.decode()
    assert approve_as_seen(manager_client, a, "o35", query, confirm=True).status_code == 302
    a.refresh_from_db()
    assert a.o35_approved_at is not None


def test_approving_the_round_whose_date_has_come_asks_nothing_about_its_date(fy2570, today):
    a, rounds, _ = fy2570
    today(APR_2570)
    missing = missing_before_approval(a, "o35", ReportOptions(round_id=rounds[0].pk), APR_2570)
    assert not [item for item in missing if "ยังมาไม่ถึง" in item]
    missing = missing_before_approval(a, "o35", ReportOptions(round_id=rounds[1].pk), APR_2570)
    assert [item for item in missing if "ยังมาไม่ถึง" in item] == ["รอบ 12 เดือน ข้อมูล ณ วันที่ 30 กันยายน 2570 ยังมาไม่ถึง"]


def test_in_december_even_the_six_month_round_is_ahead(fy2570, manager_client, today):
    a, _, _ = fy2570
    today(DEC_2569)
    _approve(manager_client, a)
    a.refresh_from_db()
    assert a.o35_approved_at is None


def test_publishing_a_future_round_is_refused_without_the_confirmation(fy2570, manager_a, manager_client, today):
    a, rounds, _ = fy2570
    today(APR_2570)
    a.o35_approved_at, a.o35_approved_by = timezone.now(), manager_a
    a.save()
    url = reverse("report_publish", args=["org-a", a.fiscal_year, "o35"])
    response = manager_client.post(url, {"digits": "thai", "round": rounds[1].pk}, follow=True)
    assert CONFIRM_REQUIRED in response.content.decode() and not PublishedVersion.objects.exists()
    manager_client.post(url, {"digits": "thai", "round": rounds[1].pk, "confirm": "1"})
    version = PublishedVersion.objects.get()
    assert json.loads(version.json.open("rb").read())["round"]["as_of"] == "2027-09-30"


# --- 2. every typed result is printed, with its status -------------------------------------


def test_the_measures_own_result_and_every_step_result_are_in_the_data(fy2570):
    a, _, (_, big, _) = fy2570
    row = _row(build("o35", a, ReportOptions()), big.title)
    overview, *steps = row["steps"]
    assert (overview["text"], overview["output"], overview["outcome"]) == ("ภาพรวมของมาตรการ", OWN_OUTPUT, OWN_OUTCOME)
    assert (overview["mark"], overview["status"]) == ("◐", "อยู่ระหว่างดำเนินการ")
    assert len(steps) == 16
    for i, step in enumerate(steps, start=1):
        if i % 4:
            assert step["output"] == step_output(i) and step["outcome"] == f"ผลลัพธ์ขั้นที่ {i}"
            assert step["mark"] == ("☑" if i % 3 else "◐")
        else:
            assert (step["output"], step["mark"]) == ("", "")


def test_a_measure_without_step_results_prints_its_status_beside_its_result(fy2570):
    a, _, (first, _, last) = fy2570
    report = build("o35", a, ReportOptions())
    assert _row(report, first.title)["steps"][0]["mark"] == "☑"
    assert _row(report, last.title)["steps"][0]["mark"] == "☐"  # nothing typed: not started
    assert report.body["legend"] == [("☑", "ดำเนินการแล้ว"), ("◐", "อยู่ระหว่างดำเนินการ"), ("☐", "ยังไม่ดำเนินการ")]


def test_the_pdf_prints_every_typed_result_and_the_legend(fy2570, tmp_path):
    pdftotext = require_tool("pdftotext", install="apt-get install poppler-utils")
    a, _, _ = fy2570
    path = tmp_path / "o26.pdf"
    path.write_bytes(render_pdf(build("o35", a, ReportOptions(intro_o35="คำนำที่หน่วยงานเขียนเอง"))))
    text = subprocess.run([pdftotext, "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())

    def found(value):
        return "".join(value.split()) in flat

    for value in (OWN_OUTPUT, OWN_OUTCOME, "ภาพรวมของมาตรการ", "เผยแพร่ครบ 12 เดือน"):
        assert found(value), value
    for i in range(1, 17):
        if i % 4:
            assert found(step_output(i)) and found(f"ผลลัพธ์ขั้นที่ {i}"), i
    assert found("สถานะ:") and found("อยู่ระหว่างดำเนินการ")
    # 3. with an introduction of its own, the report still says the date of its data
    assert found("คำนำที่หน่วยงานเขียนเอง") and found("ข้อมูล ณ วันที่ ๓๑ มีนาคม ๒๕๗๐")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )


def test_the_word_file_prints_every_typed_result(fy2570):
    a, _, _ = fy2570
    doc = Document(io.BytesIO(report_to_docx(build("o35", a, ReportOptions(intro_o35="คำนำของเราเอง")))))
    # U+200B marks where Thai may wrap (reports/docx_export.py): read the text as typed
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells).replace("\u200b", "")
    paragraphs = "\n".join(p.text for p in doc.paragraphs).replace("\u200b", "")
    for value in (OWN_OUTPUT, OWN_OUTCOME, "ภาพรวมของมาตรการ", "☑ เผยแพร่ครบ 12 เดือน"):
        assert value in cells, value
    for i in range(1, 17):
        if i % 4:
            assert step_output(i) in cells, i
    assert "รอบ ๖ เดือน ข้อมูล ณ วันที่ ๓๑ มีนาคม ๒๕๗๐" in paragraphs and "คำนำของเราเอง" in paragraphs
    assert "☑ ดำเนินการแล้ว" in paragraphs  # the legend


def test_the_open_data_carries_the_step_results(fy2570):
    a, _, (_, big, _) = fy2570
    doc = opendata.document("o35", a, ReportOptions(), 1, timezone.now())
    measure = next(m for m in doc["measures"] if m["title"] == big.title)
    assert measure["progress"]["output"] == OWN_OUTPUT
    assert [s["step"] for s in measure["progress"]["steps"]] == [i for i in range(1, 17) if i % 4]
    assert measure["progress"]["steps"][2] == {
        "step": 3,
        "status": "in_progress",
        "output": step_output(3),
        "outcome": "ผลลัพธ์ขั้นที่ 3",
        "done_on": None,
        "evidence": [],
    }
    rows = list(csv.reader(io.StringIO(opendata.to_csv(doc).decode("utf-8-sig"))))
    assert rows[0][-1] == "ผลรายขั้นตอน"
    big_row = next(r for r in rows if r[1] == big.title)
    assert f"ขั้นตอนที่ 3 (อยู่ระหว่างดำเนินการ): {step_output(3)}" in big_row[-1]


def test_the_progress_page_says_what_the_report_will_carry(fy2570, staff_client):
    a, rounds, _ = fy2570
    page = staff_client.get(reverse("progress_round", args=["org-a", a.fiscal_year, rounds[0].pk])).content.decode()
    assert "จะพิมพ์ในรายงาน:</span> ผลของมาตรการ + ผลรายขั้นตอน 12 รายการ" in page
    assert "จะพิมพ์ในรายงาน:</span> ผลของมาตรการ</div>" in page
    assert "ยังไม่มีผลที่บันทึกไว้" in page
    assert "เป็นของ<strong>รอบ 6 เดือน</strong>" in page


# --- 3. the introduction ------------------------------------------------------------------


def _index(a, user, client=None):
    if client is None:
        from django.test import Client

        client = Client()
        client.force_login(user)
    return client.get(reverse("report_index", args=["org-a", a.fiscal_year])).content.decode()


def test_the_introduction_box_starts_with_the_generated_text(fy2570, manager_a):
    a, _, _ = fy2570
    generated = default_intro("o35", a, ReportOptions())
    page = _index(a, manager_a)
    assert f">\n{generated}</textarea>" in page or f">{generated}</textarea>" in page
    assert "ใช้ข้อความที่ระบบสร้าง" in page


def test_the_generated_text_sent_back_untouched_keeps_following_the_data(fy2570, manager_client):
    a, rounds, (_, _, last) = fy2570
    url = reverse("report_intro", args=["org-a", a.fiscal_year])
    generated = default_intro("o35", a, ReportOptions())
    manager_client.post(url, {"intro_o34": default_intro("o34", a, ReportOptions()), "intro_o35": generated + "\r\n"})
    saved = ReportSettings.objects.get(assessment=a)
    assert (saved.intro_o34, saved.intro_o35) == ("", "")
    Progress.objects.create(measure=last, round=rounds[0], status="done", output="ทำแล้ว")
    assert build("o35", a, ReportOptions()).body["intro"] != generated  # it follows the data


def test_an_edited_introduction_is_kept_and_the_button_brings_back_the_generated_one(fy2570, manager_client):
    a, _, _ = fy2570
    url = reverse("report_intro", args=["org-a", a.fiscal_year])
    manager_client.post(url, {"intro_o34": "คำนำ o34 ของเรา", "intro_o35": "คำนำ o35 ของเรา"})
    saved = ReportSettings.objects.get(assessment=a)
    assert (saved.intro_o34, saved.intro_o35) == ("คำนำ o34 ของเรา", "คำนำ o35 ของเรา")
    manager_client.post(
        url, {"intro_o34": "คำนำ o34 แก้ใหม่", "intro_o35": "คำนำ o35 ของเรา", "use_generated": "intro_o35"}
    )
    saved.refresh_from_db()
    assert (saved.intro_o34, saved.intro_o35) == ("คำนำ o34 แก้ใหม่", "")
    report = build("o35", a, ReportOptions(intro_o35=saved.intro_o35))
    assert report.body["intro"] == default_intro("o35", a, ReportOptions())


def test_the_date_of_the_data_is_above_the_table_with_an_own_introduction(fy2570):
    a, _, _ = fy2570
    report = build("o35", a, ReportOptions(intro_o35="ขอรายงานผลการดำเนินงานดังนี้"))
    assert "ข้อมูล ณ" not in report.body["intro"]
    html = render_html(report, for_pdf=False)
    assert html.index("ข้อมูล ณ วันที่ ๓๑ มีนาคม ๒๕๗๐") < html.index("<table")


# --- 4. the report date is remembered -----------------------------------------------------


def test_the_report_date_is_remembered_with_the_other_options(fy2570, manager_client):
    a, _, _ = fy2570
    url = reverse("report_settings", args=["org-a", a.fiscal_year])
    manager_client.post(url, {"digits": "thai", "report_date": "20/4/2570", "remember": "1"})
    assert ReportSettings.objects.get(assessment=a).report_date == datetime.date(2027, 4, 20)
    page = _index(a, None, manager_client)
    assert 'value="20/4/2570"' in page
    preview = manager_client.get(reverse("report_preview", args=["org-a", a.fiscal_year, "o35"])).content.decode()
    assert 'วันที่ <span class="date">๒๐ เมษายน ๒๕๗๐</span>' in preview


def test_the_command_line_signs_with_the_remembered_date(fy2570, tmp_path):
    from django.core.management import call_command

    a, _, _ = fy2570
    ReportSettings.objects.create(
        assessment=a, digits="arabic", report_date=datetime.date(2027, 4, 20), options_saved_at=timezone.now()
    )
    out = tmp_path / "o35.docx"
    call_command("render_report", org="org-a", year=a.fiscal_year, kind="o35", out=str(out), format="docx")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "วันที่ 20 เมษายน 2570" in text


# --- 5. one number per measure ------------------------------------------------------------


def test_a_measure_has_one_number_in_o25_o26_word_and_open_data(fy2570):
    a, _, measures = fy2570
    o25 = {m["title"]: m["number"] for m in build("o34", a, ReportOptions()).body["measures"]}
    o26_report = build("o35", a, ReportOptions())
    o26 = {r["title"]: r["number"] for r in _rows(o26_report)}
    assert o25 == o26 == {m.title: "๑๒๓"[i] for i, m in enumerate(measures)}
    # issue headings put the last measure (issue 1) first: it keeps its number
    assert [r["number"] for r in _rows(o26_report)] == ["๓", "๒", "๑"]
    for kind in ("o34", "o35"):
        doc = Document(io.BytesIO(report_to_docx(build(kind, a, ReportOptions()))))
        cells = [c.text.replace("\u200b", "") for r in doc.tables[-1].rows for c in r.cells]
        for i, m in enumerate(measures):
            assert f"{'๑๒๓'[i]}. {m.title}" in cells, (kind, m.title)
    for kind in ("o34", "o35"):
        doc = opendata.document(kind, a, ReportOptions(), 1, timezone.now())
        assert {m["title"]: m["number"] for m in doc["measures"]} == {m.title: i for i, m in enumerate(measures, 1)}
        rows = list(csv.reader(io.StringIO(opendata.to_csv(doc).decode("utf-8-sig"))))
        assert {r[1]: r[0] for r in rows[1:]} == {m.title: str(i) for i, m in enumerate(measures, 1)}


def test_the_progress_page_numbers_measures_as_the_reports_do(fy2570, staff_client):
    a, rounds, measures = fy2570
    page = staff_client.get(reverse("progress_round", args=["org-a", a.fiscal_year, rounds[0].pk])).content.decode()
    for i, m in enumerate(measures, start=1):
        assert f"<strong>{i}. {m.title}</strong>" in page


def test_the_word_file_read_back_keeps_every_result_and_its_status(fy2570, org_b):
    from measures.services import ensure_rounds
    from measures.word_import import apply_plan, plan_import

    a, _, (_, big, _) = fy2570
    raw = report_to_docx(build("o35", a, ReportOptions()))
    other = make_assessment(org_b, year=2569)
    target = ensure_rounds(other)[0]
    apply_plan(other, plan_import(raw, other).to_dict(), target)
    copy = other.measures.get(title=big.title)
    own = Progress.objects.get(measure=copy, round=target)
    assert (own.output, own.outcome, own.status) == (OWN_OUTPUT, OWN_OUTCOME, "in_progress")
    steps = list(copy.steps.all())
    assert [s.text for s in steps] == [f"ขั้นตอนที่ {i} ดำเนินการตามแผน" for i in range(1, 17)]  # no overview step
    results = {r.step.order: r for r in StepProgress.objects.filter(step__measure=copy, round=target)}
    assert sorted(results) == [i for i in range(1, 17) if i % 4]
    for i, r in results.items():
        assert (r.output, r.status) == (step_output(i), "done" if i % 3 else "in_progress"), i
