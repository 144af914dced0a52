"""CPD mailings: staff compose, check the count of recipients and send; each mail carries an
RFC 8058 one-click unsubscribe that records an objection to CPD mailings only; an objection to
mailings (link or request) stops mailings and nothing else."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client

from hubops.emails import allowed_recipients
from hubops.roles import Role
from privacy.models import DataRequest, MailingObjection, Restriction
from tests.factories import HubFactory, SchoolFactory, StaffFactory, UserFactory
from workgroups.models import Project, Registration, WorkGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def teachers(db, settings, year):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.SITE_URL = "https://hub.example.org"
    HubFactory()
    project = Project.objects.create(code="P", title="P", kind="ncp", academic_year=year)
    groups = {
        phase: WorkGroup.objects.create(
            code=f"WG-{phase}",
            title=f"Fictional {phase}",
            project=project,
            phases=f",{phase},",
            audience=",teachers,",
            capacity_schools=5,
            recruitment="open",
            status="running",
        )
        for phase in ("primary", "secondary")
    }
    people = [
        ("ann@example.org", "primary"),
        ("bob@example.org", "primary"),
        ("cat@example.org", "secondary"),
        ("dan@example.org", "secondary"),
    ]
    for email, phase in people:
        Registration.objects.create(
            work_group=groups[phase],
            school=SchoolFactory(),
            full_name=f"Fictional {email}",
            email=email,
            role_at_school="Teacher",
            status="confirmed",
        )
    UserFactory(email="eve@example.org")  # a teacher account with no registration yet
    MailingObjection.objects.create(email="bob@example.org", source="unsubscribe link")
    Restriction.objects.create(email="dan@example.org", started_on=date(2026, 1, 5))
    return groups


@pytest.fixture
def mhl_client(client, teachers):
    client.force_login(StaffFactory(email="mhl@example.org", roles=[Role.MHL]))
    return client


def test_check_page_counts_recipients_without_objectors_or_restricted(mhl_client):
    url = "/staff/governance/mailings/new/"
    assert mhl_client.get(url).status_code == 200
    data = {"subject": "Work Groups open", "message": "Join a Work Group.", "phase": ""}
    page = mhl_client.post(url, data).content.decode()
    assert "Check the CPD mailing before sending it" in page
    assert re.search(r'id="mailing-count">3 people<', page)  # ann, cat, eve
    assert len(mail.outbox) == 0  # checking sends nothing
    page = mhl_client.post(url, {**data, "phase": "primary"}).content.decode()
    assert re.search(r'id="mailing-count">1 person<', page)  # ann
    assert mhl_client.post(url, {**data, "subject": ""}).status_code == 400


def test_sending_mails_each_recipient_with_a_one_click_unsubscribe(
    mhl_client, django_capture_on_commit_callbacks
):
    data = {"subject": "Work Groups open", "message": "Join a Work Group.", "phase": "", "send": 1}
    with django_capture_on_commit_callbacks(execute=True):
        response = mhl_client.post("/staff/governance/mailings/new/", data)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ann@example.org",
        "cat@example.org",
        "eve@example.org",
    ]
    message = next(m for m in mail.outbox if m.to == ["ann@example.org"])
    assert message.subject == "Work Groups open"
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https://hub\.example\.org/privacy/unsubscribe/[^>]+/)>", header)[1]
    assert link in message.body and link in message.alternatives[0][0]
    other = next(m for m in mail.outbox if m.to == ["cat@example.org"])
    assert other.extra_headers["List-Unsubscribe"] != header  # each their own link

    # The mail client's one-click: a POST with no cookies and no CSRF token.
    path = link.removeprefix("https://hub.example.org")
    one_click = Client(enforce_csrf_checks=True)
    assert one_click.get(path).status_code == 200  # a GET (a link checker) changes nothing
    assert not MailingObjection.objects.filter(email="ann@example.org").exists()
    response = one_click.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You will get no more CPD mailings" in response.content.decode()
    assert MailingObjection.objects.filter(email="ann@example.org").count() == 1
    one_click.post(path, {"List-Unsubscribe": "One-Click"})  # twice: still one
    assert MailingObjection.objects.filter(email="ann@example.org").count() == 1
    # Mailings alone: her Work Group's mails still reach her; only restriction stops those.
    assert allowed_recipients(["ann@example.org", "dan@example.org"]) == ["ann@example.org"]
    assert Client().post("/privacy/unsubscribe/not-a-token/").status_code == 404


def test_an_objection_request_can_stop_mailings_alone(client, teachers):
    dpo = StaffFactory(roles=[Role.DATA_PROTECTION_LEAD])
    request = DataRequest.objects.create(
        reference="DSR-OBJ1",
        kind="objection",
        full_name="Fictional cat",
        email="cat@example.org",
        received_on=date(2026, 1, 5),
        due_on=date(2026, 2, 5),
        status="open",
        verification_token="t-obj1",
    )
    client.force_login(dpo)
    page = client.get(f"/staff/privacy/requests/{request.pk}/").content.decode()
    assert "Stop CPD mailings only" in page
    response = client.post(f"/staff/privacy/requests/{request.pk}/object-mailings/", follow=True)
    assert "Nothing else was restricted." in response.content.decode()
    objection = MailingObjection.objects.get(email="cat@example.org")
    assert objection.source == "request DSR-OBJ1"
    assert not Restriction.objects.filter(email="cat@example.org").exists()
    assert allowed_recipients(["cat@example.org"]) == ["cat@example.org"]
