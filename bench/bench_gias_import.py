#!/usr/bin/env python3
"""Benchmark: import a full-size GIAS extract (52,000 rows) with hubops's importer.

Generates the file with bench/make_gias_csv.py, then times, in one run:
- the baseline: decoding the bytes and reading every row with the csv module (the floor any
  importer pays);
- the first import into an empty School table;
- the re-import of the same file (every school unchanged).
Each is run several times; the script prints the median seconds, rows per second and the ratio
against the baseline. SQLite in a temporary folder by default; DATABASE_URL selects another
database (its School table is emptied between runs).

    .venv/bin/python bench/bench_gias_import.py [--rows 52000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "bench" / "make_gias_csv.py"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=52000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hubops-bench-gias-"))
    csv_path = tmp / "edubasealldata.csv"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(csv_path), "--rows", str(args.rows)], check=True
    )
    os.environ.setdefault("HUBOPS_DATA_DIR", str(tmp / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubops.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hubops.gias import decode, import_bytes
    from hubops.models import School

    call_command("migrate", verbosity=0)
    data = csv_path.read_bytes()

    def baseline() -> None:
        for _row in csv.DictReader(io.StringIO(decode(data), newline="")):
            pass

    def empty() -> None:
        School.objects.all().delete()

    base, first, again = [], [], []
    for _ in range(args.runs):
        base.append(timed(baseline))
        empty()
        first.append(timed(lambda: import_bytes(data)))
        again.append(timed(lambda: import_bytes(data)))
    result = import_bytes(data)
    schools = result.unchanged

    print(f"database: {connection.vendor}; file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB;")
    print(f"{schools:,} schools stored, {sum(result.skipped.values()):,} non-schools skipped")
    print(f"median of {args.runs} runs:")
    b = statistics.median(base)
    for label, runs in (
        ("baseline: decode + csv parse", base),
        ("first import", first),
        ("re-import (no changes)", again),
    ):
        m = statistics.median(runs)
        print(f"  {label:<30} {m:6.2f} s  {args.rows / m:9,.0f} rows/s  {m / b:5.1f}x baseline")
    limit = 10 if connection.vendor == "sqlite" else 20
    worst = max(statistics.median(first), statistics.median(again))
    print(
        f"target: under {limit} s per import on {connection.vendor}: "
        f"{'met' if worst < limit else 'NOT met'} ({worst:.2f} s)"
    )


if __name__ == "__main__":
    main()
