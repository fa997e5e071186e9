"""Benchmark: o35 report for an organisation-year of 20 measures × 4 steps.

python -m reports.bench [--measures 20] [--steps 4] [--runs 5]

Prints pages, seconds for our whole report (data + HTML + PDF), seconds for WeasyPrint
alone on the final HTML (fonts and CSS already loaded), their ratio, and peak memory.
Runs on an in-memory SQLite database of its own.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=20)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", stdout=open(os.devnull, "w"))

    from weasyprint import HTML

    from reports.data import ReportOptions, build
    from reports.render import pdf_resources, render_html, render_pdf
    from tests.factories import make_assessment, make_measure, make_org, make_progress, make_rounds

    org = make_org("bench", "องค์การบริหารส่วนตำบลทดสอบความเร็ว")
    assessment = make_assessment(org)
    rounds = make_rounds(assessment)
    long = "ดำเนินการประชุมชี้แจงแนวทางการปฏิบัติงานให้แก่ผู้รับผิดชอบทุกส่วนราชการ และเผยแพร่ผลบนเว็บไซต์ของหน่วยงาน"
    for i in range(args.measures):
        m = make_measure(assessment, steps=0, units=("สำนักปลัด", "กองคลัง"), issues=(i % 7 + 1,))
        for s in range(args.steps):
            m.steps.create(order=s + 1, text=f"ขั้นตอนที่ {s + 1} {long}")
        make_progress(m, rounds[1], status="done", output=f"<p>{long}</p>", outcome="<ul><li>ผลลัพธ์ที่ได้</li></ul>")

    opts = ReportOptions(round_id=rounds[1].id)
    font_config, css = pdf_resources()
    render_pdf(build("o35", assessment, opts))  # warm-up: fonts, CSS, templates

    whole, alone = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        report = build("o35", assessment, opts)
        html = render_html(report, for_pdf=True)
        from reports.render import html_to_pdf

        pdf = html_to_pdf(html)
        whole.append(time.perf_counter() - t)
        t = time.perf_counter()
        HTML(string=html, base_url=".").write_pdf(stylesheets=[css], font_config=font_config)
        alone.append(time.perf_counter() - t)

    tracemalloc.start()
    render_pdf(build("o35", assessment, opts))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        info = subprocess.run(["pdfinfo", fh.name], capture_output=True, text=True).stdout
    pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")

    w, a = statistics.median(whole), statistics.median(alone)
    print(f"o35 report: {args.measures} measures x {args.steps} steps, median of {args.runs} runs")
    print(f"pages:                      {pages}")
    print(f"whole report (s):           {w:.3f}")
    print(f"WeasyPrint alone (s):       {a:.3f}")
    print(f"ratio whole/WeasyPrint:     {w / a:.3f}")
    print(f"peak Python memory (MiB):   {peak / 2**20:.1f}")
    print(f"max RSS of process (MiB):   {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    print(f"PDF size (KiB):             {len(pdf) / 1024:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
