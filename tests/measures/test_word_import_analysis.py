"""Issue #24: an o34/O25 Word report's per-issue analysis comes in beside its measures, into the
year's analysis where it is empty; nothing typed is replaced, and another year's analysis stays out."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Issue
from measures.models import IssueAnalysis, Measure
from measures.word_import import apply_plan, plan_import
from tests.factories import make_assessment
from tests.measures import word_fixtures as wf

pytestmark = pytest.mark.django_db

ISSUE_1 = {
    "issue": 1,
    "analysis": "ข้อคำถาม: o9 รายงานผลการดำเนินงานประจำปี\nไม่ระบุวันเริ่มและสิ้นสุด",
    "improvement": "ควรระบุวันเริ่มและสิ้นสุดของทุกโครงการ",
}
ISSUE_2 = {
    "issue": 2,
    "analysis": "ประชาชนไม่ได้ใช้บริการออนไลน์\nเพราะยังไม่รู้จักช่องทาง",
    "improvement": "ประชาสัมพันธ์ระบบ E-Service",
}


@pytest.fixture
def year(org_a):
    return make_assessment(org_a, year=2567, scores=False)  # fiscal year 2568


def test_the_analysis_of_each_issue_is_read_from_tables_and_paragraphs(year):
    plan = plan_import(wf.o34_with_analysis(), year)
    assert plan.analyses == [ISSUE_1, ISSUE_2]
    assert [m.title for m in plan.measures] == ["มาตรการเปิดเผยรายงานผลการดำเนินงานประจำปี"]


def test_the_analysis_fills_only_what_is_empty(year):
    issue_1 = Issue.objects.get(ita_year=year.ita_year, number=1)
    IssueAnalysis.objects.create(assessment=year, issue=issue_1, analysis="ที่พิมพ์ไว้เอง")
    apply_plan(year, plan_import(wf.o34_with_analysis(), year).to_dict())
    saved = {a.issue.number: (a.analysis, a.improvement) for a in IssueAnalysis.objects.filter(assessment=year)}
    assert saved == {
        1: ("ที่พิมพ์ไว้เอง", ISSUE_1["improvement"]),
        2: (ISSUE_2["analysis"], ISSUE_2["improvement"]),
    }


def test_another_years_analysis_is_not_brought_in(org_a):
    new_year = make_assessment(org_a, year=2568, scores=False)  # fiscal year 2569
    apply_plan(new_year, plan_import(wf.o34_with_analysis(), new_year).to_dict())
    assert Measure.objects.filter(assessment=new_year).count() == 1
    assert not IssueAnalysis.objects.filter(assessment=new_year).exists()


def test_the_preview_shows_the_analysis_to_be_filled(staff_client, year):
    url = reverse("word_import", args=["org-a", 2568])
    page = staff_client.post(url, {"file": SimpleUploadedFile("o34.docx", wf.o34_with_analysis())}).content.decode()
    assert 'id="word-analyses"' in page and "ประชาสัมพันธ์ระบบ E-Service" in page
    staff_client.post(url, {"confirm": "1"})
    assert IssueAnalysis.objects.filter(assessment=year).count() == 2
