"""National-scale benchmark: every local organisation of the country, served as in production.

    python -m reports.bench_scale [--scale 1.0] [--db ita_bench] [--duration 10] [--keep-data]

1. Builds a PostgreSQL database (`--db`, dropped and created again unless --keep-data finds it
   filled) holding 7,850 × scale organisations with three fiscal years each. One organisation is
   made the slow, real way (seed_demo: results, analysis, measures with steps, progress for two
   rounds, OIT checklist, published versions with their files); every other organisation gets a
   copy of its years by INSERT … SELECT over generate_series, with the ids shifted, so that the
   country fits in minutes. Organisations have their own names, districts and provinces (76).
2. Starts gunicorn as docs/deploy.md says (DEBUG=False, 3 sync workers, persistent connections).
3. Drives each page with wrk (bounded: 2 threads, 6 connections, --duration seconds) and prints
   requests/s, p50, p95 and the SQL queries of one request (counted in-process).

Needs PostgreSQL (DATABASE_URL's server, default 127.0.0.1:5432), gunicorn and wrk.
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
COUNTRY = 7850
PROVINCES = (
    "กระบี่ กรุงเทพมหานคร กาญจนบุรี กาฬสินธุ์ กำแพงเพชร ขอนแก่น จันทบุรี ฉะเชิงเทรา ชลบุรี ชัยนาท ชัยภูมิ ชุมพร "
    "เชียงราย เชียงใหม่ ตรัง ตราด ตาก นครนายก นครปฐม นครพนม นครราชสีมา นครศรีธรรมราช นครสวรรค์ นนทบุรี "
    "นราธิวาส น่าน บึงกาฬ บุรีรัมย์ ปทุมธานี ประจวบคีรีขันธ์ ปราจีนบุรี ปัตตานี พระนครศรีอยุธยา พะเยา พังงา "
    "พัทลุง พิจิตร พิษณุโลก เพชรบุรี เพชรบูรณ์ แพร่ ภูเก็ต มหาสารคาม มุกดาหาร แม่ฮ่องสอน ยโสธร ยะลา ร้อยเอ็ด "
    "ระนอง ระยอง ราชบุรี ลพบุรี ลำปาง ลำพูน เลย ศรีสะเกษ สกลนคร สงขลา สตูล สมุทรปราการ สมุทรสงคราม "
    "สมุทรสาคร สระแก้ว สระบุรี สิงห์บุรี สุโขทัย สุพรรณบุรี สุราษฎร์ธานี สุรินทร์ หนองคาย หนองบัวลำภู อ่างทอง "
    "อุดรธานี อุตรดิตถ์ อุทัยธานี อุบลราชธานี อำนาจเจริญ"
).split()
SYLLABLES = (
    "ดอน แก้ว หนอง บัว โพธิ์ ทอง นา คำ สระ ตะเคียน บ้าน ใหม่ ห้วย ยาง กุด ชุม โนน สูง ศรี สว่าง "
    "ท่า ช้าง เขา น้อย วัง หิน ป่า แดง บึง พระ ทุ่ง หลวง นาง รอง ไผ่ งาม สำโรง เมือง จาน ขาม"
).split()
# (share of the country, type, name prefix): ~5,300 อบต., ~2,470 เทศบาล, 76 อบจ.
TYPES = [
    (0.675, "sao", "องค์การบริหารส่วนตำบล"),
    (0.29, "tambon_muni", "เทศบาลตำบล"),
    (0.022, "town_muni", "เทศบาลเมือง"),
    (0.003, "city_muni", "เทศบาลนคร"),
]


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


# ----------------------------------------------------------------------------------------- data


def _org_rows(count, template_slug):
    from assessments.models import Organisation
    from assessments.search import search_fields

    rng = random.Random(2569)
    rows, seen = [], {template_slug}
    for i in range(count):
        if i < len(PROVINCES):
            org_type, prefix, province = "pao", "องค์การบริหารส่วนจังหวัด", PROVINCES[i]
            own = province
        else:
            share = rng.random()
            org_type, prefix = next(((t, p) for s, t, p in _cumulative(TYPES) if share < s), TYPES[0][1:])
            own = "".join(rng.sample(SYLLABLES, rng.choice((2, 2, 3))))
            province = rng.choice(PROVINCES)
        slug = f"bench-{i:05d}"
        while slug in seen:
            slug += "x"
        seen.add(slug)
        org = Organisation(
            slug=slug,
            name=prefix + own,
            org_type=org_type,
            district="".join(rng.sample(SYLLABLES, 2)),
            province=province,
        )
        org.sort_key, org.search_name, org.search_text = search_fields(org)
        rows.append(org)
    return rows


def _cumulative(types):
    total, out = 0.0, []
    for share, t, p in types:
        total += share
        out.append((total / sum(s for s, _, _ in types), t, p))
    return out


def _cloned_models():
    """Per-organisation tables in parent-before-child order, with how to find the template's rows."""
    from assessments.models import Assessment, IndicatorScore, QuestionScore, Unit
    from measures.models import IssueAnalysis, Measure, MeasureStep, OitChecklistItem, Progress, ReportingRound
    from reports.models import PublishedVersion

    models = [Unit, Assessment, IndicatorScore, QuestionScore, IssueAnalysis, Measure]
    models += [f.remote_field.through for f in Measure._meta.many_to_many]
    models += [MeasureStep, ReportingRound, Progress, OitChecklistItem, PublishedVersion]
    return models


def _template_ids(model, org):
    from assessments.models import Assessment, Unit

    if model is Unit:
        return list(Unit.objects.filter(organisation=org).values_list("pk", flat=True))
    if model is Assessment:
        return list(Assessment.objects.filter(organisation=org).values_list("pk", flat=True))
    # Everything else hangs off an assessment or a measure: the bench database holds one
    # organisation before cloning, so all its rows are the template's.
    return list(model.objects.values_list("pk", flat=True))


def clone_country(template, org_ids):
    """Give every organisation in org_ids (consecutive) a copy of the template's years."""
    from django.db import connection

    from assessments.models import Organisation

    first_org, clones = org_ids[0], len(org_ids)
    assert org_ids == list(range(first_org, first_org + clones)), "organisation ids must be consecutive"
    shift = {}  # model -> (template min id, new base id, stride)
    total = 0
    with connection.cursor() as cursor:
        for model in _cloned_models():
            meta = model._meta
            ids = _template_ids(model, template)
            if not ids:
                continue
            low, high = min(ids), max(ids)
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{meta.db_table}"')
            base = cursor.fetchone()[0]
            shift[model] = (low, base, high - low + 1)
            columns, exprs = [], []
            for field in meta.concrete_fields:
                column = f'"{field.column}"'
                columns.append(column)
                target = field.related_model if field.is_relation else None
                if field.primary_key:
                    exprs.append(f"{base} + (k - 1) * {high - low + 1} + (t.id - {low})")
                elif target is Organisation:
                    exprs.append(f"{first_org} + (k - 1)")
                elif target in shift:
                    t_low, t_base, t_stride = shift[target]
                    moved = f"{t_base} + (k - 1) * {t_stride} + (t.{column} - {t_low})"
                    exprs.append(f"CASE WHEN t.{column} IS NULL THEN NULL ELSE {moved} END")
                else:
                    exprs.append(f"t.{column}")
            step = max(1, 400_000 // len(ids))
            for start in range(1, clones + 1, step):
                stop = min(clones, start + step - 1)
                cursor.execute(
                    f'INSERT INTO "{meta.db_table}" ({", ".join(columns)}) '
                    f'SELECT {", ".join(exprs)} FROM "{meta.db_table}" t, generate_series({start}, {stop}) k '
                    f"WHERE t.id = ANY(%s)",
                    [ids],
                )
            added = len(ids) * clones
            total += added
            table = f'"{meta.db_table}"'
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
            log(f"  {meta.db_table}: {len(ids)} rows × {clones:,} = {added:,}")
    return total


def generate(scale):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from assessments.models import Membership, Organisation, Role

    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("load_catalogue", stdout=open(os.devnull, "w"))
    log("catalogue loaded; seed_demo (the template organisation, published the real way)…")
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    template = Organisation.objects.get(slug="don-kaeo")
    count = max(1, round(COUNTRY * scale)) - 1
    orgs = Organisation.objects.bulk_create(_org_rows(count, template.slug), batch_size=2000)
    org_ids = sorted(o.pk for o in orgs)
    log(f"{len(orgs) + 1:,} organisations; cloning the template's three years to each…")
    rows = clone_country(template, org_ids)
    # A staff member and a manager for a cloned organisation (sessions are made for them below).
    User = get_user_model()
    clone = Organisation.objects.get(pk=org_ids[len(org_ids) // 2])
    for name, role in (("bench_staff", Role.STAFF), ("bench_manager", Role.MANAGER)):
        user = User.objects.create_user(name, password=None)
        Membership.objects.create(user=user, organisation=clone, role=role)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    log(f"generated {rows:,} cloned rows, database {size / 2**30:.2f} GiB, in {time.monotonic() - t0:.0f} s")


def _filled():
    from django.db import connection
    from django.db.utils import DatabaseError

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM assessments_organisation")
            return cursor.fetchone()[0] > 1
    except DatabaseError:
        return False


# ----------------------------------------------------------------------------------------- load


def _session_cookie(username):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def pages():
    """(label, path, who) for the pages of the issue's table, on a cloned organisation."""
    from django.urls import reverse

    from assessments.models import Membership
    from measures.models import ReportingRound
    from reports.models import PublishedVersion

    org = Membership.objects.get(user__username="bench_staff").organisation
    version = PublishedVersion.objects.filter(organisation=org, kind="o35").order_by("-assessment__ita_year__year")[0]
    fy = version.fiscal_year
    current = org.assessments.order_by("-ita_year__year")[0]
    cfy = current.fiscal_year
    rounds = ReportingRound.objects.filter(assessment=current).order_by("as_of")
    s = org.slug
    public_file = reverse("public_file", args=[s, fy, "o35", version.number, "report.pdf"])
    return [
        ("/public/ directory", reverse("public_directory"), None),
        (
            "/public/?q=อบต.สระ",
            reverse("public_directory") + "?" + urlencode({"q": "อบต.สระ"}),
            None,
        ),
        ("public organisation", reverse("public_org", args=[s]), None),
        ("public version", reverse("public_version", args=[s, fy, "o35", version.number]), None),
        ("published PDF", public_file, None),
        ("staff: year home", reverse("dashboard", args=[s, cfy]), "bench_staff"),
        ("staff: results", reverse("results", args=[s, cfy]), "bench_staff"),
        ("staff: analysis", reverse("analysis", args=[s, cfy]), "bench_staff"),
        ("staff: measures", reverse("measure_list", args=[s, cfy]), "bench_staff"),
        (
            "staff: progress",
            reverse("progress_round", args=[s, cfy, rounds[0].pk]),
            "bench_staff",
        ),
        ("staff: OIT checklist", reverse("checklist", args=[s, cfy]), "bench_staff"),
        ("manager: audit trail", reverse("audit_trail", args=[s, cfy]), "bench_manager"),
        ("manager: reports", reverse("report_index", args=[s, cfy]), "bench_manager"),
    ]


def count_queries(path, cookie):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    client.get(path, secure=True)  # warm: caches and the first connection are not counted
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return len(captured)


WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, 0))
end
"""


def drive(url, cookie, duration, lua):
    command = ["wrk", "-t2", "-c6", f"-d{duration}s", "--timeout", "10s", "-s", lua, url]
    command += ["-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)", out)
    requests, micros, p50, p95, errors = found.groups()
    return int(requests) / (int(micros) / 1e6), float(p50), float(p95), int(errors)


def _status(url, cookie):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url, headers={"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=30).status
    except urllib.error.HTTPError as exc:
        return exc.code


def serve(env, port):
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    command = [gunicorn, "ita_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"]
    command += ["--timeout", "120", "--log-level", "warning"]
    errors = open(Path(tempfile.gettempdir()) / "bench-gunicorn.log", "w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stderr=errors, stdout=errors)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the 7,850 organisations (0.1 = 785)")
    parser.add_argument("--db", default="ita_bench", help="PostgreSQL database to (re)create")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--keep-data", action="store_true", help="reuse the database if it is already filled")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk; `make bench-scale` does it)")

    server = urlparse(os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres"))
    database_url = server._replace(path=f"/{args.db}").geturl()
    media = Path(tempfile.gettempdir()) / f"{args.db}-media"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "ita_portal.settings",
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": "bench-" + "k" * 50,  # the same for this process (sessions) and gunicorn
    }
    os.environ.update(env)
    import django

    django.setup()
    if not (args.keep_data and _filled()):
        import psycopg2

        admin = psycopg2.connect(server._replace(path="/postgres").geturl())
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{args.db}"')
        admin.close()
        shutil.rmtree(media, ignore_errors=True)
        generate(args.scale)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM assessments_organisation")
        orgs = cursor.fetchone()[0]
        cursor.execute(
            "SELECT SUM(n_live_tup) FROM pg_stat_user_tables"  # close enough after ANALYZE
        )
        rows = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    cookies = {who: _session_cookie(who) for who in ("bench_staff", "bench_manager")}
    plan = pages()
    queries = {path: count_queries(path, cookies.get(who)) for _, path, who in plan}

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DEBUG": "False"},
        check=True,
    )
    prod = {
        **env,
        "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",  # wrk speaks plain HTTP to gunicorn, as a proxy would
        "SECURE_PROXY_SSL_HEADER": "True",
        "LOG_LEVEL": "WARNING",
    }
    process = serve(prod, args.port)
    lua = Path(tempfile.mkstemp(suffix=".lua")[1])
    lua.write_text(WRK_LUA)
    try:
        print()
        print(
            f"{orgs:,} organisations, {int(rows or 0):,} rows, {size / 2**30:.2f} GiB; gunicorn 3 sync workers, "
            f"wrk 2 threads × 6 connections × {args.duration} s per page, DEBUG=False"
        )
        print(f"{'page':<24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'errors':>7}")
        for label, path, who in plan:
            url = f"http://127.0.0.1:{args.port}{path}"
            status = _status(url, cookies.get(who))
            if status != 200:
                raise SystemExit(f"{label}: gunicorn answered HTTP {status} for {path}")
            drive(url, cookies.get(who), 1, lua)  # warm every worker (caches, connections)
            rps, p50, p95, errors = drive(f"http://127.0.0.1:{args.port}{path}", cookies.get(who), args.duration, lua)
            print(f"{label:<24} {rps:8.1f} {p50:8.1f} {p95:8.1f} {queries[path]:8d} {errors:7d}", flush=True)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        lua.unlink()


if __name__ == "__main__":
    main()
