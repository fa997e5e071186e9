"""Public pages are cacheable: ETag and Last-Modified from the published versions, 304 on a
revalidation, the rendered page kept in Django's cache, and publishing a new version changes it."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import http_date

from reports.data import ReportOptions
from reports.publication import publish
from tests.conftest import _client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def first(approved_year, manager_a):
    return publish(approved_year, "o34", manager_a, ReportOptions())


def urls():
    return [
        reverse("public_directory"),
        reverse("public_org", args=["org-a"]),
        reverse("public_latest", args=["org-a", 2568, "o34"]),
        reverse("public_version", args=["org-a", 2568, "o34", 1]),
    ]


def test_public_pages_answer_304_when_the_browser_has_them(anon_client, first):
    for url in urls():
        response = anon_client.get(url)
        assert response.status_code == 200, url
        etag, modified = response["ETag"], response["Last-Modified"]
        assert etag.startswith('"') and modified == http_date(first.published_at.timestamp())
        assert "public" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
        again = anon_client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b"", url
        assert anon_client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
        assert anon_client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_publishing_a_new_version_changes_the_etag(anon_client, first, approved_year, manager_a):
    before = {url: anon_client.get(url)["ETag"] for url in urls()}
    publish(approved_year, "o34", manager_a, ReportOptions())
    for url in urls():
        response = anon_client.get(url, HTTP_IF_NONE_MATCH=before[url])
        assert response.status_code == 200 and response["ETag"] != before[url], url
    latest = anon_client.get(reverse("public_latest", args=["org-a", 2568, "o34"])).content.decode()
    assert "/public/org-a/2568/o34/v2/" in latest  # the fresh page, not the cached one


def test_an_unchanged_page_comes_from_the_cache(anon_client, first, django_assert_max_num_queries):
    url = reverse("public_directory")
    page = anon_client.get(url).content
    with django_assert_max_num_queries(1):  # only the question "has anything been published since?"
        assert anon_client.get(url).content == page
    # Another search is another page, even though the ETag is the same.
    other = anon_client.get(url + "?q=ไม่มีหน่วยงานนี้").content.decode()
    assert "org-a" not in other and "/public/org-a/" in page.decode()


def test_a_renamed_organisation_changes_the_directory(anon_client, first, org_a):
    url = reverse("public_directory")
    etag = anon_client.get(url)["ETag"]
    org_a.name = "องค์การบริหารส่วนตำบลชื่อใหม่"
    org_a.save()
    response = anon_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "ชื่อใหม่" in response.content.decode()


def test_signed_in_users_get_fresh_pages_never_the_anonymous_copy(anon_client, first, auditor):
    url = reverse("public_latest", args=["org-a", 2568, "o34"])
    public = anon_client.get(url)
    assert "เพิ่มข้อคิดเห็น" not in public.content.decode()
    signed_in = _client(auditor).get(url, HTTP_IF_NONE_MATCH=public["ETag"])
    assert signed_in.status_code == 200 and "ETag" not in signed_in
    assert "เพิ่มข้อคิดเห็น" in signed_in.content.decode()  # the auditor's comment form


def test_unpublished_and_unknown_pages_stay_404(anon_client, first):
    assert anon_client.get(reverse("public_org", args=["nobody"])).status_code == 404
    assert anon_client.get(reverse("public_latest", args=["org-a", 2568, "o35"])).status_code == 404
    assert anon_client.get(reverse("public_version", args=["org-a", 2568, "o34", 9])).status_code == 404
