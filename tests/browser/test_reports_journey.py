"""The MHL approves a progress report, the SLL reads the preview, signs with their password
and downloads the signed PDF, whose text holds the figures shown on screen and the signature
block. Hub staff set and move a reporting deadline and read an annual report's complaint
charts on a phone. axe-core runs on every page visited."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, browser_context_args, live_server, email, width=None):
    from tests.factories import PASSWORD

    args = {**browser_context_args, "accept_downloads": True}
    if width:
        args["viewport"] = {"width": width, "height": 800}
    ctx = browser.new_context(**args)
    page = ctx.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/reports/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Reports to the DfE and the NCETM").wait_for()
    return page


def test_mhl_approves_sll_signs_and_downloads(
    live_server, browser, browser_context_args, axe, settings, tmp_path
):
    from allauth.account.models import EmailAddress

    from hubops.models import AcademicYear
    from hubops.roles import Role
    from reports import services
    from reports.models import Report
    from tests.factories import HubFactory, StaffFactory
    from tests.reports.factories import running_group

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    HubFactory()
    year = AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )
    running_group(year, schools=5, capacity=8)
    author = StaffFactory(full_name="Robin Fictional-Coordinator", roles=[Role.HUB_STAFF])
    mhl = StaffFactory(email="mhl@example.org", full_name="Sam Fictional-Lead", roles=[Role.MHL])
    sll = StaffFactory(email="sll@example.org", full_name="Alex Fictional-Link", roles=[Role.SLL])
    for user in (mhl, sll):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    report = services.create_report(kind="progress", year=year, actor=author, period="Spring term")
    services.save_narrative(
        report.pk,
        actor=author,
        narrative={"delivery": "Groups ran as planned.", "issues": "One venue moved online."},
    )
    services.move(report.pk, "submit", actor=author)

    # The MHL: the report awaits them; they approve it.
    page = sign_in(browser, browser_context_args, live_server, mhl.email)
    axe(page)
    page.get_by_role("link", name=report.title).first.click()
    page.get_by_role("heading", name=report.title).wait_for()
    axe(page)
    assert page.get_by_role("button", name="Sign off and issue").count() == 0
    page.get_by_role("button", name="Approve (initial QA)").click()
    page.get_by_text("Done: approve (initial qa).").wait_for()
    assert page.locator("#report-status").inner_text() == "Awaiting the SLL's sign-off"
    axe(page)
    page.context.close()

    # The SLL: a wrong password is refused, the right one signs.
    page = sign_in(browser, browser_context_args, live_server, sll.email)
    page.get_by_role("link", name=report.title).first.click()
    recruited = page.locator("dt:text-is('Schools recruited') + dd").inner_text()
    assert recruited == "5"
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Sign off and issue").click()
    page.get_by_text("That is not your password. The report was not signed.").first.wait_for()
    axe(page)
    from tests.factories import PASSWORD

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign off and issue").click()
    page.get_by_text("verified: the stored PDF matches").wait_for()
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download it").click()
    data = Path(download.value.path()).read_bytes()
    report.refresh_from_db()
    from hubops.pdf import sha256_hex

    assert sha256_hex(data) == report.pdf_sha256
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"Schools recruited\s+5\b", text)
    assert "Signed: Alex Fictional-Link" in text
    assert "Initial quality assurance by the Maths Hub Lead: Sam Fictional-Lead" in text
    assert Report.objects.get().status == "issued"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_set_and_move_a_deadline_and_read_the_complaint_charts_on_a_phone(
    live_server, browser, browser_context_args, axe, settings, tmp_path
):
    from allauth.account.models import EmailAddress

    from hubops.roles import Role
    from reports import services
    from tests.factories import HubFactory, StaffFactory
    from tests.reports.factories import AcademicYearFactory, complaints_for_a_year

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    HubFactory()
    year = AcademicYearFactory()
    complaints_for_a_year()
    staff = StaffFactory(full_name="Robin Fictional-Coordinator", roles=[Role.HUB_STAFF])
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    annual = services.create_report(kind="annual", year=year, actor=staff)

    page = sign_in(browser, browser_context_args, live_server, staff.email, width=375)
    page.get_by_role("link", name="Set and change the reporting deadlines").click()
    page.get_by_role("heading", name="Reporting deadlines").wait_for()
    assert page.get_by_text("No deadlines yet.").is_visible()
    axe(page)
    page.get_by_role("button", name="Add a deadline").click()
    page.get_by_role("heading", name="Add a reporting deadline").wait_for()
    axe(page)
    # Nothing chosen: the error summary names each field; what was typed stays.
    page.get_by_label("Name (optional)").fill("Summer term")
    page.get_by_role("button", name="Add the deadline").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Name (optional)").input_value() == "Summer term"
    axe(page)
    page.get_by_label("Kind of report").select_option(label="Termly progress report")
    page.get_by_label("Academic year").select_option(label="2025/26")
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_role("button", name="Add the deadline").click()
    page.get_by_text(
        "Deadline added: Termly progress report Summer term due 10 July 2026."
    ).wait_for()
    assert page.get_by_role("cell", name="10 July 2026").is_visible()
    assert _fits(page), "the deadlines page scrolls sideways at 375 px"
    axe(page)

    page.get_by_role(
        "link", name="Change the termly progress report (Summer term) deadline"
    ).click()
    page.get_by_role("heading", name="Change a reporting deadline").wait_for()
    assert page.get_by_label("Day").input_value() == "10"
    axe(page)
    page.get_by_label("Day").fill("17")
    page.get_by_role("button", name="Save the change").click()
    page.get_by_text(
        "Deadline changed: Termly progress report Summer term due 17 July 2026."
    ).wait_for()
    assert page.get_by_role("cell", name="17 July 2026").is_visible()

    # The annual report's complaint figures: each chart with its table, on a phone.
    page.goto(f"{live_server.url}/staff/reports/{annual.pk}/")
    page.get_by_role("heading", name=annual.title).wait_for()
    chart = page.get_by_role("img", name="Complaints by theme, 2025/26")
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    table = page.get_by_role("table", name="Complaints by theme, 2025/26: the figures")
    assert table.get_by_role("row", name="A Work Group 4").count() == 1
    assert _fits(page), "the report page scrolls sideways at 375 px"
    axe(page)
