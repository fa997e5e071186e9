"""Each step of a measure with its own period, units and result per round (real o35 reports)."""

import datetime
import re

import pytest
from django.urls import reverse

from assessments.models import Unit
from measures.approval import ApprovalState, state
from measures.models import MeasureStep, StepProgress
from measures.services import approve
from reports.data import ReportOptions, build
from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db


def _url(measure, round_=None):
    a = measure.assessment
    url = reverse("measure_steps", args=[a.organisation.slug, a.fiscal_year, measure.pk])
    return url + (f"?round={round_.pk}" if round_ else "")


def _post(steps, per_step=None):
    """Form data for every step: blank unless given in per_step[step_id]."""
    data = {}
    for step in steps:
        values = {"status": "not_started", "version": "0"} | (per_step or {}).get(step.pk, {})
        for name, value in values.items():
            if isinstance(value, list):
                data[f"s{step.pk}-{name}"] = [str(v) for v in value]
            else:
                data[f"s{step.pk}-{name}"] = value
    return data


@pytest.fixture
def measure(assessment_a):
    return make_measure(assessment_a, steps=3)


@pytest.fixture
def rounds(assessment_a):
    return make_rounds(assessment_a)


def test_staff_records_a_steps_own_period_units_and_result(staff_client, measure, rounds):
    steps = list(measure.steps.all())
    unit = Unit.objects.get(organisation=measure.assessment.organisation, name="กองคลัง")
    data = _post(
        steps,
        {
            steps[1].pk: {
                "period_text": "ม.ค.-เม.ย. ๖๘",
                "period_start": "1/1/2568",
                "period_end": "30/4/2568",
                "units": [unit.pk],
                "status": "done",
                "output": "<p>จัดประชุม ๒ ครั้ง</p>",
                "outcome": "ผู้เข้าร่วม 45 คน",
                "done_on": "20/4/2568",
                "evidence": "https://example.go.th/step2",
            }
        },
    )
    response = staff_client.post(_url(measure, rounds[0]), data)
    assert response.status_code == 302 and response["Location"].endswith(f"?round={rounds[0].pk}")
    step = MeasureStep.objects.get(pk=steps[1].pk)
    assert (step.period_text, step.period_start, step.period_end) == (
        "ม.ค.-เม.ย. ๖๘",
        datetime.date(2025, 1, 1),
        datetime.date(2025, 4, 30),
    )
    assert list(step.units.all()) == [unit]
    result = StepProgress.objects.get()  # steps 1 and 3 said nothing: no empty rows for them
    assert (result.step_id, result.round_id, result.status) == (steps[1].pk, rounds[0].pk, "done")
    assert (result.output, result.outcome) == ("จัดประชุม ๒ ครั้ง", "ผู้เข้าร่วม 45 คน")  # pasted markup → text
    assert result.done_on == datetime.date(2025, 4, 20) and result.evidence_links == ["https://example.go.th/step2"]
    page = staff_client.get(_url(measure, rounds[0])).content.decode()
    assert "จัดประชุม ๒ ครั้ง" in page and "20/4/2568" in page  # shown again, in the Buddhist Era


def test_a_second_save_updates_the_steps_result(staff_client, measure, rounds):
    steps = list(measure.steps.all())
    first = {steps[0].pk: {"status": "in_progress", "output": "เริ่มแล้ว"}}
    staff_client.post(_url(measure, rounds[1]), _post(steps, first))
    row = StepProgress.objects.get()
    again = {steps[0].pk: {"status": "done", "output": "เสร็จแล้ว", "version": str(row.version)}}
    assert staff_client.post(_url(measure, rounds[1]), _post(steps, again)).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.output) == ("done", "เสร็จแล้ว") and StepProgress.objects.count() == 1


def test_end_before_start_is_refused_in_thai_and_keeps_what_was_typed(staff_client, measure, rounds):
    steps = list(measure.steps.all())
    bad = {steps[0].pk: {"period_start": "1/5/2568", "period_end": "1/4/2568", "output": "ข้อความที่พิมพ์ไว้"}}
    response = staff_client.post(_url(measure, rounds[0]), _post(steps, bad))
    page = response.content.decode()
    assert response.status_code == 200 and "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม" in page
    assert "ข้อความที่พิมพ์ไว้" in page and 'value="1/5/2568"' in page
    assert not StepProgress.objects.exists()
    assert MeasureStep.objects.get(pk=steps[0].pk).period_start is None


def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(staff_client, measure, rounds):
    steps = list(measure.steps.all())
    staff_client.post(_url(measure, rounds[0]), _post(steps, {steps[0].pk: {"output": "ของคนแรก"}}))
    # A second person opened the page before the first saved (version 0 = "no row yet").
    late = {steps[0].pk: {"output": "ของคนที่สอง", "version": "0"}}
    page = staff_client.post(_url(measure, rounds[0]), _post(steps, late)).content.decode()
    assert "มีผู้อื่นบันทึกรายการนี้ไปก่อนแล้ว" in page and "ของคนที่สอง" in page
    assert StepProgress.objects.get().output == "ของคนแรก"


def test_staff_of_other_org_gets_404(other_staff_client, measure, rounds):
    assert other_staff_client.get(_url(measure)).status_code == 404
    assert other_staff_client.post(_url(measure), {}).status_code == 404


def test_auditor_reads_but_cannot_save(auditor_client, measure, rounds):
    steps = list(measure.steps.all())
    page = auditor_client.get(_url(measure, rounds[0])).content.decode()
    assert "<fieldset disabled" in page and "บันทึกทุกขั้นตอน" not in page
    response = auditor_client.post(_url(measure, rounds[0]), _post(steps, {steps[0].pk: {"output": "x"}}))
    assert response.status_code == 403 and not StepProgress.objects.exists()


def test_another_organisations_unit_is_refused(staff_client, measure, rounds, org_b):
    steps = list(measure.steps.all())
    foreign = Unit.objects.filter(organisation=org_b).first()
    data = _post(steps, {steps[0].pk: {"units": [foreign.pk]}})
    assert staff_client.post(_url(measure, rounds[0]), data).status_code == 200
    assert not MeasureStep.objects.get(pk=steps[0].pk).units.exists()


def test_the_step_page_runs_a_bounded_number_of_queries(
    staff_client, assessment_a, rounds, django_assert_max_num_queries
):
    big = make_measure(assessment_a, steps=16)
    for step in big.steps.all():
        step.units.set(assessment_a.organisation.units.all()[:2])
        StepProgress.objects.create(step=step, round=rounds[0], status="done", output="ผล")
    with django_assert_max_num_queries(16):
        response = staff_client.get(_url(big, rounds[0]))
    assert response.status_code == 200 and len(re.findall(r'id="step-\d+"', response.content.decode())) == 16


# --- the o35 report prints one row per step with that step's own cells ------------------------


def _o35_row(assessment, title):
    last = assessment.rounds.order_by("as_of").last()  # the results here are of the 12-month round
    report = build("o35", assessment, ReportOptions(report_date=datetime.date(2025, 9, 30), round_id=last.pk))
    return next(r for s in report.body["sections"] for r in s["rows"] if r["title"] == title)


def test_o35_prints_each_steps_own_cells_and_never_repeats_a_neighbours(assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a, title="มาตรการรายขั้นตอน", steps=3, units=("สำนักปลัด",))
    m.period_text = "ตลอดปีงบประมาณ"
    m.save()
    make_progress(m, rounds[1], status="done", output="ผลรวมของมาตรการ", outcome="ผลลัพธ์รวม")
    s1, s2, s3 = m.steps.all()
    s2.period_text = "ม.ค.-เม.ย. 68"
    s2.save()
    s2.units.set(assessment_a.organisation.units.filter(name="กองคลัง"))
    StepProgress.objects.create(
        step=s2, round=rounds[1], status="done", output="ผลขั้นที่สอง", evidence="https://e.go.th/2"
    )
    StepProgress.objects.create(step=s3, round=rounds[0], status="done", output="ผลของรอบแรก")  # another round
    row = _o35_row(assessment_a, "มาตรการรายขั้นตอน")
    cells = [(s["period"], s["units"], s["output"], s["evidence"], s["outcome"]) for s in row["steps"]]
    assert cells == [
        # the measure's own period, units and result: on a first row of their own, never lost
        (["ตลอดปีงบประมาณ"], ["สำนักปลัด"], "ผลรวมของมาตรการ", [], "ผลลัพธ์รวม"),
        # period, units, output, evidence: given by a step, so printed per step (blank where blank);
        # outcome: no step gives one, so the measure's own, once, on the first row.
        ([], [], "", [], ""),
        (["ม.ค.-เม.ย. 68"], ["กองคลัง"], "ผลขั้นที่สอง", ["https://e.go.th/2"], ""),
        ([], [], "", [], ""),
    ]
    assert row["per_step"] == ["period", "units", "output", "evidence", "mark"]
    assert [s["period_free"] for s in row["steps"]] == [True, False, True, False]  # each its own
    assert [s["number"] for s in row["steps"]] == ["", "๑", "๒", "๓"]  # steps numbered from one, as printed
    assert [s["mark"] for s in row["steps"]] == ["☑", "", "☑", ""]  # a status where a result was typed
    assert row["steps"][0]["text"] == "ภาพรวมของมาตรการ"


def test_o35_of_a_measure_without_step_detail_is_as_before(assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a, title="มาตรการทั้งมาตรการ", steps=2, units=("สำนักปลัด",), period_text="ตลอดปี")
    make_progress(m, rounds[1], status="done", output="ผลทั้งมาตรการ", outcome="ได้ผลดี")
    row = _o35_row(assessment_a, "มาตรการทั้งมาตรการ")
    first, second = row["steps"]
    # The measure's free-text period, once, on the first row, printed as free text (not as dates).
    assert (first["period"], first["period_free"], second["period"]) == (["ตลอดปี"], True, [])
    assert (first["units"], first["output"], first["outcome"]) == (["สำนักปลัด"], "ผลทั้งมาตรการ", "ได้ผลดี")
    assert (second["units"], second["output"], second["outcome"]) == ([], "", "")
    assert row["per_step"] == []


def test_a_step_result_saved_after_approval_needs_approval_again(staff_client, manager_a, measure, rounds):
    make_progress(measure, rounds[0])
    in_round = ReportOptions(round_id=rounds[0].pk)  # the o35 report of that round
    approve(measure.assessment, "o35", manager_a, opts=in_round)
    assert state(measure.assessment, "o35", in_round) == ApprovalState.APPROVED
    steps = list(measure.steps.all())
    staff_client.post(_url(measure, rounds[0]), _post(steps, {steps[2].pk: {"output": "เพิ่มหลังอนุมัติ"}}))
    measure.assessment.refresh_from_db()
    assert state(measure.assessment, "o35", in_round) == ApprovalState.CHANGED


def test_the_progress_page_expands_each_measures_step_results_in_the_round(staff_client, measure):
    rounds = make_rounds(measure.assessment)
    steps = list(measure.steps.all())
    StepProgress.objects.create(step=steps[0], round=rounds[0], status="done", output="<p>ประชุมแล้ว 2 ครั้ง</p>")
    StepProgress.objects.create(step=steps[1], round=rounds[1], status="done", output="ผลของรอบอื่น")
    page = staff_client.get(reverse("progress_round", args=["org-a", 2568, rounds[0].pk])).content.decode()
    block = page[page.index('class="small mt-1 step-results"') :]
    block = block[: block.index("</details>")]
    assert "ผลรายขั้นตอน (3 ขั้นตอน)" in block
    items = re.findall(r"<li.*?</li>", block, re.S)
    assert len(items) == 3
    assert "ดำเนินการแล้ว" in items[0] and "ประชุมแล้ว 2 ครั้ง" in items[0] and "<p>" not in items[0]
    assert "ยังไม่ได้รายงาน" in items[1] and "ผลของรอบอื่น" not in block  # only this round's results
    assert _url(measure, rounds[0]).replace("&", "&amp;") in block or _url(measure, rounds[0]) in block


def test_o35_prints_a_steps_own_dates_short_and_its_result_of_the_round(assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a, title="มาตรการมีวันของขั้นตอน", steps=2)
    first, second = m.steps.all()
    first.period_start, first.period_end = datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)
    first.save()
    second.period_start = datetime.date(2025, 1, 15)  # a start alone
    second.save()
    StepProgress.objects.create(step=first, round=rounds[1], status="done", output="อบรมแล้ว", outcome="ผ่าน 40 คน")
    overview, *steps = _o35_row(assessment_a, "มาตรการมีวันของขั้นตอน")["steps"]
    # the measure's own dates, on its overview row; no result of its own: none printed there
    assert (overview["period"], overview["output"], overview["mark"]) == (["๑ ต.ค. ๖๗", "๓๐ ก.ย. ๖๘"], "", "")
    assert [s["period"] for s in steps] == [["๑ ต.ค. ๖๗", "๓๑ ธ.ค. ๖๗"], ["๑๕ ม.ค. ๖๘"]]
    assert [(s["output"], s["outcome"], s["status"]) for s in steps] == [
        ("อบรมแล้ว", "ผ่าน 40 คน", "ดำเนินการแล้ว"),
        ("", "", ""),
    ]
