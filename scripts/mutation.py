"""Mutation testing of the rule modules (`make mutation`), with a score per module.

Runs mutmut (configured in pyproject.toml, [tool.mutmut]) and prints, for each rule module, how
many mutants the tests killed. A mutant that survives is a change to the rules that no test
notices: kill it with a test, or explain it as equivalent in docs/mutation.md. Exits non-zero when
a module scores under --min (default 90 %). Not part of `make test`: a full run takes hours.

    python scripts/mutation.py [--max-children 1] [--min 90] [--report-only]
"""

import argparse
import collections
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("assessments.services", "measures.services", "measures.dossier", "reports.data")
LINE = re.compile(r"^\s*(?P<name>[\w.]+)\.x.*__mutmut_\d+: (?P<status>.+)$")


def results() -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    counts = collections.defaultdict(collections.Counter)
    for line in out.splitlines():
        match = LINE.match(line)
        if match:
            counts[match["name"]][match["status"].strip()] += 1
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # One child: the children share one kept test database (TEST_DB_FILE), which beats more
    # children that each build a new one.
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument("--min", type=float, default=90.0)
    parser.add_argument("--report-only", action="store_true", help="summarise the last run without running")
    args = parser.parse_args()
    env = os.environ | {
        # mutmut runs the suite from mutants/: fonts and front-end files stay where `make setup` put them
        "NODE_MODULES": str(ROOT / "node_modules"),
        "FONT_DIR": str(ROOT / "node_modules" / "font-th-sarabun-new" / "fonts"),
        "TEST_DB_FILE": str(ROOT / "mutants" / "test-db.sqlite3"),
    }
    if not args.report_only:
        # Tests that find the fonts and readers beside the code (node_modules/, .test-fonts/) find them in mutants/ too
        (ROOT / "mutants").mkdir(exist_ok=True)
        for name in ("node_modules", ".test-fonts"):
            link = ROOT / "mutants" / name
            if not link.exists() and (ROOT / name).exists():
                link.symlink_to(ROOT / name)
        subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)], cwd=ROOT, env=env
        )
    counts = results()
    failing = []
    print(f"\n{'module':<24} {'mutants':>8} {'killed':>7} {'survived':>9} {'other':>6} {'score':>7}")
    for module in MODULES:
        c = counts.get(module, collections.Counter())
        total = sum(c.values())
        killed = c["killed"] + c["timeout"]  # a mutant that makes the tests hang is caught too
        survived = c["survived"] + c["no tests"]
        other = total - killed - survived
        checked = killed + survived
        score = 100.0 * killed / checked if checked else 0.0
        print(f"{module:<24} {total:>8} {killed:>7} {survived:>9} {other:>6} {score:>6.1f}%")
        if score < args.min:
            failing.append(module)
    print("\nsurvivors: python -m mutmut results; one mutant: python -m mutmut show <name>")
    sys.exit(1 if failing else 0)


if __name__ == "__main__":
    main()
