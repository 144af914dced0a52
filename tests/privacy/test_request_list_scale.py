"""/staff/privacy/ at a large hub (issue #14): one page of 50, the overdue and due-soon lists
filtered in SQL on the indexed due columns, and the same number of queries at 40 requests as
at 400."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from privacy import demo
from privacy.models import DataRequest
from tests.conftest import _page_queries

pytestmark = pytest.mark.django_db

URLS = [
    "/staff/privacy/",
    "/staff/privacy/?show=overdue",
    "/staff/privacy/?show=due_soon",
    "/staff/privacy/?show=all&page=2",
]


def _grow(monkeypatch, n: int) -> None:
    monkeypatch.setattr(demo, "LARGE_REQUESTS", n)
    monkeypatch.setattr(demo, "LARGE_BREACHES", 1)
    demo.load_large(hub=None, today=timezone.localdate(), progress=lambda *a: None)


def _queries(client, url) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return _page_queries(captured.captured_queries), response.content.decode()


def test_the_request_list_costs_the_same_at_ten_times_the_size(dpo_client, monkeypatch):
    _grow(monkeypatch, 40)
    small = {url: len(_queries(dpo_client, url)[0]) for url in URLS}
    _grow(monkeypatch, 400)
    large = {url: len(_queries(dpo_client, url)[0]) for url in URLS}
    assert large == small
    assert max(small.values()) <= 15


def test_overdue_is_chosen_in_sql_and_one_page_is_read(dpo_client, monkeypatch):
    _grow(monkeypatch, 400)
    today = timezone.localdate()
    overdue = [
        r for r in DataRequest.objects.filter(closed_on__isnull=True) if r.effective_due_on < today
    ]
    queries, page = _queries(dpo_client, "/staff/privacy/?show=overdue")
    assert f"Overdue ({len(overdue)})" in page
    assert page.count("/staff/privacy/requests/") <= 50 + 5  # one page, not every row
    rows = [q for q in queries if 'FROM "privacy_datarequest"' in q and "LIMIT" in q]
    assert rows, queries
    assert re.search(r'"due_on" < ', rows[0]) and re.search(r'"extended_to" < ', rows[0])
    # The page shows the soonest first: the first row is the most overdue.
    first = min(overdue, key=lambda r: (r.due_on, r.pk))
    assert page.index(first.reference) < page.index("</tbody>")
