"""A member of the public files a formal complaint with an attachment and gets the reference,
the PDF copy and the acknowledgement; the Maths Hub Lead acknowledges, sends a holding letter
and responds; the complainant appeals through the private link; the Lead School convenes a
panel, which decides. The "Send complaint" button is double-clicked: one complaint is made and
its reference shown. axe-core runs on every page visited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.browser.twice import deliver_posts_twice
from tests.conftest import DATA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def staff_page(browser, browser_context_args, live_server, user):
    client = Client()
    client.force_login(user)
    ctx = browser.new_context(**{**browser_context_args, "bypass_csp": True})
    ctx.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return ctx.new_page()


def in_form(page, button: str):
    return page.locator("form", has=page.get_by_role("button", name=button))


def test_complaint_from_form_to_final_appeal_decision(
    live_server, browser, browser_context_args, axe, settings, tmp_path
):
    from complaints.models import Complaint, LetterKind, Status
    from hubops.calendar_io import load_plans, parse_calendar
    from hubops.roles import Role
    from tests.factories import HubFactory, StaffFactory

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    HubFactory()
    load_plans(parse_calendar((DATA / "calendar" / "term_dates_sheffield.json").read_text()))
    mhl = StaffFactory(email="mhl@example.org", full_name="Morgan Fictional", roles=[Role.MHL])
    sll = StaffFactory(email="sll@example.org", full_name="Sam Fictional", roles=[Role.SLL])
    leader1 = StaffFactory(
        email="l1@example.org",
        full_name="Lee Fictional-Leader",
        roles=[Role.LEAD_SCHOOL_SENIOR_LEADER],
    )
    leader2 = StaffFactory(
        email="l2@example.org",
        full_name="Lou Fictional-Leader",
        roles=[Role.LEAD_SCHOOL_SENIOR_LEADER],
    )

    # -- The public: the procedure, then the form. -------------------------------------------
    ctx = browser.new_context(
        **{**browser_context_args, "bypass_csp": True, "accept_downloads": True}
    )
    page = ctx.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Complaints", exact=True).first.click()
    page.get_by_role("heading", name="Complaints", level=1).wait_for()
    axe(page)
    page.get_by_role("button", name="Make a formal complaint").click()
    page.get_by_role("heading", name="Who or what is your complaint about?").wait_for()
    axe(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    axe(page)
    page.get_by_label("Something else, or I am not sure").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Make a formal complaint", level=1).wait_for()
    axe(page)

    # Sent with gaps: the error summary links to each field and nothing typed is lost.
    page.get_by_label("Your full name").fill("Pat Fictional")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.title().startswith("Error:")
    assert page.get_by_label("Your full name").input_value() == "Pat Fictional"
    axe(page)
    page.get_by_role("link", name="Enter what happened").click()
    assert page.evaluate("document.activeElement.id") == "id_what_happened"

    issue = timezone.localdate() - timedelta(days=14)
    page.get_by_label("Email address (optional)").fill("pat@example.org")
    page.get_by_label("I take part in a Work Group or hub activity").check()
    page.get_by_label("A Work Group", exact=True).check()
    page.get_by_label("Day").fill(str(issue.day))
    page.get_by_label("Month").fill(str(issue.month))
    page.get_by_label("Year").fill(str(issue.year))
    page.get_by_label("What happened").fill("The session was cancelled <b>without</b> notice.")
    page.get_by_label("What outcome would you like?").fill("An apology.")
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("Attach documents (optional)").set_input_files(str(evidence))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before sending your complaint").wait_for()
    assert "evidence.pdf" in page.content()
    assert "<b>without</b>" not in page.content()  # shown as text, never as markup
    axe(page)
    # An impatient double click (Chromium sends one of the two), and the POST reaching the
    # server twice, as when a response is lost and the request retried: the first copy's
    # answer is dropped, the person sees the second's. One complaint, and its reference shown.
    sends = deliver_posts_twice(page, "**/complaints/formal/check/")
    page.get_by_role("button", name="Send complaint").dblclick()
    page.get_by_role("heading", name="Complaint sent").wait_for()
    page.unroute("**/complaints/formal/check/")
    # One POST, or two when the second click lands before the page moves on: each reached the
    # server twice and every copy was answered with a redirect.
    assert len(sends) in (2, 4) and set(sends) == {302}, sends
    axe(page)
    complaint = Complaint.objects.get()
    assert complaint.reference in page.content()
    assert len([m for m in mail.outbox if m.to == ["pat@example.org"]]) == 1
    assert complaint.attachments.count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a copy of your complaint (PDF)").click()
    assert download.value.suggested_filename == f"complaint-{complaint.reference}.pdf"
    received = next(m for m in mail.outbox if m.to == ["pat@example.org"])
    assert received.attachments[0][0] == f"complaint-{complaint.reference}.pdf"

    # -- The Maths Hub Lead: acknowledge, holding letter, response. ---------------------------
    lead = staff_page(browser, browser_context_args, live_server, mhl)
    lead.goto(f"{live_server.url}/staff/")
    lead.get_by_role("link", name=re.compile("Complaints: due this week")).click()
    lead.get_by_role("heading", name="Complaints", level=1).wait_for()
    axe(lead)
    lead.get_by_role("link", name=complaint.reference).first.click()
    lead.get_by_role("heading", name=f"Complaint {complaint.reference}").wait_for()
    axe(lead)
    lead.get_by_role("button", name="Send acknowledgement").click()
    lead.get_by_text("Acknowledgement letter sent.").wait_for()
    axe(lead)
    assert any(
        m.to == ["pat@example.org"] and "acknowledgement" in m.subject.lower() for m in mail.outbox
    )

    complaint.refresh_from_db()
    new_date = complaint.response_due_on + timedelta(days=14)
    holding = in_form(lead, "Send holding letter")
    holding.get_by_label("Why is the response delayed?").fill("We are waiting for a witness.")
    holding.get_by_label("Day").fill(str(new_date.day))
    holding.get_by_label("Month").fill(str(new_date.month))
    holding.get_by_label("Year").fill(str(new_date.year))
    holding.get_by_role("button", name="Send holding letter").click()
    lead.get_by_text("Holding letter sent with the new date.").wait_for()
    axe(lead)

    respond = in_form(lead, "Send response")
    respond.get_by_label("Partly upheld").check()
    respond.get_by_label("Findings and reasons").fill("The session moved at short notice.")
    respond.get_by_role("button", name="Send response").click()
    lead.get_by_text("Stage 2 response sent.").wait_for()
    axe(lead)
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED
    assert set(complaint.letters.values_list("kind", flat=True)) == {
        LetterKind.ACKNOWLEDGEMENT,
        LetterKind.HOLDING,
        LetterKind.STAGE2_OUTCOME,
    }

    # -- The complainant appeals through the private link. ------------------------------------
    outcome = next(m for m in reversed(mail.outbox) if "our response" in m.subject)
    link = re.search(r"/complaints/follow/[^/\s]+/", outcome.body).group(0)
    page.goto(f"{live_server.url}{link}")
    page.get_by_role("heading", name="Your complaint").wait_for()
    axe(page)
    assert "Partly upheld" in page.content()
    page.get_by_role("button", name="Ask for an appeal").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    axe(page)
    page.get_by_label("Why are you not satisfied with the response?").fill("Not enough.")
    page.get_by_role("button", name="Ask for an appeal").click()
    page.get_by_text("Your appeal has been sent").wait_for()
    axe(page)

    # -- The SLL convenes a panel; the MHL, who handled it, cannot sit on it. -----------------
    link_page = staff_page(browser, browser_context_args, live_server, sll)
    link_page.goto(f"{live_server.url}/staff/complaints/{complaint.pk}/")
    panel = in_form(link_page, "Convene panel")
    panel.get_by_label("Lee Fictional-Leader").check()
    panel.get_by_label("Lou Fictional-Leader").check()
    panel.get_by_label(
        "I confirm none of these senior leaders has been involved in the complaint"
    ).check()
    assert panel.get_by_label("Morgan Fictional").count() == 0  # involved earlier
    axe(link_page)
    panel.get_by_role("button", name="Convene panel").click()
    link_page.get_by_text("Appeal panel convened.").wait_for()
    axe(link_page)

    # -- A panel member records the final decision. -------------------------------------------
    member = staff_page(browser, browser_context_args, live_server, leader1)
    member.goto(f"{live_server.url}/staff/complaints/{complaint.pk}/")
    member.get_by_role("heading", name="The panel's decision").wait_for()
    axe(member)
    decide = in_form(member, "Send final decision")
    decide.get_by_label("Not upheld").check()
    decide.get_by_label("Findings and reasons").fill("The hub's response was fair.")
    decide.get_by_role("button", name="Send final decision").click()
    member.get_by_text("The panel's final decision was sent.").wait_for()
    axe(member)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.decision_final
    page.goto(f"{live_server.url}{link}")
    assert "This decision is final" in page.content()
    axe(page)
    assert set(complaint.panel.all()) == {leader1, leader2}
