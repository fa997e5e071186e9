"""Every URL of the app with every persona: organisation and role are checked on every request."""

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import reverse

from tests.factories import make_measure, make_progress, make_rounds

pytestmark = pytest.mark.django_db

READ = {"staff": 200, "manager": 200, "auditor": 200, "other_staff": 404, "anonymous": 302}
WRITE = {"staff": "ok", "manager": "ok", "auditor": 403, "other_staff": 404, "anonymous": 302}
APPROVE = {"staff": 403, "manager": "ok", "auditor": 403, "other_staff": 404, "anonymous": 302}


@pytest.fixture
def year(assessment_a):
    rounds = make_rounds(assessment_a)
    measure = make_measure(assessment_a)
    make_progress(measure, rounds[0])
    return assessment_a, measure, rounds


def _urls(year):
    a, m, rounds = year
    s, fy = a.organisation.slug, a.fiscal_year
    r = rounds[0].pk
    gets = [
        ("dashboard", [s, fy], READ),
        ("results", [s, fy], READ),
        ("results_paste", [s, fy], {**WRITE, "staff": 200, "manager": 200}),
        ("analysis", [s, fy], READ),
        ("measure_list", [s, fy], READ),
        ("measure_new", [s, fy], {**WRITE, "staff": 200, "manager": 200}),
        ("measure_edit", [s, fy, m.pk], READ),
        ("progress", [s, fy], READ),
        ("progress_round", [s, fy, r], READ),
        ("measure_steps", [s, fy, m.pk], READ),
        ("measure_trash", [s, fy], READ),
        ("checklist", [s, fy], READ),
        ("evidence", [s, fy], READ, f"?measure={m.pk}&round={r}"),
        ("evidence", [s, fy], READ, "?oit=o1"),
        ("report_index", [s, fy], READ),
        ("report_preview", [s, fy, "o34"], READ),
        ("report_preview", [s, fy, "o35"], READ),
        ("report_preview", [s, fy, "oit"], READ),
    ]
    posts = [
        ("results", [s, fy], {"q_i1": "98.70"}, WRITE),
        ("results_paste", [s, fy], {"text": "i1 98.70", "preview": "1"}, WRITE),
        ("analysis", [s, fy], {"analysis_1": "<p>ดี</p>"}, WRITE),
        ("measure_new", [s, fy], {"title": "ใหม่", "period_text": "ตลอดปีงบประมาณ"}, WRITE),
        ("measure_edit", [s, fy, m.pk], {"title": "แก้", "period_text": "ตลอดปี", "version": m.version}, WRITE),
        ("measure_move", [s, fy, m.pk, "up"], {}, WRITE),
        ("measure_copy_previous", [s, fy], {}, WRITE),
        ("measure_copy_undo", [s, fy], {}, WRITE),
        ("measure_steps", [s, fy, m.pk], {f"s{m.steps.first().pk}-output": "ผลขั้นแรก"}, WRITE),
        ("report_settings", [s, fy], {"digits": "arabic", "reporter_name": "ก", "remember": "1"}, WRITE),
        ("report_intro", [s, fy], {"intro_o34": "คำนำของหน่วยงาน", "intro_o35": ""}, WRITE),
        ("progress_save", [s, fy, r, m.pk], {f"m{m.pk}-status": "done", f"m{m.pk}-version": "1"}, WRITE),
        ("checklist_save", [s, fy, "o1"], {"o1-status": "done"}, WRITE),
        ("start_year", [s], {"ita_year": "2568"}, WRITE),
        ("approve", [s, fy, "o34"], {}, APPROVE),
        ("measure_delete", [s, fy, m.pk], {}, WRITE),  # last: it removes the measure
    ]
    return gets, posts


def _database():
    """Every row of the portal's own tables, as text: a refused write must leave all of it as it was."""
    rows = {}
    for label in ("assessments", "measures", "reports"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = serializers.serialize("json", model.objects.order_by("pk"))
    return rows


def _check(persona, response, expected, url):
    if expected == "ok":
        assert response.status_code in (200, 302), (persona, url, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"], (persona, url)
    else:
        assert response.status_code == expected, (persona, url, response.status_code)
        if expected == 302:
            assert response["Location"].startswith("/accounts/login/"), (persona, url)


@pytest.mark.parametrize("persona", ["staff", "manager", "auditor", "other_staff", "anonymous"])
def test_every_page_checks_organisation_and_role(personas, year, persona):
    client = personas[persona]
    gets, _ = _urls(year)
    for name, args, expected, *query in gets:
        url = reverse(name, args=args) + "".join(query)
        _check(persona, client.get(url), expected[persona], url)


@pytest.mark.parametrize("persona", ["staff", "manager", "auditor", "other_staff", "anonymous"])
def test_every_write_checks_organisation_and_role(personas, year, persona):
    client = personas[persona]
    _, posts = _urls(year)
    for name, args, data, expected in posts:
        url = reverse(name, args=args)
        refused = expected[persona] != "ok"
        before = _database() if refused else None
        _check(persona, client.post(url, data), expected[persona], url)
        if refused:
            after = _database()
            changed = [label for label in before if before[label] != after[label]]
            assert not changed, (persona, url, "a refused write changed", changed)


def test_pdf_download_follows_the_same_rules(personas, year):
    a = year[0]
    url = reverse("report_pdf", args=[a.organisation.slug, a.fiscal_year, "oit"])
    assert personas["other_staff"].get(url).status_code == 404
    assert personas["anonymous"].get(url).status_code == 302
    response = personas["auditor"].get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_unknown_fiscal_year_is_404(personas, year):
    a = year[0]
    assert personas["staff"].get(reverse("dashboard", args=[a.organisation.slug, 2599])).status_code == 404


def test_another_orgs_measure_is_404_even_through_own_org_url(personas, year, assessment_b):
    a = year[0]
    foreign = make_measure(assessment_b)
    url = reverse("measure_edit", args=[a.organisation.slug, a.fiscal_year, foreign.pk])
    assert personas["staff"].post(url, {"title": "x", "period_text": "y", "version": 1}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.title != "x"
