"""Every page the demo's superuser home links to, opened in a browser at a phone's 375 px:
axe-core finds no violation and nothing scrolls sideways. (The superuser's home links to every
staff page; each role's links are checked for 403 and 404 in tests/hubops/test_workspace.py.)"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_staff_page_passes_axe_and_fits_a_phone(
    live_server, browser, browser_context_args, axe, settings, tmp_path
):
    from hubops.management.commands.load_demo import DEMO_PASSWORD

    settings.DEBUG = True
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())

    ctx = browser.new_context(**{**browser_context_args, "viewport": {"width": 375, "height": 800}})
    page = ctx.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/")
    page.get_by_label("Email").fill("admin@demo.hub.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Your work", level=1).wait_for()
    hrefs = page.eval_on_selector_all(
        "main a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
    )
    pages = sorted({h.split("#")[0] for h in hrefs if not h.startswith("/admin/")} | {"/staff/"})
    assert len(pages) > 25
    wide = []
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        axe(page)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            wide.append(path)
    assert wide == []
