"""Server time of each staff page at 3 and 160 measures (issue #29), in-process and without a server.

    .venv/bin/python scripts/bench_pages.py [--repeat 5]

Builds a throw-away test database (the project's settings, SQLite unless DATABASE_URL says otherwise)
with the catalogue and one organisation, then asks every staff page with the Django test client and
prints, per page and size, the queries of one request, the median CPU time of the Python process
(time.process_time: views, templates, ORM) and the median SQL time the database driver reports.
The organisation grows from 3 to 160 measures × 4 steps, with results per measure and step in two
rounds and a history record for each row (so the audit trail has a year's worth to page through).
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Not setup_test_environment(): its instrumented template rendering copies the context for every
    # template and widget rendered, which would be measured as if production paid for it.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_catalogue", verbosity=0, stdout=io.StringIO())
        from assessments.models import Question, Role
        from measures.models import Measure, MeasureStep, OitChecklistItem, Progress, StepProgress
        from tests.factories import make_assessment, make_org, make_rounds, make_user
        from tests.measures.test_query_bounds_scale import _add_measures, _pages

        org = make_org("bench-org", "องค์การบริหารส่วนตำบลทดสอบความเร็ว")
        assessment = make_assessment(org)
        manager = make_user(Role.MANAGER, org, "bench_manager")
        rounds = make_rounds(assessment)
        OitChecklistItem.objects.bulk_create(
            OitChecklistItem(assessment=assessment, question=q, unit=org.units.first(), status="done")
            for q in Question.objects.filter(ita_year=assessment.ita_year, instrument="OIT")
        )
        client = Client()
        client.force_login(manager)
        results = {}
        done = 0
        for size in (3, 160):
            _add_measures(assessment, rounds, done + 1, size - done)
            done = size
            for model, rows in (
                (Measure, Measure.objects.filter(assessment=assessment)),
                (MeasureStep, MeasureStep.objects.filter(measure__assessment=assessment)),
                (Progress, Progress.objects.filter(measure__assessment=assessment)),
                (StepProgress, StepProgress.objects.filter(step__measure__assessment=assessment)),
            ):
                model.history.filter(id__in=rows.values("id")).delete()
                model.history.bulk_history_create(list(rows))
            for url in _pages(assessment, rounds):
                client.get(url)  # warm: template and URL caches
                cpu, sql = [], []
                for _ in range(args.repeat):
                    with CaptureQueriesContext(connection) as captured:
                        start = time.process_time()
                        response = client.get(url)
                        cpu.append(time.process_time() - start)
                    assert response.status_code == 200, url
                    sql.append(sum(float(q["time"]) for q in captured))
                results[(url, size)] = (len(captured), statistics.median(cpu) * 1000, statistics.median(sql) * 1000)
        print(f"{'page':58} {'measures':>8} {'queries':>8} {'CPU ms':>8} {'SQL ms':>8}")
        for (url, size), (queries, cpu, sql) in results.items():
            print(f"{url:58} {size:8} {queries:8} {cpu:8.0f} {sql:8.0f}")
    finally:
        connection.creation.destroy_test_db(":memory:", verbosity=0)


if __name__ == "__main__":
    main()
