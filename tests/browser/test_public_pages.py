"""The public pages pass axe-core (WCAG 2.2 AA) in Chromium."""

import pytest

from tests.factories import HubFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_are_accessible(live_server, page, axe):
    HubFactory(name="Fictional Valley Maths Hub", email="hello@example.org")
    page.goto(f"{live_server.url}/")
    page.get_by_role("heading", name="Fictional Valley Maths Hub", level=1).wait_for()
    axe(page)

    page.get_by_role("link", name="Accessibility statement").click()
    page.get_by_role("heading", name="Accessibility statement", level=1).wait_for()
    axe(page)

    page.get_by_role("link", name="Cookies").click()
    page.get_by_role("heading", name="Cookies", level=1).wait_for()
    assert page.get_by_role("table", name="Cookies we set").is_visible()
    axe(page)

    page.goto(f"{live_server.url}/no-such-page/")
    axe(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    # hub.js moved focus to the error summary.
    assert page.evaluate("document.activeElement.classList.contains('hub-error-summary')")
    axe(page)

    # Checking a certificate: a code that is not one gives the error summary, focused.
    page.goto(f"{live_server.url}/certificates/verify/")
    page.get_by_role("heading", name="Check a certificate", level=1).wait_for()
    axe(page)
    page.get_by_label("Verification code").fill("not a code")
    page.get_by_role("button", name="Check the certificate").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    page.wait_for_load_state()  # hub.js (deferred) has run
    assert page.evaluate("document.activeElement.classList.contains('hub-error-summary')")
    assert page.title().startswith("Error: ")
    axe(page)
    page.get_by_label("Verification code").fill("ABCD-EFGH-JK23")
    page.get_by_role("button", name="Check the certificate").click()
    page.get_by_role("heading", name="We cannot find a certificate with this code").wait_for()
    axe(page)
