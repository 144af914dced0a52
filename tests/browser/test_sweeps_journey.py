"""Hub staff run a reminder sweep early: from their home to the sweeps page, press "Run now",
read what it sent. axe-core runs on each page; the page fits a 375 px phone."""

from __future__ import annotations

import pytest

from tests.browser.test_workspace_journey import no_sideways_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hub_staff_run_the_complaints_sweep_early(
    live_server, browser, browser_context_args, axe, settings
):
    from allauth.account.models import EmailAddress

    from hubops.roles import Role
    from tests.factories import HubFactory, StaffFactory

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    HubFactory()
    person = StaffFactory(roles=[Role.HUB_STAFF])
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)

    page = sign_in(browser, browser_context_args, live_server, person.email, width=375)
    page.get_by_role("link", name="Reminder sweeps: run one now").click()
    page.get_by_role("heading", name="Reminder sweeps", level=1).wait_for()
    axe(page)
    assert no_sideways_scroll(page)

    row = page.locator("tr", has_text="Complaints: acknowledgement")
    row.get_by_role("button", name="Run now").click()
    page.get_by_text("Complaints sweep run: 0 sent.").wait_for()
    axe(page)
    assert no_sideways_scroll(page)
