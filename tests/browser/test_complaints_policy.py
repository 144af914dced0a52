"""The complaints policy page: the Maths Hub Lead publishes a new version (with its review
date) at a phone's 375 px; a wrong date is refused with the GOV.UK error summary and what was
typed kept; the new version is marked current. axe-core runs on each state of the page."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_a_policy_version(live_server, browser, browser_context_args, axe, settings):
    from complaints.models import PolicyVersion
    from hubops.roles import Role
    from tests.complaints.factories import PolicyVersionFactory
    from tests.factories import HubFactory, StaffFactory

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    HubFactory()
    mhl = StaffFactory(email="mhl@example.org", full_name="Morgan Fictional", roles=[Role.MHL])
    PolicyVersionFactory(version=1, approved_on=date(2025, 9, 1))
    client = Client()
    client.force_login(mhl)
    ctx = browser.new_context(
        **{**browser_context_args, "bypass_csp": True, "viewport": {"width": 375, "height": 800}}
    )
    ctx.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = ctx.new_page()
    page.goto(f"{live_server.url}/staff/complaints/figures/")
    page.get_by_role("link", name="Publish a new version").click()
    page.get_by_role("heading", name="Complaints policy versions", level=1).wait_for()
    assert "Current" in page.get_by_role("table").inner_text()
    axe(page)

    page.get_by_label("The policy as approved").fill("Version two, approved by the board.")
    approved = page.get_by_role("group", name="Date it was approved")
    approved.get_by_label("Day").fill("1")
    approved.get_by_label("Month").fill("9")
    approved.get_by_label("Year").fill("2025")
    review = page.get_by_role("group", name="Date its review is due")
    review.get_by_label("Day").fill("1")
    review.get_by_label("Month").fill("8")
    review.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Publish version 2").click()
    page.get_by_role("heading", name="There is a problem").first.wait_for()
    assert page.title().startswith("Error: ")
    assert "The review date must be after" in page.content()
    assert page.get_by_label("The policy as approved").input_value().startswith("Version two")
    axe(page)

    review = page.get_by_role("group", name="Date its review is due")
    review.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Publish version 2").click()
    page.get_by_text("Version 2 of the complaints policy is now current.").wait_for()
    axe(page)
    rows = page.get_by_role("row").all_inner_texts()
    assert any(r.startswith("2") and "Current" in r for r in rows)
    assert any(r.startswith("1") and "Replaced" in r for r in rows)
    assert PolicyVersion.objects.get(version=2).review_due_on == date(2026, 8, 1)
