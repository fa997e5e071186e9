"""Nothing lost under concurrency: stale forms, first-save races, SQLite locking, failed publishes."""

import html
import re
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse

from assessments.concurrency import ConcurrentEditError
from assessments.models import Issue
from measures import services
from measures.models import IssueAnalysis, OitChecklistItem, Progress
from reports.data import ReportOptions
from reports.models import PublishedVersion
from tests.factories import make_measure, make_rounds

ANALYSIS = ("analysis", ["org-a", 2568])


def _form(client, name, args):
    """The fields of a page's form as the browser would post them back (text areas and hidden inputs)."""
    page = client.get(reverse(name, args=args)).content.decode()
    data = {m[0]: html.unescape(m[1]) for m in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)}
    data.pop("csrfmiddlewaretoken", None)
    for field, text in re.findall(r'<textarea name="(\w+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[field] = html.unescape(text).strip()
    for field, value in re.findall(r'<input type="text" name="(\w+)" value="([^"]*)"', page):
        data[field] = html.unescape(value)
    for field in re.findall(r'<input type="text" name="(\w+)"(?![^>]*value=)', page):
        data.setdefault(field, "")
    return data


def test_two_stale_analysis_forms_on_different_issues_both_keep_their_text(staff_client, manager_client, assessment_a):
    a_form, b_form = _form(staff_client, *ANALYSIS), _form(manager_client, *ANALYSIS)
    a_form["analysis_1"] = "ประเด็นที่ 1 โดยคนแรก"
    b_form["analysis_2"] = "ประเด็นที่ 2 โดยคนที่สอง"
    assert staff_client.post(reverse(ANALYSIS[0], args=ANALYSIS[1]), a_form).status_code == 302
    assert manager_client.post(reverse(ANALYSIS[0], args=ANALYSIS[1]), b_form).status_code == 302
    rows = {r.issue.number: r.analysis for r in IssueAnalysis.objects.select_related("issue")}
    assert rows[1] == "<p>ประเด็นที่ 1 โดยคนแรก</p>", "the second writer's stale page must not wipe issue 1"
    assert rows[2] == "<p>ประเด็นที่ 2 โดยคนที่สอง</p>"


def test_two_stale_analysis_forms_on_the_same_issue_give_one_conflict_and_lose_nothing(
    staff_client, manager_client, assessment_a
):
    a_form, b_form = _form(staff_client, *ANALYSIS), _form(manager_client, *ANALYSIS)
    a_form["analysis_1"] = "ฉบับของคนแรก"
    b_form["analysis_1"] = "ฉบับของคนที่สอง"
    b_form["limitations"] = "ข้อจำกัดที่คนที่สองพิมพ์"
    assert staff_client.post(reverse(ANALYSIS[0], args=ANALYSIS[1]), a_form).status_code == 302
    response = manager_client.post(reverse(ANALYSIS[0], args=ANALYSIS[1]), b_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("มีผู้อื่นบันทึกข้อความในช่องเดียวกัน") == 1
    assert "ฉบับของคนที่สอง" in page and "ข้อจำกัดที่คนที่สองพิมพ์" in page, "the second writer's text stays"
    assert "ฉบับที่ผู้อื่นบันทึกไว้: ฉบับของคนแรก" in page
    assert IssueAnalysis.objects.get(issue__number=1).analysis == "<p>ฉบับของคนแรก</p>"
    assessment_a.refresh_from_db()
    assert assessment_a.limitations == "", "nothing is half-saved"
    # The conflict page now knows both versions: saving it again is a deliberate choice.
    again = {k: html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="(seen)" value="([^"]*)"', page)}
    assert manager_client.post(reverse(ANALYSIS[0], args=ANALYSIS[1]), b_form | again).status_code == 302
    assert IssueAnalysis.objects.get(issue__number=1).analysis == "<p>ฉบับของคนที่สอง</p>"


def test_the_analysis_service_refuses_a_stale_box(assessment_a):
    from assessments.concurrency import seen_token

    issues = list(Issue.objects.filter(ita_year=assessment_a.ita_year).values_list("number", flat=True))
    blank = {n: ("", "") for n in issues}
    seen = seen_token({f"{k}_{n}": "" for n in issues for k in ("analysis", "improvement")} | {"limitations": ""})
    from assessments.concurrency import parse_seen

    services.save_analysis(assessment_a, blank | {1: ("แรก", "")}, "", parse_seen(seen))
    with pytest.raises(ConcurrentEditError) as excinfo:
        services.save_analysis(assessment_a, blank | {1: ("สอง", "")}, "", parse_seen(seen))
    assert excinfo.value.fields == ["analysis_1"]
    assert IssueAnalysis.objects.get(issue__number=1).analysis == "<p>แรก</p>"


def test_stale_results_grids_give_one_conflict_and_keep_the_typed_score(staff_client, manager_client, assessment_a):
    url = reverse("results", args=["org-a", 2568])
    a_form, b_form = _form(staff_client, "results", ["org-a", 2568]), _form(manager_client, "results", ["org-a", 2568])
    assert "seen" in a_form, "the results grid must carry what it showed"
    a_form["q_i1"], b_form["q_i1"] = "50.00", "60.00"
    b_form["q_i2"] = "61.00"
    assert staff_client.post(url, a_form).status_code == 302
    response = manager_client.post(url, b_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("มีผู้อื่นบันทึกข้อความในช่องเดียวกัน") == 1
    assert 'value="60.00"' in page and 'value="61.00"' in page
    scores = {s.question.code: str(s.score) for s in assessment_a.question_scores.select_related("question")}
    assert scores["i1"] == "50.00" and scores["i2"] == "97.39", "nothing of the stale form is saved"


def test_a_stale_results_grid_does_not_put_back_old_scores(staff_client, manager_client, assessment_a):
    url = reverse("results", args=["org-a", 2568])
    a_form, b_form = _form(staff_client, "results", ["org-a", 2568]), _form(manager_client, "results", ["org-a", 2568])
    a_form["q_i1"] = "50.00"
    b_form["q_e1"] = "55.00"
    assert staff_client.post(url, a_form).status_code == 302
    assert manager_client.post(url, b_form).status_code == 302
    scores = {s.question.code: str(s.score) for s in assessment_a.question_scores.select_related("question")}
    assert scores["i1"] == "50.00" and scores["e1"] == "55.00"


# --- creation races ----------------------------------------------------------------------


def test_a_first_save_that_loses_the_race_is_a_conflict_not_an_integrity_error(assessment_a):
    m = make_measure(assessment_a)
    r1, _ = make_rounds(assessment_a)
    Progress.objects.create(measure=m, round=r1, output="คนแรก")
    # The second writer's page saw no row; its check ran before the first row existed.
    original = Progress.objects.filter

    class _Blind:
        def __init__(self, qs):
            self.qs = qs

        def first(self):
            return None

    Progress.objects.filter = lambda **kw: _Blind(original(**kw))
    try:
        with pytest.raises(services.ConflictError):
            services.save_progress(m, r1, {"status": "done", "output": "คนที่สอง"}, None)
    finally:
        del Progress.objects.filter
    assert Progress.objects.get(measure=m, round=r1).output == "คนแรก"


def _race(target, n=8):
    barrier = threading.Barrier(n)
    outcomes = []

    def run(i):
        try:
            barrier.wait()
            outcomes.append(target(i))
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


needs_threads = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="threads share one SQLite test database poorly; run on PostgreSQL"
)


@needs_threads
@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_first_saves_end_in_one_row_and_conflicts(catalogue):
    from tests.factories import make_assessment, make_org

    assessment = make_assessment(make_org("race-org"))
    m = make_measure(assessment)
    r1, _ = make_rounds(assessment)
    question = assessment.ita_year.questions.filter(instrument="OIT").first()
    issues = list(Issue.objects.filter(ita_year=assessment.ita_year).values_list("number", flat=True))
    from assessments.concurrency import parse_seen, seen_token

    seen = parse_seen(
        seen_token({f"{k}_{n}": "" for n in issues for k in ("analysis", "improvement")} | {"limitations": ""})
    )
    jobs = {
        "progress": lambda i: services.save_progress(m, r1, {"status": "done", "output": f"คนที่ {i}"}, None),
        "checklist": lambda i: services.save_checklist_item(
            assessment, question, {"status": "done", "description": f"คนที่ {i}"}, None
        ),
        "analysis": lambda i: services.save_analysis(
            assessment, {n: (f"คนที่ {i}" if n == 1 else "", "") for n in issues}, "", seen
        ),
    }
    for name, job in jobs.items():
        outcomes = _race(job)
        errors = [o for o in outcomes if isinstance(o, Exception)]
        assert len(outcomes) == 8
        assert all(isinstance(e, (services.ConflictError, ConcurrentEditError)) for e in errors), (name, errors)
        assert len(errors) == 7, (name, outcomes)
    assert Progress.objects.filter(measure=m, round=r1).count() == 1
    assert OitChecklistItem.objects.filter(assessment=assessment, question=question).count() == 1
    assert IssueAnalysis.objects.filter(assessment=assessment, issue__number=1).count() == 1


def test_sqlite_waits_for_the_write_lock_instead_of_failing():
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert db["OPTIONS"]["timeout"] >= 20


# --- publishing ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_publish_that_fails_removes_the_files_it_wrote(assessment_a, manager_a, media_root, monkeypatch):
    from django.utils import timezone

    from reports import publication

    m = make_measure(assessment_a)
    assert m.pk
    assessment_a.o34_approved_at, assessment_a.o34_approved_by = timezone.now(), manager_a
    assessment_a.save()

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(PublishedVersion, "save", broken_save)
    with pytest.raises(RuntimeError):
        publication.publish(assessment_a, "o34", manager_a, ReportOptions())
    left = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    assert left == []
    assert not PublishedVersion.objects.exists()
