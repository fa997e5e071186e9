"""Starting a fiscal year from the last one along the item lineage (2567 o-items → 2568 O-items)."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Question
from assessments.services import DomainError
from measures.carryover import carry_over
from measures.models import OitChecklistItem
from tests.factories import make_assessment, make_measure, make_org

pytestmark = pytest.mark.django_db


def checklist(assessment, code, unit_name):
    question = Question.objects.get(ita_year=assessment.ita_year, code=code)
    unit = assessment.organisation.units.get(name=unit_name)
    return OitChecklistItem.objects.create(assessment=assessment, question=question, unit=unit, status="done")


def test_measures_follow_the_lineage_to_renumbered_items(org_a, assessment_a):
    old = make_measure(assessment_a, title="ปรับปรุงโครงสร้างบนเว็บไซต์", questions=("o1", "o3", "i1", "o15"), steps=2)
    new_year = make_assessment(org_a, year=2568, scores=False)
    result = carry_over(new_year)
    measure = new_year.measures.get()
    # o1 and o3 merged into O1 in 2568; i1 carries on as i1; o15 has no successor.
    assert sorted(measure.questions.values_list("code", flat=True)) == ["O1", "i1"]
    assert result.unmapped_questions == [(old.title, "o15", Question.objects.get(ita_year__year=2567, code="o15").text)]
    assert [s.text for s in measure.steps.order_by("order")] == [s.text for s in old.steps.order_by("order")]
    assert measure.period_start == datetime.date(2025, 10, 1) and measure.period_end == datetime.date(2026, 9, 30)
    assert list(measure.units.values_list("name", flat=True)) == ["สำนักปลัด"]


def test_checklist_units_carry_over_with_status_reset_and_gaps_listed(org_a, assessment_a):
    checklist(assessment_a, "o1", "สำนักปลัด")
    checklist(assessment_a, "o3", "กองช่าง")  # merged into O1: the first unit wins, the merge is listed
    checklist(assessment_a, "o14", "กองคลัง")
    checklist(assessment_a, "o15", "กองคลัง")  # no successor in 2568
    new_year = make_assessment(org_a, year=2568, scores=False)
    result = carry_over(new_year)
    rows = {c.question.code: c for c in new_year.checklist.select_related("question", "unit")}
    assert set(rows) == {"O1", "O12"}
    assert rows["O1"].unit.name == "สำนักปลัด" and rows["O1"].status == "not_done"
    assert rows["O12"].unit.name == "กองคลัง"
    assert [code for code, _, _ in result.unmapped_checklist] == ["o15"]
    assert ("O1", ["o1", "o3"]) in result.merged
    assert result.checklist == 2


def test_new_items_without_a_predecessor_are_listed(org_a):
    previous = make_assessment(org_a, year=2568, scores=False)
    make_measure(previous, questions=("O1",))
    new_year = make_assessment(org_a, year=2569, scores=False)
    result = carry_over(new_year)
    assert [code for code, _ in result.new_items] == ["O25", "O26"]


def test_another_organisations_work_is_never_carried(org_a, org_b, assessment_a, assessment_b):
    make_measure(assessment_b, title="ของหน่วยงานอื่น")
    make_measure(assessment_a, title="ของเราเอง")
    new_year = make_assessment(org_a, year=2568, scores=False)
    carry_over(new_year)
    assert list(new_year.measures.values_list("title", flat=True)) == ["ของเราเอง"]


def test_nothing_to_carry_gets_a_thai_message(staff_client, org_a):
    make_assessment(org_a, year=2568, scores=False)
    response = staff_client.post(reverse("measure_copy_previous", args=["org-a", 2569]), follow=True)
    assert "ไม่มีมาตรการหรือรายการ OIT ของปีงบประมาณ 2568 ให้คัดลอก" in response.content.decode()


def test_the_page_lists_what_the_user_must_decide(staff_client, org_a, assessment_a):
    make_measure(assessment_a, title="มาตรการจัดซื้อ", questions=("o15",))
    make_assessment(org_a, year=2568, scores=False)
    url = reverse("measure_copy_previous", args=["org-a", 2569])
    response = staff_client.post(url)
    assert response.status_code == 302 and response["Location"] == url  # reloading the page never copies twice
    page = staff_client.get(url).content.decode()
    assert "ข้อคำถามของปีก่อนที่ไม่มีข้อสืบต่อในปีนี้" in page and "o15" in page
    assert "มาตรการ <strong>1</strong> มาตรการ" in page
    staff_client.get(url)
    assert org_a.assessments.get(ita_year__year=2568).measures.count() == 1


def test_an_auditor_cannot_carry_over(auditor_client, org_a, assessment_a):
    make_measure(assessment_a)
    make_assessment(org_a, year=2568, scores=False)
    response = auditor_client.post(reverse("measure_copy_previous", args=["org-a", 2569]))
    assert response.status_code == 403
    assert not org_a.assessments.get(ita_year__year=2568).measures.exists()


def test_staff_of_another_org_gets_404(other_staff_client, org_a, assessment_a):
    make_measure(assessment_a)
    make_assessment(org_a, year=2568, scores=False)
    assert other_staff_client.post(reverse("measure_copy_previous", args=["org-a", 2569])).status_code == 404
    make_org()  # an unrelated organisation changes nothing either
    assert not org_a.assessments.get(ita_year__year=2568).measures.exists()


def test_only_this_organisations_last_year_is_carried(org_a, org_b, assessment_b):
    # The other organisation's year was created first: an unfiltered look-up would find it.
    make_measure(assessment_b, title="ของหน่วยงานอื่น")
    mine = make_assessment(org_a)
    make_measure(mine, title="ของเราเอง")
    carry_over(make_assessment(org_b, year=2568, scores=False))
    new_year = make_assessment(org_a, year=2568, scores=False)
    carry_over(new_year)
    assert list(new_year.measures.values_list("title", flat=True)) == ["ของเราเอง"]


def test_without_a_last_year_of_its_own_nothing_is_carried(org_a, org_b, assessment_b):
    make_measure(assessment_b, title="ของหน่วยงานอื่น")
    new_year = make_assessment(org_a, year=2568, scores=False)
    with pytest.raises(DomainError, match="ให้คัดลอก"):
        carry_over(new_year)
    assert not new_year.measures.exists()


def test_steps_issues_period_text_and_follow_up_are_carried(org_a, assessment_a):
    old = make_measure(assessment_a, title="มาตรการเดิม", issues=(3, 6), steps=3)
    old.period_text = "ทุกไตรมาส"
    old.follow_up = "<p>รายงานนายกทุกเดือน</p>"
    old.save()
    new_year = make_assessment(org_a, year=2568, scores=False)
    carry_over(new_year)
    new = new_year.measures.get()
    assert [s.text for s in new.steps.order_by("order")] == [s.text for s in old.steps.order_by("order")]
    assert [s.order for s in new.steps.order_by("order")] == [1, 2, 3]
    assert sorted(new.issues.values_list("number", flat=True)) == [3, 6]
    assert all(i.ita_year_id == new_year.ita_year_id for i in new.issues.all())
    assert (new.period_text, new.follow_up) == ("ทุกไตรมาส", "<p>รายงานนายกทุกเดือน</p>")


def test_29_february_moves_to_28_february_of_the_next_year(org_a, assessment_a):
    make_measure(assessment_a, period_start=datetime.date(2024, 2, 29), period_end=datetime.date(2024, 3, 1))
    new_year = make_assessment(org_a, year=2568, scores=False)
    carry_over(new_year)
    new = new_year.measures.get()
    assert (new.period_start, new.period_end) == (datetime.date(2025, 2, 28), datetime.date(2025, 3, 1))


# --- free-text periods move a year on; what cannot be read is listed -----------------------


def test_free_text_periods_of_measures_and_steps_move_a_year_on(org_a, assessment_a):
    old = make_measure(assessment_a, title="มาตรการเปิดเผยข้อมูล", steps=3, period_text="ต.ค.67-ก.ย.68")
    texts = ["ต.ค. ๒๕๖๗", "ธ.ค. 2567 – ม.ค. 2568", "ภายใน 30 วันหลังผู้บริหารรับทราบ"]
    for step, text in zip(old.steps.order_by("order"), texts, strict=True):
        step.period_text = text
        step.save()
    new_year = make_assessment(org_a, year=2568, scores=False)
    result = carry_over(new_year)
    new = new_year.measures.get()
    assert new.period_text == "ต.ค.68-ก.ย.69"
    assert [s.period_text for s in new.steps.order_by("order")] == [
        "ต.ค. ๒๕๖๘",
        "ธ.ค. 2568 – ม.ค. 2569",
        "ภายใน 30 วันหลังผู้บริหารรับทราบ",
    ]
    assert result.periods_shifted == 3 and result.periods_to_check == []


def test_periods_that_cannot_be_read_or_stay_outside_the_year_are_listed(org_a, assessment_a):
    old = make_measure(assessment_a, title="มาตรการ ก", steps=2, period_text="Oct 2024 – Sep 2025")
    first, second = old.steps.order_by("order")
    first.period_text = "ภายใน 68"
    first.save()
    second.period_text = "ต.ค. 2566"  # copied unchanged in earlier years: a year on is still too early
    second.save()
    new_year = make_assessment(org_a, year=2568, scores=False)  # fiscal year 2569
    result = carry_over(new_year)
    new = new_year.measures.get()
    assert result.periods_to_check == [
        (new.pk, "มาตรการ ก", "ระยะเวลาของมาตรการ", "Oct 2024 – Sep 2025", "อ่านปีไม่ได้แน่ชัด ระบบไม่ได้เลื่อนปีให้"),
        (new.pk, "มาตรการ ก", "ขั้นตอนที่ 1", "ภายใน 68", "อ่านปีไม่ได้แน่ชัด ระบบไม่ได้เลื่อนปีให้"),
        (new.pk, "มาตรการ ก", "ขั้นตอนที่ 2", "ต.ค. 2567", "อยู่นอกปีงบประมาณ 2569"),
    ]


def test_the_page_asks_to_check_periods_with_links_to_the_measures(staff_client, org_a, assessment_a):
    make_measure(assessment_a, title="มาตรการ ก", period_text="ภายใน 68")
    new_year = make_assessment(org_a, year=2568, scores=False)
    url = reverse("measure_copy_previous", args=["org-a", 2569])
    page = staff_client.post(url, follow=True).content.decode()
    new = new_year.measures.get()
    assert "ตรวจสอบช่วงเวลาเหล่านี้" in page
    assert reverse("measure_edit", args=["org-a", 2569, new.pk]) in page and "“ภายใน 68”" in page


# --- copying twice never doubles by accident ------------------------------------------------


def test_copying_twice_skips_what_is_already_there(org_a, assessment_a):
    for title in ("มาตรการ ๑ เปิดเผยข้อมูล", "มาตรการ 2", "มาตรการ 3"):
        make_measure(assessment_a, title=title)
    new_year = make_assessment(org_a, year=2568, scores=False)
    carry_over(new_year)
    # a title typed again with other digits and spacing is the same measure
    new_year.measures.filter(title="มาตรการ ๑ เปิดเผยข้อมูล").update(title="มาตรการ 1  เปิดเผย ข้อมูล")
    again = carry_over(new_year)
    assert new_year.measures.count() == 3
    assert again.measures == 0 and [t for t, _ in again.skipped] == ["มาตรการ ๑ เปิดเผยข้อมูล", "มาตรการ 2", "มาตรการ 3"]


def test_only_the_measures_not_yet_there_are_copied(org_a, assessment_a):
    make_measure(assessment_a, title="มาตรการเดิม")
    make_measure(assessment_a, title="มาตรการใหม่")
    new_year = make_assessment(org_a, year=2568, scores=False)
    make_measure(new_year, title="มาตรการเดิม")
    result = carry_over(new_year)
    assert sorted(new_year.measures.values_list("title", flat=True)) == ["มาตรการเดิม", "มาตรการใหม่"]
    assert result.measures == 1


def test_adding_again_is_an_explicit_choice(org_a, assessment_a):
    make_measure(assessment_a, title="มาตรการ ก")
    new_year = make_assessment(org_a, year=2568, scores=False)
    carry_over(new_year)
    carry_over(new_year, add_duplicates=True)
    assert list(new_year.measures.values_list("title", flat=True)) == ["มาตรการ ก", "มาตรการ ก"]


def test_a_second_copy_asks_first_and_skips_by_default(staff_client, org_a, assessment_a):
    make_measure(assessment_a, title="มาตรการ ก")
    make_measure(assessment_a, title="มาตรการ ข")
    new_year = make_assessment(org_a, year=2568, scores=False)
    url = reverse("measure_copy_previous", args=["org-a", 2569])
    staff_client.post(url)
    assert new_year.measures.count() == 2
    page = staff_client.post(url).content.decode()  # the same button a second time
    assert new_year.measures.count() == 2
    assert "มีมาตรการของปีก่อนอยู่แล้ว 2 มาตรการ" in page and "มาตรการ ก" in page
    assert 'value="skip" id="dup-skip" checked' in page
    page = staff_client.post(url, {"duplicates": "skip"}, follow=True).content.decode()
    assert new_year.measures.count() == 2 and "(ข้ามมาตรการที่มีอยู่แล้ว 2 มาตรการ)" in page
    staff_client.post(url, {"duplicates": "add"})
    assert new_year.measures.count() == 4


def test_an_unknown_choice_asks_again(staff_client, org_a, assessment_a):
    make_measure(assessment_a, title="มาตรการ ก")
    new_year = make_assessment(org_a, year=2568, scores=False)
    carry_over(new_year)
    url = reverse("measure_copy_previous", args=["org-a", 2569])
    response = staff_client.post(url, {"duplicates": "both"})
    assert response.status_code == 200 and new_year.measures.count() == 1


def test_years_that_date_the_work_in_titles_steps_and_follow_up_move_on_but_an_acts_year_stays(org_a, assessment_a):
    old = make_measure(assessment_a, title="โครงการอบรมคุณธรรม ประจำปีงบประมาณ 2568", steps=2)
    old.follow_up = "<p>รายงานผลภายในปี พ.ศ. ๒๕๖๘</p>"
    old.save()
    first, second = old.steps.order_by("order")
    first.text = "ประชุมชี้แจง (15 ต.ค. 67)"
    first.save()
    second.text = "เผยแพร่ตามพระราชบัญญัติมาตรฐานทางจริยธรรม พ.ศ. 2562 และแผนปี 2566-2570"
    second.save()
    new_year = make_assessment(org_a, year=2568, scores=False)
    result = carry_over(new_year)
    new = new_year.measures.get()
    assert new.title == "โครงการอบรมคุณธรรม ประจำปีงบประมาณ 2569"
    assert new.follow_up == "<p>รายงานผลภายในปี พ.ศ. ๒๕๖๙</p>"
    assert [s.text for s in new.steps.order_by("order")] == [
        "ประชุมชี้แจง (15 ต.ค. 68)",
        "เผยแพร่ตามพระราชบัญญัติมาตรฐานทางจริยธรรม พ.ศ. 2562 และแผนปี 2566-2570",
    ]
    assert result.texts_shifted == 3
    # the year-on title is the same measure: a second copy skips it
    again = carry_over(new_year)
    assert new_year.measures.count() == 1 and [t for t, _ in again.skipped] == [old.title]


def test_asking_about_measures_already_there_takes_few_queries(
    staff_client, org_a, assessment_a, django_assert_max_num_queries
):
    for i in range(12):
        make_measure(assessment_a, title=f"มาตรการ {i}", steps=1)
    new_year = make_assessment(org_a, year=2568, scores=False)
    carry_over(new_year)
    url = reverse("measure_copy_previous", args=["org-a", 2569])
    with django_assert_max_num_queries(12):
        response = staff_client.post(url)
    assert response.status_code == 200 and "อยู่แล้ว 12 มาตรการ" in response.content.decode()
