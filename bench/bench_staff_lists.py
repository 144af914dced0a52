"""Benchmark: the staff complaints dashboard in process at 200 and at 20,000 open complaints.

    .venv/bin/python bench/bench_staff_lists.py [--rounds 5]

It builds a scratch copy of the database (``test_`` + the configured name, dropped at the end,
so the large demo is left alone), loads the demo accounts, then 200 open complaints, and later
grows them to 20,000. At each size, for each URL, it times the page through Django's test client
(in process: no HTTP, no other load) as built from the database ("built": every copy retired
first) and as served again to the same viewer ("kept": ``hubops.page_cache``), and prints the
medians with the SQL statement count and the rows the list shows, beside the aims: built
under 100 ms at 20,000, and 20,000 no slower than 200 (ratio, aim 1.2 at most). Needs
PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as bench  # noqa: E402

URLS = ["/staff/complaints/", "/staff/complaints/?show=open&page=3", "/staff/complaints/?show=week"]
STAFF = "maths-hub-lead@demo.hub.example"
SIZES = (200, 20_000)
BUILT_AIM_MS = 100.0
RATIO_AIM = 1.2


def timed(client, url: str, rounds: int, *, built: bool) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hubops import page_cache

    times, queries = [], 0
    for _ in range(rounds + 1):  # the first round warms the connection and templates
        if built:
            page_cache.bump("complaints")
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    # The rows of the list asked for (the register below it always shows a full page).
    shown = len(response.context["rows"].object_list) if response.context else -1
    return statistics.median(times[1:]), queries, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    env = bench.environment()
    bench.setup_django(env)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.utils import timezone

    from complaints import demo as complaints_demo
    from hubops.management.commands.load_demo import DEMO_PASSWORD, Command

    setup_test_environment()
    # The scratch database's rows must not meet the large demo's in the shared cache: the same
    # account ids with other passwords would sign the demo's sessions out (the cache keeps an
    # account's copy under its id).
    cache_settings = {**settings.CACHES["default"], "KEY_PREFIX": "bench-staff-lists"}
    override_settings(CACHES={**settings.CACHES, "default": cache_settings}).enable()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        command = Command(stdout=StringIO(), stderr=StringIO())
        hub = command.load_hub()
        today = timezone.localdate()
        command.load_calendar(today)
        command.load_accounts(hub)
        client = Client()
        assert client.login(email=STAFF, password=DEMO_PASSWORD)
        figures: dict[tuple[int, str], dict[str, tuple[float, int, int]]] = {}
        for size in SIZES:
            complaints_demo.load_large(hub=hub, today=today, progress=lambda *a: None, count=size)
            with connection.cursor() as cursor:
                # As autovacuum does after a bulk load: statistics, and the visibility map that
                # lets the dashboard's counts read their index alone.
                cursor.execute("VACUUM ANALYZE")
            for url in URLS:
                figures[(size, url)] = {
                    "built": timed(client, url, args.rounds, built=True),
                    "kept": timed(client, url, args.rounds, built=False),
                }
        print(f"In process, median of {args.rounds} (database {name}, dropped at the end):")
        print(
            f"{'page':42} {'open':>7} {'rows':>5} {'built ms':>9} {'queries':>8} {'kept ms':>8} "
            f"{'queries':>8}"
        )
        for (size, url), f in figures.items():
            print(
                f"{url:42} {size:7,} {f['built'][2]:5} {f['built'][0]:9.1f} {f['built'][1]:8} "
                f"{f['kept'][0]:8.1f} {f['kept'][1]:8}"
            )
        print()
        for url in URLS:
            small = figures[(SIZES[0], url)]["built"][0]
            large = figures[(SIZES[1], url)]["built"][0]
            ratio = large / small
            ok = large < BUILT_AIM_MS and ratio <= RATIO_AIM
            print(
                f"{url:42} built at 20,000 {large:6.1f} ms (aim < {BUILT_AIM_MS:.0f}), "
                f"20,000 / 200 = {ratio:4.2f} (aim <= {RATIO_AIM})  {'ok' if ok else 'NO'}"
            )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
