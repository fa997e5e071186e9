"""Text pasted from a website, Word or LINE: plain fields keep the text, never the markup, in the
database, in the textarea after save and reload, and in the PDF."""

import json

import pytest
from django.urls import reverse

from assessments.richtext import plain_text
from measures.dossier import export_dossier, import_dossier
from measures.models import Measure, OitChecklistItem, Progress
from tests.factories import make_measure, make_rounds

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
MARKUP = ("<p", "</p>", "<a ", "&amp;", "<o:p>", "mso-", "<li", "<br")


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        ("<p>จัดทำแผนผัง &amp; เผยแพร่</p><p>บรรทัดสอง</p>", "จัดทำแผนผัง & เผยแพร่\nบรรทัดสอง"),
        ('ดู <a href="https://www.donkaeo.go.th/ita/o1">แผนผัง</a>', "ดู แผนผัง (https://www.donkaeo.go.th/ita/o1)"),
        ('<a href="https://x.go.th/a">https://x.go.th/a</a>', "https://x.go.th/a"),
        ("<ul><li>หนึ่ง</li><li>สอง</li></ul>", "• หนึ่ง\n• สอง"),
        (
            "<!--[if gte mso 9]><xml><o:DocumentProperties/></xml><![endif]-->"
            '<p class="MsoListParagraph" style="mso-list:l0 level1 lfo1">ขั้นตอนแรก<o:p></o:p></p>',
            "ขั้นตอนแรก",
        ),
        ("ตลอดปี\nงบประมาณ", "ตลอดปี\nงบประมาณ"),  # typed text is kept as typed
        ("กำไร < ทุน", "กำไร < ทุน"),
    ],
)
def test_plain_text(pasted, kept):
    assert plain_text(pasted) == kept


def test_progress_saved_through_the_page_comes_back_without_markup(staff_client, assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a)
    url = reverse("progress_save", args=["org-a", 2568, rounds[0].id, m.pk])
    data = {
        f"m{m.pk}-status": "done",
        f"m{m.pk}-output": "<p>จัดทำแผนผัง &amp; ประกาศ</p>",
        f"m{m.pk}-outcome": '<p>ดูที่ <a href="https://example.go.th/r">รายงาน</a></p>',
        f"m{m.pk}-version": "0",
    }
    assert staff_client.post(url, data, **JSON).json()["ok"]
    progress = Progress.objects.get(measure=m)
    assert progress.output == "จัดทำแผนผัง & ประกาศ"
    assert progress.outcome == "ดูที่ รายงาน (https://example.go.th/r)"
    page = staff_client.get(reverse("progress_round", args=["org-a", 2568, rounds[0].id])).content.decode()
    assert "&lt;p&gt;" not in page and "จัดทำแผนผัง &amp; ประกาศ" in page  # escaped once, as text


def test_checklist_description_saved_without_markup(staff_client, assessment_a):
    url = reverse("checklist_save", args=["org-a", 2568, "o1"])
    data = {"o1-status": "done", "o1-description": "<p>เผยแพร่แล้ว&nbsp;ครบ</p>", "o1-version": ""}
    staff_client.post(url, data, **JSON)
    assert OitChecklistItem.objects.get(assessment=assessment_a).description == "เผยแพร่แล้ว ครบ"


def test_measure_title_steps_and_period_pasted_from_the_web(staff_client, assessment_a):
    data = {
        "title": "<p>มาตรการ &quot;เปิดเผย&quot; ข้อมูล</p>",
        "steps": "<ol><li>ประชุม</li><li>เผยแพร่</li></ol>",
        "period_text": "<p>ตลอด ปีงบประมาณ พ.ศ.2568</p>",
        "units": [assessment_a.organisation.units.first().pk],
        "issues": [],
        "questions": [],
    }
    staff_client.post(reverse("measure_new", args=["org-a", 2568]), data)
    m = Measure.objects.get(assessment=assessment_a)
    assert m.title == 'มาตรการ "เปิดเผย" ข้อมูล'
    assert [s.text for s in m.steps.order_by("order")] == ["ประชุม", "เผยแพร่"]
    assert m.period_text == "ตลอด ปีงบประมาณ พ.ศ.2568"


def test_dossier_import_cleans_plain_fields_and_keeps_rich_ones(assessment_a):
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a, title="มาตรการเดิม")
    Progress.objects.create(measure=m, round=rounds[0], status="done", output="x")
    raw = export_dossier(assessment_a.organisation, 2568)
    measure = raw["measures"][0]
    measure["title"] = "<p>มาตรการ &amp; กิจกรรม</p>"
    measure["steps"] = ["<p>ขั้นที่ <b>หนึ่ง</b></p>"]
    measure["period_text"] = "<span>ตลอดปี</span>"
    measure["progress"][0]["output"] = '<p>ทำแล้ว</p><a href="https://x.go.th">หลักฐาน</a>'
    raw["analysis"] = [{"issue": 1, "analysis": "<p>ดี <script>alert(1)</script></p>", "improvement": ""}]
    assessment = import_dossier(json.dumps(raw, ensure_ascii=False))
    saved = assessment.measures.get()
    assert saved.title == "มาตรการ & กิจกรรม" and saved.period_text == "ตลอดปี"
    assert saved.steps.get().text == "ขั้นที่ หนึ่ง"
    assert saved.progress.get().output == "ทำแล้ว\nหลักฐาน (https://x.go.th)"
    analysis = assessment.analyses.get().analysis
    assert analysis.startswith("<p>ดี") and "<script" not in analysis  # rich: sanitised, formatting kept
    for value in (saved.title, saved.period_text, saved.steps.get().text, saved.progress.get().output):
        assert not any(mark in value for mark in MARKUP)


def test_the_data_migration_cleans_rows_stored_before(assessment_a):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("measures.migrations.0002_plain_text_fields")
    rounds = make_rounds(assessment_a)
    m = make_measure(assessment_a, title="ชื่อ")
    Measure.objects.filter(pk=m.pk).update(title="<p>มาตรการ &amp; ข้อมูล</p>", period_text="<p>ตลอดปี</p>")
    Progress.objects.create(measure=m, round=rounds[0], status="done", output="<p>จัดทำแผนผัง…</p>")
    migration.clean_stored_rows(apps, None)
    m.refresh_from_db()
    assert (m.title, m.period_text) == ("มาตรการ & ข้อมูล", "ตลอดปี")
    assert Progress.objects.get(measure=m).output == "จัดทำแผนผัง…"
