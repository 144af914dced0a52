"""Every list page's query count is the same at a small hub and at a much larger one (the
large demo's loaders at a reduced scale), and the pages show counts and pages, not everything."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import demo as complaints_demo
from complaints.models import Complaint, Route, Status
from hubops import outbox
from hubops.management.commands.load_demo import DEMO_PASSWORD, Command, large_fictional_schools
from hubops.models import AuditEvent, School
from privacy import demo as privacy_demo
from tests.conftest import _page_queries
from workgroups import demo as workgroups_demo

pytestmark = pytest.mark.django_db

TEACHER = "teacher@demo.hub.example"
STAFF = "maths-hub-lead@demo.hub.example"
ADMIN = "admin@demo.hub.example"
PAGES = [
    (TEACHER, "/workgroups/"),
    (TEACHER, "/workgroups/?phase=primary&page=2"),
    (TEACHER, "/workgroups/WG-L001/"),
    (None, "/workgroups/WG-L001/"),
    (STAFF, "/staff/workgroups/"),
    (STAFF, "/staff/workgroups/?page=2"),
    (STAFF, "/staff/complaints/"),
    (STAFF, "/staff/complaints/?show=open&page=2"),
    (STAFF, "/staff/complaints/?show=week"),
    (STAFF, "/staff/privacy/"),
    (STAFF, "/staff/privacy/?show=overdue"),
    (STAFF, "/staff/privacy/?show=all&page=3"),
    (STAFF, "/staff/privacy/breaches/"),
    # The lists that live in the admin: registrations, the audit log, the outbox, and the
    # admin's own complaints, requests and breaches.
    (ADMIN, "/admin/workgroups/registration/"),
    (ADMIN, "/admin/hubops/auditevent/"),
    (ADMIN, "/admin/hubops/outgoingmessage/"),
    (ADMIN, "/admin/complaints/complaint/"),
    (ADMIN, "/admin/privacy/datarequest/"),
    (ADMIN, "/admin/privacy/breach/"),
]


def _progress(label, done, total):
    """load_demo's progress bar, silenced: these tests count queries, not bars."""


def grow(monkeypatch, *, groups: int, schools_per_group: int, complaints: int, requests: int):
    """The large demo's loaders at the scale given (idempotent: a bigger scale adds to it)."""
    today = timezone.localdate()
    monkeypatch.setattr(workgroups_demo, "LARGE_GROUPS", groups)
    monkeypatch.setattr(workgroups_demo, "LARGE_WITH_PARTICIPANTS", max(groups - 5, 1))
    monkeypatch.setattr(workgroups_demo, "LARGE_SCHOOLS_PER_GROUP", schools_per_group)
    monkeypatch.setattr(privacy_demo, "LARGE_REQUESTS", requests)
    monkeypatch.setattr(privacy_demo, "LARGE_BREACHES", max(requests // 5, 1))
    hub = Command().load_hub()
    workgroups_demo.load_large(hub=hub, today=today, progress=_progress)
    complaints_demo.load_large(hub=hub, today=today, progress=_progress, count=complaints)
    privacy_demo.load_large(hub=hub, today=today, progress=_progress)
    # Whatever today's date, one complaint the Maths Hub Lead handles is due this week: the
    # loader's clocks follow the school calendar, and on some dates (a Thursday in December,
    # say) none of a small hub's 30 falls between today and Sunday, so that list is empty and
    # skips its slice query.
    due_today = (
        Complaint.objects.filter(
            reference__startswith="CMP-L", status=Status.FORMAL, route=Route.MHL
        )
        .order_by("pk")
        .values("pk")[:1]
    )
    Complaint.objects.filter(pk__in=due_today).update(
        acknowledged_on=today, response_due_on=today, response_extended_to=None, responded_on=None
    )
    # The audit log and the outbox grow with everything else.
    AuditEvent.objects.bulk_create(
        AuditEvent(action="tests.scale", object_label=f"Row {n}") for n in range(complaints)
    )
    outbox.queue(
        {"to": [f"person{n}@example.org"], "template_prefix": "hubops/email/test_message"}
        for n in range(complaints)
    )


@pytest.fixture
def demo_hub(settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    command = Command(stdout=StringIO(), stderr=StringIO())
    hub = command.load_hub()
    command.load_calendar(timezone.localdate())
    command.load_accounts(hub)
    School.objects.bulk_create(School(**values) for values in large_fictional_schools()[:60])
    return hub


def count_queries(client_for, who, url) -> tuple[int, str]:
    cache.clear()  # measure the cache miss, the page's real work
    client = client_for(who)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    # The page's own queries: not the database cache's (the embedded default cache is a table).
    return len(_page_queries(captured.captured_queries)), response.content.decode()


@pytest.fixture
def client_for(client, django_user_model):
    from django.test import Client

    def make(who):
        if who is None:
            return Client()
        c = Client()
        assert c.login(email=who, password=DEMO_PASSWORD)
        return c

    return make


def test_no_list_page_issues_more_queries_at_a_larger_hub(demo_hub, monkeypatch, client_for):
    # Small, but with a row in every list (an empty page skips its slice query).
    grow(monkeypatch, groups=3, schools_per_group=1, complaints=30, requests=45)
    small = {(who, url): count_queries(client_for, who, url)[0] for who, url in PAGES}
    grow(monkeypatch, groups=60, schools_per_group=8, complaints=400, requests=400)
    large = {(who, url): count_queries(client_for, who, url)[0] for who, url in PAGES}
    assert large == small
    assert max(small.values()) <= 20


def test_the_lists_show_counts_and_one_page(demo_hub, monkeypatch, client_for):
    grow(monkeypatch, groups=60, schools_per_group=8, complaints=240, requests=200)
    _, catalogue = count_queries(client_for, TEACHER, "/workgroups/")
    assert "60 Work Groups" in catalogue and "Page 1 of 3" in catalogue
    _, staff = count_queries(client_for, STAFF, "/staff/workgroups/")
    assert "Page 1 of 2" in staff and "8 of 8" in staff  # schools holding places, per group
    from complaints.models import OPEN_STATUSES
    from complaints.selectors import complaint_list
    from hubops.models import User

    mine = complaint_list(User.objects.get(email=STAFF)).filter(status__in=OPEN_STATUSES).count()
    assert 200 < mine <= 240  # those routed to the SLL are not the MHL's
    _, complaints = count_queries(client_for, STAFF, "/staff/complaints/?show=open")
    assert f"All open complaints you handle ({mine})" in complaints
    assert complaints.count('href="/staff/complaints/') < 2 * 50 + 20  # one page, not 240 rows
    _, requests = count_queries(client_for, STAFF, "/staff/privacy/?show=all")
    assert "Every request (200)" in requests and "Page 1 of 4" in requests
