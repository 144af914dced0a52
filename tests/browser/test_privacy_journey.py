"""A teacher asks for their data on the public form, confirms by the emailed link."""

from __future__ import annotations

import re
from datetime import date, timedelta

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


STAFF_WIDTH = 375


def _fits(page, width: int = STAFF_WIDTH) -> None:
    """The staff page does not scroll sideways at ``width`` px (a table may, in its region)."""
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": 800})
    try:
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size(size)
    assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


def _fill_date(page, name: str, day) -> None:
    page.locator(f"[name={name}_day]").fill(str(day.day))
    page.locator(f"[name={name}_month]").fill(str(day.month))
    page.locator(f"[name={name}_year]").fill(str(day.year))


def _signed_in_dpo(live_server, page, settings):
    from django.test import Client

    from hubops.roles import Role
    from tests.factories import PASSWORD, StaffFactory

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    dpo = StaffFactory(email="dpo@example.org", roles=[Role.DATA_PROTECTION_LEAD])
    client = Client()
    client.login(email=dpo.email, password=PASSWORD)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return dpo


def test_data_protection_lead_logs_a_breach_and_records_the_ico_decision(
    live_server, page, axe, settings
):
    """The 72-hour clock on a staff page, not the admin: log, tell the ICO, close."""
    from django.utils import timezone

    from hubops.formats import format_date
    from privacy.models import Breach

    _signed_in_dpo(live_server, page, settings)
    yesterday = timezone.localdate() - timedelta(days=1)
    page.goto(f"{live_server.url}/staff/privacy/breaches/")
    page.get_by_role("link", name="Log a breach").click()
    page.get_by_role("heading", name="Log a breach", level=1).wait_for()
    axe(page)
    _fits(page)

    # Sent half-filled: the error summary, "Error: " in the title, what was typed kept.
    page.get_by_label("What happened").fill("A fictional register emailed to the wrong school.")
    page.get_by_role("button", name="Log the breach").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.title().startswith("Error:")
    assert "Enter the date the breach was found" in page.content()
    assert page.get_by_label("What happened").input_value().startswith("A fictional register")
    axe(page)
    assert not Breach.objects.exists()

    _fill_date(page, "found_on", yesterday)
    page.get_by_label("Time it was found").fill("09:30")
    page.get_by_label("What personal data was involved").fill("Names and school emails")
    page.get_by_label("How many people").fill("12")
    page.get_by_label("How many records").fill("12")
    page.get_by_label("Likely consequences for the people").fill("Low.")
    page.get_by_label("What has been done about it").fill("Recipients deleted it.")
    page.get_by_role("button", name="Log the breach").click()
    breach = Breach.objects.get()
    page.get_by_role("heading", name=f"Breach {breach.reference}").wait_for()
    deadline = timezone.localtime(breach.ico_deadline)
    assert deadline == timezone.localtime(breach.found_at) + timedelta(hours=72)
    text = page.locator("main").inner_text()
    assert f"Tell the ICO by 09:30 on {format_date(deadline)}" in text
    axe(page)
    _fits(page)

    # Closing before the decision is not offered; telling the ICO in the future is refused.
    assert page.get_by_role("link", name="Close the breach").count() == 0
    _fill_date(page, "told-notified_on", timezone.localdate() + timedelta(days=2))
    page.get_by_label("Time the ICO was told").fill("10:00")
    page.get_by_role("button", name="Record that the ICO was told").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "must be today or in the past" in page.content()
    axe(page)

    _fill_date(page, "told-notified_on", yesterday)
    page.get_by_label("Time the ICO was told").fill("15:45")
    page.get_by_role("button", name="Record that the ICO was told").click()
    page.get_by_text("Recorded that the ICO was told.").wait_for()
    assert f"Told at 15:45 on {format_date(yesterday)}" in page.locator("main").inner_text()
    assert "(after the 72 hours)" not in page.content()

    page.get_by_role("link", name="Close the breach").click()
    page.get_by_role("heading", name=f"Are you sure you want to close breach {breach.reference}?")
    axe(page)
    page.get_by_role("button", name="Yes, close the breach").click()
    page.get_by_text(f"Breach {breach.reference} closed.").wait_for()
    breach.refresh_from_db()
    assert breach.closed_on == timezone.localdate() and breach.ico_told_in_time


def test_data_protection_lead_keeps_the_dpia_register(live_server, page, axe, settings):
    from django.utils import timezone

    from hubops.formats import format_date
    from privacy.models import DPIA

    _signed_in_dpo(live_server, page, settings)
    review = timezone.localdate() + timedelta(days=365)
    page.goto(f"{live_server.url}/staff/privacy/dpias/")
    page.get_by_role("link", name="Add a DPIA").click()
    page.get_by_role("heading", name="Add a DPIA", level=1).wait_for()
    axe(page)
    _fits(page)
    page.get_by_label("Title").fill("Teachers' registrations (fictional)")
    page.get_by_label("Screening: why a DPIA is (or is not) needed").fill("Large scale.")
    page.get_by_label("Risks").fill("Disclosure.")
    page.get_by_label("Measures").fill("MFA and the audit log.")
    _fill_date(page, "review_on", review)
    page.get_by_label("Signed off by (optional)").fill("Dana Fictional")
    page.get_by_role("button", name="Add the DPIA").click()
    # Half a sign-off: the date is asked for, nothing is saved.
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "Enter the date it was signed off" in page.content()
    assert not DPIA.objects.exists()
    axe(page)
    page.get_by_label("Signed off by (optional)").fill("")
    page.get_by_role("button", name="Add the DPIA").click()
    page.get_by_role("heading", name="DPIA register").wait_for()
    assert format_date(review) in page.locator("main").inner_text()
    axe(page)
    _fits(page)

    # After a review: a new review date.
    page.get_by_role("link", name="Teachers' registrations (fictional)").click()
    page.get_by_role("heading", name="Change the DPIA: Teachers' registrations (fictional)")
    axe(page)
    later = review + timedelta(days=30)
    _fill_date(page, "review_on", later)
    page.get_by_role("button", name="Save the DPIA").click()
    page.get_by_role("heading", name="DPIA register").wait_for()
    assert format_date(later) in page.locator("main").inner_text()
    assert DPIA.objects.get().review_on == later


def test_data_protection_lead_publishes_a_new_notice_version(live_server, page, axe, settings):
    from django.utils import timezone

    from privacy import selectors, services
    from privacy.models import PrivacyNotice
    from tests.factories import UserFactory

    _signed_in_dpo(live_server, page, settings)
    v1 = PrivacyNotice.objects.create(
        version=1, body="## Who we are\n\nWe collect your name.", published_on=date(2025, 9, 1)
    )
    teacher = UserFactory(email="alex.fictional@example.org")
    services.notice_accept(notice_id=v1.pk, actor=teacher)

    page.goto(f"{live_server.url}/staff/privacy/notices/")
    page.get_by_role("heading", name="Privacy notice versions").wait_for()
    axe(page)
    _fits(page)
    page.get_by_role("link", name="Publish a new version").click()
    page.get_by_role("heading", name="Publish a new version of the privacy notice").wait_for()
    assert "We collect your name." in page.get_by_label("The notice").input_value()
    axe(page)
    _fits(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    axe(page)

    today = timezone.localdate()
    _fill_date(page, "published_on", today)
    page.get_by_label("What has changed").fill("We now keep your school's name.")
    page.get_by_label("The notice").fill(
        "## Who we are\n\nWe collect your name and your school's name."
    )
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check the new version before publishing it").wait_for()
    text = page.locator("main").inner_text()
    assert "1 person has accepted version 1" in text
    assert "your school's name" in text
    assert PrivacyNotice.objects.count() == 1  # nothing published until the button
    axe(page)
    _fits(page)

    # Change an answer: back on the form with what was typed.
    page.get_by_role("link", name="Change what has changed").click()
    assert page.get_by_label("What has changed").input_value() == (
        "We now keep your school's name."
    )
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Publish version 2").click()
    page.get_by_text("Version 2 of the privacy notice published.").wait_for()
    axe(page)
    current = selectors.current_notice(today)
    assert current.version == 2
    assert selectors.notice_changed_since_accepted(teacher, current)
