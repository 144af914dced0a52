"""A teacher asks for their data on the public form, confirms by the emailed link."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_asks_for_their_data(live_server, page, axe):
    from privacy.models import DataRequest, PrivacyNotice, RequestStatus

    PrivacyNotice.objects.create(version=3, body="We collect your name.", published_on="2025-09-01")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Privacy", exact=True).first.click()
    page.get_by_role("heading", name="Privacy notice", level=1).wait_for()
    assert "Last updated 1 September 2025" in page.content()
    axe(page)
    page.get_by_role("link", name="Ask about your data").click()
    page.get_by_role("heading", name="Ask about your data", level=1).wait_for()
    axe(page)

    # Send it empty: an error summary that links to each field, and nothing lost.
    page.get_by_label("Full name").fill("Alex Fictional")
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.title().startswith("Error:")
    assert page.get_by_label("Full name").input_value() == "Alex Fictional"
    axe(page)
    page.get_by_role("link", name="Enter your email address").click()
    assert page.evaluate("document.activeElement.id") == "id_email"

    page.get_by_label("Get a copy of my data (access)").check()
    page.get_by_label("Email address").fill("alex.fictional@example.org")
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    axe(page)
    request = DataRequest.objects.get()
    assert request.reference in page.content()

    link = re.search(r"/privacy/requests/confirm/[^/\s]+/", mail.outbox[-1].body).group(0)
    page.goto(f"{live_server.url}{link}")
    axe(page)
    page.get_by_role("button", name="Confirm my request").click()
    page.get_by_role("heading", name="Request confirmed").wait_for()
    axe(page)
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_data_protection_lead_handles_an_erasure(live_server, page, axe, settings):
    from django.test import Client

    from hubops.roles import Role
    from privacy import services
    from privacy.models import DataRequest, RequestStatus
    from tests.factories import PASSWORD, StaffFactory, UserFactory

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    dpo = StaffFactory(email="dpo@example.org", roles=[Role.DATA_PROTECTION_LEAD])
    teacher = UserFactory(email="sam.fictional@example.org", full_name="Sam Fictional")
    r = services.data_request_create(
        kind="erasure",
        full_name=teacher.full_name,
        email=teacher.email,
        received_on=date(2026, 3, 10),
    )
    client = Client()
    client.login(email=dpo.email, password=PASSWORD)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/staff/privacy/")
    page.get_by_role("heading", name="Data-rights requests").wait_for()
    axe(page)
    page.get_by_role("link", name=r.reference).click()
    page.get_by_role("button", name="I have confirmed their identity").click()
    page.get_by_role("link", name="Erase this person's data").wait_for()
    axe(page)
    # Erasure cannot be undone: a page asks first (issue #13), and going back changes nothing.
    page.get_by_role("link", name="Erase this person's data").click()
    page.get_by_role(
        "heading", name="Are you sure you want to erase Sam Fictional's data?"
    ).wait_for()
    axe(page)
    page.get_by_role("link", name="No, go back").click()
    assert DataRequest.objects.get(pk=r.pk).status == RequestStatus.OPEN
    page.get_by_role("link", name="Erase this person's data").click()
    page.get_by_role("button", name="Yes, erase this person's data").click()
    page.get_by_text("Erasure carried out").wait_for()
    axe(page)
    assert DataRequest.objects.get(pk=r.pk).status == RequestStatus.COMPLETED
    for path in ("retention/", "sharing/", "breaches/", "dpias/", "requests/new/"):
        page.goto(f"{live_server.url}/staff/privacy/{path}")
        axe(page)

