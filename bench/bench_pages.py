"""Benchmark: the pages of the large demo hub under load, beside a trivial page in the same run.

    .venv/bin/python bench/bench_pages.py [--seconds 5] [--rounds 3] [--connections 20]
        [--only NAME]

gunicorn with 2 workers serves the project with DEBUG off; the load generator is wrk when it is
installed (``apt-get install -y wrk``), else Python threads (see bench/README.md). In each
round every page is measured right after the trivial page (a Django view that returns "ok"
through every middleware), and its share is its throughput over that trivial page's: a
machine whose speed drifts during the run (other work on shared cores) moves both halves of a
pair alike. The figures printed are the medians over the rounds, with the aim beside them:
the share of the trivial page's throughput, and the 99th-percentile latency.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as bench  # noqa: E402

FILTERS = [
    {},
    {"phase": "primary"},
    {"phase": "secondary"},
    {"phase": "early_years"},
    {"format": "online"},
    {"format": "in_person", "phase": "primary"},
    {"project": "NCP DEMO-L2"},
    {"project": "INN DEMO-L4", "open": "on"},
    {"la": "307"},
    {"la": "304", "phase": "primary"},
    {"open": "on"},
    {"page": "2"},
    {"page": "5"},
    {"phase": "primary", "page": "2"},
    {"format": "hybrid", "open": "on"},
    {"la": "313", "format": "online"},
]
CATALOGUE = ["/workgroups/" + (f"?{urlencode(f)}" if f else "") for f in FILTERS]
DETAILS = [f"/workgroups/WG-L{n:03d}/" for n in range(1, 280, 7)]
STAFF_GROUPS = ["/staff/workgroups/"] + [f"/staff/workgroups/?page={n}" for n in (2, 3, 6)]

# (name, paths, who, aim as a share of the trivial page's requests/s)
PAGES = [
    ("catalogue, anonymous, 16 filter URLs", CATALOGUE, "", 0.8),
    ("catalogue, signed-in teacher", CATALOGUE, "teacher", 0.5),
    ("group detail, anonymous, 40 groups", DETAILS, "", 0.8),
    ("group detail, signed-in teacher", DETAILS, "teacher", 0.5),
    ("/staff/workgroups/ (MHL)", STAFF_GROUPS, "staff", 0.3),
    ("/staff/workgroups/ (Work Group Lead)", ["/staff/workgroups/"], "lead", 0.3),
    ("/staff/complaints/ (MHL, 2,000 open)", ["/staff/complaints/"], "staff", 0.3),
    ("/staff/privacy/ (500 requests)", ["/staff/privacy/"], "staff", 0.3),
    ("/staff/privacy/breaches/", ["/staff/privacy/breaches/"], "staff", 0.3),
    # Last: at about 100 ms a request, its backlog would slow the page measured after it.
    ("/staff/ home (MHL, ~3,000 items due)", ["/staff/"], "staff", 0.3),
]
P99_AIM_MS = 100.0
TEACHER_SESSIONS = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument(
        "--only",
        default="",
        help="measure only the pages whose name contains this (and the trivial page)",
    )
    args = parser.parse_args()
    pages = [page for page in PAGES if args.only in page[0]]

    env = bench.environment()
    bench.setup_django(env)
    from workgroups.models import Registration

    if Registration.objects.count() < 20000:
        sys.exit("Load the large demo first: manage.py load_demo --size large")
    # Teachers in 200 sessions of their own, taken in turn: what each process learns of one
    # session must not be what makes a signed-in page fast.
    teachers = [bench.session_cookie("teacher@demo.hub.example") for _ in range(TEACHER_SESSIONS)]
    cookies = {
        "": "",
        "teacher": teachers,
        "staff": bench.session_cookie("maths-hub-lead@demo.hub.example"),
        "lead": bench.session_cookie("work-group-lead@demo.hub.example"),
    }
    print(f"Load generator: {bench.generator_name()}; {args.connections} connections, ")
    print(f"{args.rounds} rounds of {args.seconds} s per page; gunicorn, 2 workers, DEBUG off.")
    results: dict[str, list[dict]] = {name: [] for name, *_ in pages}
    trivial: list[dict] = []
    sized: list[dict] = []
    loads = [os.getloadavg()[0]]
    with bench.gunicorn(env) as base:
        for _name, paths, who, _aim in pages:  # every URL answers, and warm the caches
            for path in paths:
                cookie = cookies[who]
                status, _ = bench.get(base, path, cookie[0] if isinstance(cookie, list) else cookie)
                if status != 200:
                    sys.exit(f"{path} as {who or 'anonymous'} answered {status}")
        for n in range(args.rounds):
            sized.append(bench.load(base, ["/bench-trivial-35k/"], **_kw(args)))
            for name, paths, who, _aim in pages:
                # The pair: the trivial page, then this page at once.
                before = bench.load(base, ["/bench-trivial/"], **_kw(args))
                trivial.append(before)
                row = bench.load(base, paths, cookie=cookies[who], **_kw(args))
                row["share"] = row["rps"] / before["rps"] if before["rps"] else 0.0
                row["cpu_share"] = before["cpu_ms"] / row["cpu_ms"] if row["cpu_ms"] else 0.0
                results[name].append(row)
                loads.append(os.getloadavg()[0])
                _settle(base)
            print(f"round {n + 1} done; 1-minute load average {loads[-1]:.2f}", flush=True)
    base_rps = statistics.median(r["rps"] for r in trivial)
    base_cpu = _med(trivial, "cpu_ms")
    sized_rps = statistics.median(r["rps"] for r in sized)
    print()
    print(
        f"{'page':<40} {'req/s':>8} {'share':>6} {'aim':>6} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms':>7} {'CPU share':>9} {'vs 35 KB':>8}  ok?"
    )
    print(
        f"{'trivial page':<40} {base_rps:>8.1f} {1:>6.2f} {'':>6} "
        f"{_med(trivial, 'p50'):>7.1f} {_med(trivial, 'p99'):>7.1f} {base_cpu:>7.2f} {1:>9.2f}"
    )
    print(
        f"{'trivial page, 35 KB (reference)':<40} {sized_rps:>8.1f} {sized_rps / base_rps:>6.2f} "
        f"{'':>6} {_med(sized, 'p50'):>7.1f} {_med(sized, 'p99'):>7.1f} "
        f"{_med(sized, 'cpu_ms'):>7.2f} {base_cpu / _med(sized, 'cpu_ms'):>9.2f} {1:>8.2f}"
    )
    failed = 0
    for name, _paths, _who, aim in pages:
        rows = results[name]
        rps = statistics.median(r["rps"] for r in rows)
        share = _med(rows, "share")
        p99 = _med(rows, "p99")
        cpu = _med(rows, "cpu_ms")
        errors = sum(r["errors"] for r in rows)
        ok = share >= aim and p99 <= P99_AIM_MS and not errors
        failed += not ok
        note = "yes" if ok else "NO"
        if errors:
            note += f" ({errors} errors)"
        print(
            f"{name:<40} {rps:>8.1f} {share:>6.2f} {aim:>6.2f} {_med(rows, 'p50'):>7.1f} "
            f"{p99:>7.1f} {cpu:>7.2f} {_med(rows, 'cpu_share'):>9.2f} "
            f"{rps / sized_rps if sized_rps else 0.0:>8.2f}  {note}"
        )
    print(
        "\nshare: the median over the rounds of the page's throughput over the trivial page's "
        "measured just before it (CPU share likewise); the trivial page's row is the median of "
        "all its runs."
    )
    print(
        f"Aims: the share of the trivial page's throughput shown, and p99 under "
        f"{P99_AIM_MS:.0f} ms at {args.connections} connections. {failed} missed."
    )
    # The machine's other work takes CPU from the server and the load generator alike: the
    # shares stay comparable, the latencies do not. Quote the figures with this line.
    print(
        f"1-minute load average during the run (on {os.cpu_count()} CPUs): "
        f"min {min(loads):.2f}, median {statistics.median(loads):.2f}, max {max(loads):.2f}"
    )
    print(
        "CPU ms: CPU time per request of the gunicorn workers and their PostgreSQL backends "
        "(not Redis's, nor the load generator's), which the machine's other work changes "
        "little; CPU share: the trivial page's CPU ms over the page's. vs 35 KB: the page's "
        "throughput over that of a trivial page answering as many bytes as a catalogue page "
        "(a reference only: the aims are against the trivial page)."
    )


def _settle(base: str) -> None:
    """Wait until the workers have answered what the load generator left queued (a slow page
    leaves up to a request per connection), so the next page is measured on idle workers."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        began = time.perf_counter()
        bench.get(base, "/bench-trivial/")
        if time.perf_counter() - began < 0.02:
            return
        time.sleep(0.2)


def _kw(args) -> dict:
    return {"seconds": args.seconds, "connections": args.connections}


def _med(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


if __name__ == "__main__":
    main()
