"""The XSS corpus: every payload through every text field, on every staff and public page.

A page passes when nothing in it could run: no inline script, no event-handler attribute, no
javascript:/vbscript:/data: link, frame source or form action, no <object>, <embed>, <base> or
refresh, no script-bearing style. The check parses the HTML as a browser would (entities decoded),
so an escaped payload (shown as text) passes and an unescaped one fails.
"""

import html.parser
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.models import Unit
from assessments.richtext import sanitise
from measures.models import IssueAnalysis, OitChecklistItem
from reports.data import ReportOptions
from reports.publication import add_comment, publish
from tests.factories import make_measure, make_progress, make_rounds

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="x:expression(alert(1))">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<scr<script>ipt>alert(1)</script>",
    "<<script>alert(1)//<</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="x" onerror="&#97;lert(1)">',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<marquee onstart=alert(1)>",
    "<x onclick=alert(1)>click",
    '"onmouseover="alert(1)',
    "'-alert(1)-'",
    "<select onfocus=alert(1) autofocus>",
    "{{ request.user.password }}{% debug %}",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<a href=vbscript:msgbox(1)>x</a>",
]
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster", "srcdoc"}
FORBIDDEN_TAGS = {"object", "embed", "base", "applet", "frameset", "frame", "svg", "math"}


class _Checker(html.parser.HTMLParser):
    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url, self.problems, self._in = url, [], None

    def handle_starttag(self, tag, attrs):
        attrs = [(name.lower(), value or "") for name, value in attrs]
        where = f"{self.url}: <{tag} {attrs}>"
        if tag in FORBIDDEN_TAGS:
            self.problems.append(where)
        if tag == "script":
            src = dict(attrs).get("src", "")
            if not src.startswith("/static/"):
                self.problems.append(f"{where} (inline script)")
            self._in = "script"
        if tag == "style":
            self._in = "style"
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.problems.append(where)
        if tag == "iframe" and not dict(attrs).get("src", "").startswith("/public/"):
            self.problems.append(where)
        for name, value in attrs:
            compact = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.startswith("on"):
                self.problems.append(f"{where} (event handler)")
            elif name in URL_ATTRS and compact.startswith(("javascript:", "vbscript:", "data:")):
                self.problems.append(f"{where} (script URL)")
            elif name == "srcdoc":
                self.problems.append(where)
            elif name == "style" and ("javascript:" in compact or "expression(" in compact):
                self.problems.append(f"{where} (script in style)")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in = None

    def handle_data(self, data):
        if self._in == "script" and data.strip():
            self.problems.append(f"{self.url}: inline script content {data[:60]!r}")
        if self._in == "style" and re.search(r"javascript:|expression\(|@import", data, re.I):
            self.problems.append(f"{self.url}: script-bearing style {data[:60]!r}")


def assert_inert(url, body: str):
    checker = _Checker(url)
    checker.feed(body)
    checker.close()
    assert checker.problems == []
    for raw in ("<script>alert(1)", "onerror=alert(1)>", 'href="javascript:'):
        assert raw not in body, f"{url}: unescaped {raw}"
    assert "pbkdf2_" not in body, "template syntax in data must never run"


def test_the_corpus_has_at_least_forty_payloads():
    assert len(set(PAYLOADS)) >= 40


RUNNABLE = [p for p in PAYLOADS if p.startswith("<") and not p.startswith(("<!--", "<scr<", "<<"))]


@pytest.mark.parametrize("payload", RUNNABLE)
def test_the_check_catches_each_payload_left_unescaped(payload):
    with pytest.raises(AssertionError):
        assert_inert("raw", f"<html><body><p>{payload}</p></body></html>")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_rich_text_sanitiser_leaves_nothing_that_runs(payload):
    assert_inert("sanitise()", "<div>" + sanitise(payload) + "</div>")


@pytest.fixture
def loaded_year(assessment_a, manager_a, auditor):
    """One organisation-year with a payload in every text field a user can fill."""
    a = assessment_a
    org = a.organisation
    org.name = "องค์การบริหารส่วนตำบล" + PAYLOADS[0]
    org.district, org.province, org.executive_title = PAYLOADS[1], PAYLOADS[4], PAYLOADS[6]
    org.save()
    for i, p in enumerate(PAYLOADS):
        Unit.objects.create(organisation=org, name=f"{i} {p}"[:200], order=10 + i)
    units = list(org.units.all())
    rounds = make_rounds(a)
    rounds[0].name = PAYLOADS[2][:100]
    rounds[0].save()
    for i, p in enumerate(PAYLOADS):
        m = make_measure(a, title=p, steps=0, period_text=p[:200], follow_up=sanitise(p))
        m.steps.create(order=1, text=p)
        m.units.set([units[i % len(units)]])
        make_progress(m, rounds[1], status="done", output=sanitise(p), outcome=sanitise(p))
        m.progress.filter(round=rounds[1]).update(evidence=p)
    issues = list(a.ita_year.issues.all())
    for n, issue in enumerate(issues):
        IssueAnalysis.objects.create(
            assessment=a, issue=issue, analysis=sanitise(PAYLOADS[n]), improvement=sanitise(PAYLOADS[-1 - n])
        )
    a.limitations = sanitise(" ".join(PAYLOADS))
    for q, p in zip(a.ita_year.questions.filter(instrument="OIT"), PAYLOADS, strict=False):
        OitChecklistItem.objects.create(assessment=a, question=q, unit=units[0], status="done", description=sanitise(p))
    now = timezone.now()
    for kind in ("o34", "o35", "oit"):
        setattr(a, f"{kind}_approved_at", now)
        setattr(a, f"{kind}_approved_by", manager_a)
    a.save()
    get_user_model().objects.filter(pk=manager_a.pk).update(first_name=PAYLOADS[5][:150], last_name=PAYLOADS[2])
    manager_a.refresh_from_db()
    versions = {kind: publish(a, kind, manager_a, ReportOptions()) for kind in ("o34", "o35", "oit")}
    for p in PAYLOADS:
        add_comment(versions["o35"], auditor, p)
    return a, versions


@pytest.mark.django_db
def test_no_payload_runs_on_any_staff_or_public_page(loaded_year, manager_client, auditor_client, anon_client):
    a, versions = loaded_year
    m = a.measures.first()
    args = ["org-a", 2568]
    staff_pages = [
        reverse("dashboard", args=args),
        reverse("results", args=args),
        reverse("analysis", args=args),
        reverse("measure_list", args=args),
        reverse("measure_edit", args=[*args, m.pk]),
        reverse("progress", args=args),
        reverse("checklist", args=args),
        reverse("report_index", args=args),
        reverse("audit_trail", args=args),
        *[reverse("report_preview", args=[*args, kind]) for kind in ("o34", "o35", "oit")],
    ]
    public_pages = [
        reverse("public_directory"),
        reverse("public_directory") + "?q=%3Cscript%3Ealert(1)%3C/script%3E",
        reverse("public_org", args=["org-a"]),
        *[reverse("public_latest", args=[*args, kind]) for kind in ("o34", "o35", "oit")],
        *[reverse("public_file", args=[*args, kind, 1, "report.html"]) for kind in ("o34", "o35", "oit")],
    ]
    checked = 0
    for client, urls in ((manager_client, staff_pages), (anon_client, public_pages), (auditor_client, ["/"])):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert_inert(url, body.decode("utf-8"))
            checked += 1
    assert checked == len(staff_pages) + len(public_pages) + 1
    # The payloads are there, as text: the pages did show them.
    page = manager_client.get(reverse("measure_list", args=args)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    public = anon_client.get(reverse("public_latest", args=[*args, "o35"])).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in public


@pytest.mark.django_db
def test_open_data_files_are_never_served_as_html(loaded_year, anon_client):
    for name, kind in (("data.json", "application/json"), ("data.csv", "text/csv")):
        response = anon_client.get(reverse("public_file", args=["org-a", 2568, "o35", 1, name]))
        assert response["Content-Type"].startswith(kind)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
@pytest.mark.parametrize("website", ["javascript:alert(1)//http://x.go.th", "data:text/html,<script>alert(1)</script>"])
def test_a_script_website_stored_by_an_old_import_is_never_a_link(loaded_year, anon_client, website):
    from assessments.models import Organisation

    Organisation.objects.filter(slug="org-a").update(website=website)  # as an import that skipped validation
    page = anon_client.get(reverse("public_org", args=["org-a"])).content.decode()
    assert_inert("public_org", page)
    assert "เว็บไซต์หน่วยงาน" not in page
    org = Organisation.objects.get(slug="org-a")
    org.website = "https://www.org-a.go.th/"
    org.save()  # as the admin saves it: a recorded change, so the cached public page is replaced
    page = anon_client.get(reverse("public_org", args=["org-a"])).content.decode()
    assert 'href="https://www.org-a.go.th/"' in page
