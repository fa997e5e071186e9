"""Public pages: no login, published content only, served from storage."""

import functools
import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef, Prefetch, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import condition, require_POST

from assessments.models import Membership, Organisation, Role
from assessments.search import search
from assessments.services import DomainError
from assessments.storage import sha256_of
from assessments.thai import thai_sorted

from .models import Kind, PublishedVersion, ReviewComment
from .publication import add_comment

logger = logging.getLogger(__name__)

FILES = {
    "report.html": ("html", "text/html; charset=utf-8"),
    "report.pdf": ("pdf", "application/pdf"),
    "data.json": ("json", "application/json; charset=utf-8"),
    "data.csv": ("csv", "text/csv; charset=utf-8"),
}


def _is_auditor(user):
    return user.is_authenticated and (
        user.is_superuser or Membership.objects.filter(user=user, role=Role.AUDITOR).exists()
    )


# Anonymous public pages are cacheable: their ETag and Last-Modified come from the published
# versions they show (and the organisations' last change), so a browser or proxy revalidates with a
# 304, and the rendered page is kept in Django's cache under that ETag. Publishing a new version
# changes the ETag, which is the invalidation. Signed-in users (auditors see comment forms) are
# served fresh pages as before.
PUBLIC_CACHE_SECONDS = 300


@functools.lru_cache(maxsize=1)
def _release() -> str:
    """The templates and static file names this release renders with: a deploy changes the ETags."""
    digest = hashlib.sha256()
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        digest.update(path.read_bytes())
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not settings.DEBUG and manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


class _Published:
    """What a public page shows, in one query: the newest publication and version count in scope,
    and the last change to any organisation (a rename shows in the directory)."""

    def __init__(self, filters):
        history = Organisation.history.model.objects.order_by("-history_date").values("history_date")[:1]
        # MAX, not COUNT: on the whole country's 47,000 versions PostgreSQL reads both maxima from
        # their indexes instead of scanning every row; versions are only ever added, so the newest
        # id says what changed.
        found = PublishedVersion.objects.filter(**filters).aggregate(
            last=Max("published_at"), count=Max("id"), orgs=Max(Subquery(history))
        )
        self.count = found["count"]  # the newest id: None when nothing is published
        self.last_modified = max(t for t in (found["last"], found["orgs"]) if t) if found["last"] else None
        parts = [_release(), found["last"], found["count"], found["orgs"]]
        self.etag = '"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:40] + '"'


def public_cacheable(scope):
    """ETag/Last-Modified (Django's `condition`) and the cache framework for anonymous visitors."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated or request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            state = _Published(scope(**kwargs))
            if not state.count:
                return view(request, *args, **kwargs)  # nothing published: the page's own 404
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = f"public-page:{state.etag.strip(chr(34))}:{path}"

            def cached_view(request, *args, **kwargs):
                content = cache.get(key)
                if content is None:
                    response = view(request, *args, **kwargs)
                    if response.status_code != 200 or response.streaming:
                        return response
                    cache.set(key, response.content, PUBLIC_CACHE_SECONDS)
                else:
                    response = HttpResponse(content, content_type="text/html; charset=utf-8")
                response["Cache-Control"] = "public, no-cache"  # keep it, but ask (ETag) before use
                return response

            conditional = condition(
                etag_func=lambda *a, **k: state.etag, last_modified_func=lambda *a, **k: state.last_modified
            )
            return conditional(cached_view)(request, *args, **kwargs)

        return wrapped

    return decorator


@public_cacheable(lambda: {})
def directory(request):
    """Organisations that publish: filtered, sorted in Thai order and paged by the database, so
    the page costs the same few queries for 50 or 7,850 organisations."""
    published = Organisation.objects.filter(Exists(PublishedVersion.objects.filter(organisation=OuterRef("pk"))))
    provinces = thai_sorted(published.order_by().values_list("province", flat=True).distinct())
    q = request.GET.get("q", "").strip()[:100]
    province = request.GET.get("province", "")[:100]
    results = search(published, q, province).only("slug", "name", "org_type", "district", "province")
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "province": province,
        "provinces": provinces,
        "count": page.paginator.count,
    }
    return render(request, "public/directory.html", context)


@public_cacheable(lambda slug: {"organisation__slug": slug})
def organisation(request, slug):
    org = get_object_or_404(Organisation, slug=slug)
    versions = list(
        PublishedVersion.objects.filter(organisation=org)
        .latest_per_kind()
        .select_related("assessment__ita_year")
        .order_by("-assessment__ita_year__year", "kind")
    )
    if not versions:
        raise Http404("หน่วยงานนี้ยังไม่ได้เผยแพร่รายงาน")
    years = {}
    for v in versions:
        years.setdefault(v.fiscal_year, []).append(v)
    return render(request, "public/organisation.html", {"org": org, "years": years})


def _versions(slug, fy, kind):
    if kind not in Kind.values:
        raise Http404
    versions = list(
        PublishedVersion.objects.filter(organisation__slug=slug, assessment__ita_year__year=fy - 1, kind=kind)
        .select_related("organisation", "assessment__ita_year")
        .prefetch_related(Prefetch("comments", queryset=ReviewComment.objects.order_by("created_at")))
        .order_by("-number")
    )
    if not versions:
        raise Http404("ยังไม่ได้เผยแพร่")
    return versions


def _version_scope(slug, fy, kind, number=None):
    return {"organisation__slug": slug, "assessment__ita_year__year": fy - 1, "kind": kind}


@public_cacheable(_version_scope)
def version_page(request, slug, fy, kind, number=None):
    versions = _versions(slug, fy, kind)
    version = versions[0] if number is None else next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404
    context = {
        "version": version,
        "versions": versions,
        "is_latest": version.number == versions[0].number,
        "can_comment": _is_auditor(request.user),
        "kind_label": versions[0].kind_label,
    }
    return render(request, "public/version.html", context)


@xframe_options_sameorigin
def version_file(request, slug, fy, kind, number, filename):
    if filename not in FILES:
        raise Http404
    version = get_object_or_404(
        PublishedVersion.objects.select_related("organisation"),
        organisation__slug=slug,
        assessment__ita_year__year=fy - 1,
        kind=kind,
        number=number,
    )
    field, content_type = FILES[filename]
    stored = getattr(version, field)
    refused = _unverified(request, version, field, filename)
    if refused is not None:
        return refused
    response = FileResponse(stored.open("rb"), content_type=content_type)
    if field == "html":
        # The frozen page is shown in a frame; it may load its styles and fonts, never run a script.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; img-src 'self'"
        )
    else:
        response["Content-Disposition"] = f'attachment; filename="{stored.name.rsplit("/", 1)[-1]}"'
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _unverified(request, version, field, filename):
    """A Thai error page when the stored file is missing or differs from its SHA-256 at publication.

    Published files never change; a difference means tampering or a damaged disk, so the file is
    not served (and the event is logged) rather than handing out bytes nobody approved.
    """
    stored = getattr(version, field)
    expected = (version.sha256 or {}).get(field)
    try:
        actual = sha256_of(stored)
    except (OSError, ValueError):
        logger.error("published file missing: version %s %s (%s)", version.pk, filename, stored.name)
        title, detail, status = "ไม่พบไฟล์ของรายงานฉบับนี้", "ไฟล์ที่เผยแพร่ไว้หายไปจากที่เก็บ ระบบจึงส่งไฟล์นี้ให้ไม่ได้", 404
    else:
        if expected and actual == expected:
            return None
        logger.error(
            "published file fails its SHA-256 check: version %s %s (%s) expected %s got %s",
            version.pk, filename, stored.name, expected, actual,
        )  # fmt: skip
        title = "ไฟล์ของรายงานฉบับนี้ไม่ตรงกับที่เผยแพร่"
        detail = "ไฟล์ในที่เก็บไม่ตรงกับลายนิ้วมือ (SHA-256) ที่บันทึกไว้ตอนเผยแพร่ ระบบจึงไม่ส่งไฟล์นี้ให้"
        status = 409
    url = reverse("public_version", args=[version.organisation.slug, version.fiscal_year, version.kind, version.number])
    context = {"title": title, "detail": detail, "version_url": url}
    return render(request, "public/file_error.html", context, status=status)


@require_POST
def comment(request, slug, fy, kind, number):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    if not _is_auditor(request.user):
        raise PermissionDenied("เฉพาะผู้ตรวจประเมิน")
    version = get_object_or_404(
        PublishedVersion, organisation__slug=slug, assessment__ita_year__year=fy - 1, kind=kind, number=number
    )
    try:
        add_comment(version, request.user, request.POST.get("text", ""))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "บันทึกข้อคิดเห็นแล้ว หน่วยงานจะเห็นข้อคิดเห็นนี้ในหน้ารายงาน")
    return redirect("public_version", slug=slug, fy=fy, kind=kind, number=number)
