#!/usr/bin/env python3
"""Benchmark: render a 60-page annual report to PDF.

Builds, in a throwaway SQLite database, a hub year with 400 Work Groups (about 2,000
registrations), drafts the annual report from those records and fills its narrative sections
as staff would (the bulk of the pages), then times, in one run:

- the baseline: WeasyPrint laying out a plain document of the same page count (headings,
  paragraphs, small tables and SVG charts, no stylesheet of ours);
- hubops rendering the annual report (cover, contents with page numbers, running headers and
  footers, tables with repeated header rows, SVG charts, PDF tags).

Each is run several times; the script prints the median seconds, pages per second and the
ratio of the report against the baseline.

    .venv/bin/python bench/bench_reports.py [--runs 3] [--groups 400]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PARAGRAPH = (
    "Teachers from the partnership's schools met in Work Groups through the year to develop "
    "their teaching of number, fractions and reasoning. Leads gathered evidence of changes in "
    "classroom practice and of pupils' fluency, and shared it with the hub's leadership team. "
)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def count_pages(pdf: bytes) -> int:
    """Pages in a PDF, read by poppler's pdfinfo (installed by make test)."""
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    return int(re.search(rb"Pages:\s+(\d+)", out).group(1))


def plain_document(pages: int) -> str:
    """About ``pages`` A4 pages of headings, paragraphs, small tables and SVG charts."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="440" height="60">'
        '<rect x="100" y="5" width="200" height="14" fill="#0e4d5b"/>'
        '<rect x="100" y="30" width="150" height="14" fill="#0e4d5b"/></svg>'
    )
    parts = ["<html><body>"]
    for i in range(pages):
        parts.append(f"<h2>Section {i + 1}</h2>")
        parts += [f"<p>{PARAGRAPH * 3}</p>" for _ in range(3)]
        parts.append(
            "<table><thead><tr><th>Measure</th><th>Figure</th></tr></thead><tbody>"
            + "".join(f"<tr><td>Row {r}</td><td>{r * 7}</td></tr>" for r in range(6))
            + "</tbody></table>"
        )
        parts.append(svg)
    parts.append("</body></html>")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--groups", type=int, default=400)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hubops-bench-reports-"))
    os.environ["HUBOPS_DATA_DIR"] = str(tmp / "var")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubops.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from weasyprint import HTML

    call_command("migrate", verbosity=0)
    from governance.models import ReportKind
    from hubops.models import AcademicYear, Hub, School
    from reports import services
    from reports.assemble import NARRATIVE
    from workgroups.models import (
        GroupStatus,
        Project,
        ProjectKind,
        Registration,
        RegStatus,
        WorkGroup,
    )

    Hub.objects.create(name="Benchmark Maths Hub (fictional)", code="ZZ9")
    year = AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )
    schools = School.objects.bulk_create(
        School(urn=800000 + i, name=f"Fictional School {i}", la_code="307", la_name="Ealing")
        for i in range(600)
    )
    projects = [
        Project.objects.create(
            code=f"NCP 25-{p:02d}",
            title=f"Fictional project {p}",
            kind=ProjectKind.NCP,
            academic_year=year,
        )
        for p in range(40)
    ]
    groups = WorkGroup.objects.bulk_create(
        WorkGroup(
            code=f"WG-{g:04d}",
            title=f"Fictional group {g}",
            project=projects[g % 40],
            capacity_schools=8,
            status=GroupStatus.RUNNING,
        )
        for g in range(args.groups)
    )
    Registration.objects.bulk_create(
        Registration(
            reference=f"B{g:04d}{r}",
            work_group=group,
            school=schools[(g * 5 + r) % 600],
            full_name=f"Teacher Fictional{g}-{r}",
            role_at_school="Teacher",
            status=RegStatus.CONFIRMED if r < 4 else RegStatus.COMPLETED,
        )
        for g, group in enumerate(groups)
        for r in range(5)
    )
    report = services.create_report(kind=ReportKind.ANNUAL, year=year, actor=None)
    report.narrative = {
        key: "\n\n".join(PARAGRAPH * 3 for _ in range(88)) for key, _ in NARRATIVE[report.kind]
    }
    report.save()

    pdf = services.render_report(report)
    pages = count_pages(pdf)
    plain_html = plain_document(pages)
    plain_pages = count_pages(HTML(string=plain_html).write_pdf())
    base, ours = [], []
    for _ in range(args.runs):
        base.append(timed(lambda: HTML(string=plain_html).write_pdf())[0])
        ours.append(timed(lambda: services.render_report(report))[0])
    b, o = statistics.median(base), statistics.median(ours)
    print(f"annual report: {pages} pages, {args.groups} Work Groups, {args.runs} runs (median)")
    print(
        f"baseline plain document ({plain_pages} pages): {b:.2f} s, {plain_pages / b:.1f} pages/s"
    )
    print(f"hubops annual report    ({pages} pages): {o:.2f} s, {pages / o:.1f} pages/s")
    print(f"ratio report / baseline: {o / b:.2f}")


if __name__ == "__main__":
    main()
