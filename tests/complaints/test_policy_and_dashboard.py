"""The policy page publishes numbered versions through the service (with an audit event), and
the dashboard's query count does not grow with the number of open complaints."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import demo, services, workflow
from complaints.models import PolicyVersion, Status
from hubops.audit import events_for
from tests.complaints.conftest import login

pytestmark = pytest.mark.django_db


def _post(client, body="The policy.", approved=(1, 9, 2025), review=(1, 9, 2026)):
    data = {"body": body}
    for name, (d, m, y) in (("approved_on", approved), ("review_due_on", review)):
        data.update({f"{name}_day": d, f"{name}_month": m, f"{name}_year": y})
    return client.post("/staff/complaints/policy/", data)


def test_a_handler_publishes_the_next_version(client, hub, people):
    login(client, people["handler"])
    assert _post(client).status_code == 302
    assert _post(client, body="Second.", approved=(2, 9, 2025)).status_code == 302
    current = PolicyVersion.objects.order_by("-version").first()
    assert (current.version, current.body) == (2, "Second.")
    assert events_for(current).filter(action="complaints.policyversion.added").exists()
    page = client.get("/staff/complaints/policy/").content.decode()
    assert "Version 2 is current" in page and "Replaced" in page


def test_a_review_date_before_approval_is_refused_keeping_what_was_typed(client, hub, people):
    login(client, people["mhl"])
    r = _post(client, body="Kept text.", review=(1, 8, 2025))
    page = r.content.decode()
    assert r.status_code == 400 and "<title>Error: " in page and "Kept text." in page
    assert not PolicyVersion.objects.exists()


def test_hub_staff_cannot_publish(client, hub, people):
    login(client, people["staff"])
    assert _post(client).status_code == 403
    with pytest.raises(services.ComplaintError):
        services.policy_version_add(
            actor=None,
            today=date(2025, 9, 1),
            body="x",
            approved_on=date(2025, 9, 2),
            review_due_on=date(2026, 9, 1),
        )


def test_the_machine_offers_what_the_services_allow():
    c = type("C", (), {})()
    c.status, c.acknowledged_on, c.responded_on = Status.FORMAL, None, None
    c.response_effective_due_on, c.appeal_window_ends_on = date(2026, 2, 9), None
    facts = workflow.Facts(c, date(2026, 2, 10))
    names = {m.name for m in workflow.MACHINE.available(c.status, roles={"handler"}, subject=facts)}
    assert names == {"acknowledge", "respond", "close"}  # the holding letter is too late
    assert not workflow.MACHINE.available(c.status, roles={"panel"}, subject=facts)
    with pytest.raises(workflow.IllegalMove, match="can only be closed as: Withdrawn"):
        workflow.MACHINE.check(
            "close", c.status, subject=workflow.Facts(c, outcome="upheld"), roles=None
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_costs_the_same_at_60_and_600_open_complaints(client, calendar, hub, people):
    today = timezone.localdate()
    login(client, people["mhl"])
    urls = ["/staff/complaints/", "/staff/complaints/?show=open&page=2"]
    demo.load_large(hub=hub, today=today, progress=lambda *a: None, count=120)
    small = [_queries(client, u) for u in urls]
    demo.load_large(hub=hub, today=today, progress=lambda *a: None, count=1200)
    large = [_queries(client, u) for u in urls]
    assert large == small
    page = client.get("/staff/complaints/?show=open").content.decode()
    assert page.count('href="/staff/complaints/') < 2 * 50 + 20


def test_the_services_ask_the_machine_who_may_move(filed, people):
    c = filed.complaint
    with pytest.raises(workflow.IllegalMove, match="Only the complaint's handler can send"):
        services.complaint_acknowledge(
            complaint_id=c.pk, actor=people["leader1"], today=date(2026, 1, 13)
        )
    services.complaint_respond(
        complaint_id=c.pk,
        actor=people["mhl"],
        today=date(2026, 2, 2),
        outcome="not_upheld",
        summary="No fault found.",
    )
    services.complaint_request_appeal(complaint_id=c.pk, today=date(2026, 2, 3), grounds="No.")
    with pytest.raises(workflow.IllegalMove, match="Only a member of the appeal panel can"):
        services.complaint_decide_appeal(
            complaint_id=c.pk,
            actor=people["mhl"],
            today=date(2026, 2, 4),
            outcome="upheld",
            summary="x",
        )
