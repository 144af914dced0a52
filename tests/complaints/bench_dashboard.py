"""Timing of /staff/complaints/ at 2,000 and 20,000 open complaints (run by hand:
``.venv/bin/pytest -q -s tests/complaints/bench_dashboard.py``; not collected by the suite)."""

from __future__ import annotations

import statistics
import time
from io import StringIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import demo as complaints_demo
from hubops.management.commands.load_demo import DEMO_PASSWORD, Command

pytestmark = pytest.mark.django_db
STAFF = "maths-hub-lead@demo.hub.example"
URLS = ["/staff/complaints/", "/staff/complaints/?show=open&page=7", "/staff/complaints/?show=week"]


def _quiet(label, done, total):
    """Progress bar, silenced."""


def test_time_dashboard(settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    command = Command(stdout=StringIO(), stderr=StringIO())
    hub = command.load_hub()
    today = timezone.localdate()
    command.load_calendar(today)
    command.load_accounts(hub)
    client = Client()
    assert client.login(email=STAFF, password=DEMO_PASSWORD)
    for size in (2000, 20000):
        complaints_demo.load_large(hub=hub, today=today, progress=_quiet, count=size)
        for url in URLS:
            times, queries = [], 0
            for _ in range(6):
                cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - start)
                assert response.status_code == 200
                queries = len(captured.captured_queries)
                slow = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:4]
            print(
                f"\nBENCH {size} {url}: median {statistics.median(times[1:]) * 1000:.0f} ms "
                f"({queries} queries)"
            )
            if size == 20000:
                for q in slow:
                    print(f"   {float(q['time']) * 1000:.0f} ms  {q['sql'][:300]}")
