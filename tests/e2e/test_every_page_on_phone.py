"""Every staff, manager, auditor and public page of the demo organisation fits a 390 px phone.

A person on a phone never scrolls sideways: wide tables become stacked cards, the report preview
and the published report read at full width. The walk follows every GET link a role can reach
(one page of each kind), so a new page is checked without adding it here; screenshots of every
page at 390 and 1366 px are kept under artifacts/e2e/phone/ for a person to look at.
"""

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
  .then(r => r.violations.map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")))"""
PASSWORD = "ita-demo-2568"  # seed_demo's password for the accounts it creates
# Downloads and state-changing addresses are not pages to look at.
NOT_A_PAGE = re.compile(r"/(pdf|docx|delete|publish|approve|move|logout)/|/admin/|\.(pdf|json|csv|docx)$")

# What each persona must have seen (URL names): the walk failing to reach one is a failure too.
STAFF_PAGES = {
    "org",
    "dashboard",
    "results",
    "results_paste",
    "analysis",
    "measure_list",
    "measure_new",
    "measure_edit",
    "measure_copy_previous",
    "word_import",
    "progress",
    "progress_round",
    "measure_steps",
    "checklist",
    "evidence",
    "report_index",
    "report_preview",
    "reminder_settings",
    "account",
}
EXPECTED = {
    "staff": STAFF_PAGES,
    "manager": STAFF_PAGES | {"audit_trail", "public_version", "public_file"},
    "auditor": (STAFF_PAGES - {"results_paste", "measure_new", "measure_edit", "word_import", "measure_copy_previous"})
    | {"home", "public_directory", "public_org", "public_latest", "public_version", "public_file"},
    None: {"login", "public_directory", "public_org", "public_latest", "public_version", "public_file"},
}


def _shape(path):
    """One page of each kind: /o/x/2570/measures/29/ and /o/x/2569/measures/15/ are the same page."""
    return re.sub(r"/\d+(?=/|$)", "/N", path.split("?")[0])


def _walk(page, base, starts, allowed, width, role, ce_years, axe=None):
    seen_shapes, queue, visited = set(), list(starts), []
    while queue:
        path = queue.pop(0)
        shape = _shape(path)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = page.goto(base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("load")
        visited.append((path, page.evaluate("document.documentElement.scrollWidth")))
        if axe is not None:  # WCAG 2.1 A/AA, by axe-core from the npm registry
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(AXE_RUN)
            axe.extend((role, _shape(path), v) for v in found)
        # A Thai reader counts years in the Buddhist Era: a Christian-era year on screen is a slip.
        text = page.evaluate("document.body.innerText")
        ce_years.extend((path, year) for year in re.findall(r"(?<!\d)20[0-4]\d(?!\d)", text))
        name = re.sub(r"[^a-z0-9]+", "-", shape.lower()).strip("-") or "root"
        (ARTIFACTS / "phone").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "phone" / f"{width}-{role or 'public'}-{name}.png"), full_page=True)
        for href in page.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
            url = urlparse(urljoin(base + path, href))
            if url.netloc != urlparse(base).netloc or NOT_A_PAGE.search(url.path):
                continue
            if any(url.path.startswith(prefix) for prefix in allowed):
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return visited


def _url_name(path):
    try:
        return resolve(path.split("?")[0]).url_name
    except Resolver404:
        return None


@pytest.fixture
def demo(catalogue):
    call_command("seed_demo", stdout=open("/dev/null", "w"))


@pytest.mark.parametrize("width", [390, 1366])
def test_every_page_fits_the_screen_without_sideways_scrolling(browser, live_server, demo, width):
    too_wide, ce_years, axe = [], [], []
    for role in ("staff", "manager", "auditor", None):
        # bypass_csp: the page's CSP (script-src 'self') would refuse the injected axe-core.
        context = browser.new_context(locale="th-TH", viewport={"width": width, "height": 844}, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(15000)
        if role:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", role)
            page.fill("#id_password", PASSWORD)
            page.click("main button")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)  # an auditor lands on the home list
            year = "/o/don-kaeo/2570"
            # Last year's reports page first: it lists the published versions (one page per shape).
            starts = ["/o/don-kaeo/2569/reports/", "/", "/o/don-kaeo/?all=1", f"{year}/"]
            starts += [f"{year}/measures/copy-previous/", "/accounts/reminders/", "/accounts/profile/"]
            allowed = ["/o/don-kaeo/", "/accounts/reminders/", "/accounts/profile/", "/evidence/"]
            allowed += ["/public/"] if role != "staff" else []
        else:
            starts, allowed = ["/accounts/login/", "/public/"], ["/public/"]
        visited = _walk(page, live_server.url, starts, allowed, width, role, ce_years, axe)
        context.close()
        names = {_url_name(path) for path, _ in visited}
        assert EXPECTED[role] <= names, (role, sorted(EXPECTED[role] - names))
        too_wide += [(role, path, w) for path, w in visited if w > width]
    assert too_wide == []
    assert sorted(set(ce_years)) == []
    assert sorted(set(axe)) == []


def test_published_report_reads_full_width_on_a_phone(browser, live_server, demo):
    context = browser.new_context(locale="th-TH", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/public/don-kaeo/2569/o35/")
    assert not page.locator("iframe").is_visible()  # no small scrolling frame on a phone
    page.click("#read-full")
    page.wait_for_url(re.compile(r"report\.html$"))
    table = page.locator("table").first
    assert table.bounding_box()["width"] >= 350  # the report's own table uses the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The organisation's reports are cards as wide as the phone, not columns one syllable wide.
    page.goto(f"{live_server.url}/public/don-kaeo/")
    assert page.locator("table td").first.bounding_box()["width"] >= 330
    context.close()
