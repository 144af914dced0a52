"""A member of the public reads the published Strategic Board page; staff keep the board's
records and agree meeting notes on the staff pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_reads_board_membership(live_server, page, axe):
    from governance.models import BoardInterest, BoardMember

    today = timezone.localdate()
    chair = BoardMember.objects.create(
        name="Morgan Fictional",
        organisation="Fictional Learning Trust",
        category="trust",
        independent=True,
        is_chair=True,
        term_starts_on=date(2024, 9, 1),
        term_ends_on=date(2027, 8, 31),
    )
    BoardInterest.objects.create(
        member=chair, declared_on=date(2025, 9, 10), description="Trustee of a fictional trust"
    )
    BoardMember.objects.create(
        name="Quinn Former",
        organisation="Old Fictional School",
        category="school_primary",
        independent=True,
        term_starts_on=date(2020, 9, 1),
        term_ends_on=today - timedelta(days=30),
    )
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Strategic Board").first.click()
    page.get_by_role("heading", name="Strategic Board", level=1).wait_for()
    current = page.get_by_role("table", name="Current members of the Strategic Board")
    row = current.get_by_role("row", name="Morgan Fictional")
    assert "Fictional Learning Trust" in row.inner_text()
    assert "Chair" in row.inner_text()
    assert "Trustee of a fictional trust" in row.inner_text()
    past = page.get_by_role("table", name="Former members who served in the past twelve months")
    assert "Quinn Former" in past.inner_text()
    axe(page)


def _sign_in(browser, browser_context_args, live_server, user, next_path):
    from allauth.account.models import EmailAddress

    from tests.factories import PASSWORD

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    ctx = browser.new_context(**{**browser_context_args, "viewport": {"width": 375, "height": 800}})
    page = ctx.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    return page


def _fill_date(page, legend, d):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(d.day))
    group.get_by_label("Month").fill(str(d.month))
    group.get_by_label("Year").fill(str(d.year))


def _fits(page):
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), page.url


def test_staff_keep_board_terms_sla_and_spend_at_375px(
    live_server, browser, browser_context_args, axe, settings
):
    """Hub staff appoint a board member (a wrong date first), end a term after confirming,
    end an SLA early and record a month's actual spend; every page passes axe at 375 px."""
    from governance.models import BoardMember, MonthlySpend
    from hubops.roles import Role
    from tests.factories import HubFactory, StaffFactory
    from tests.governance.factories import (
        AcademicYearFactory,
        BudgetLineFactory,
        GrantYearFactory,
        SLAFactory,
    )

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    HubFactory()
    today = timezone.localdate()
    start = date(today.year - (today.month < 9), 9, 1)
    year = AcademicYearFactory(name="current", starts_on=start, ends_on=date(start.year + 1, 8, 31))
    BudgetLineFactory(grant=GrantYearFactory(academic_year=year), title="Work Group delivery")
    sla = SLAFactory(starts_on=start, ends_on=year.ends_on)
    staff = StaffFactory(email="office@example.org", roles=[Role.HUB_STAFF])
    page = _sign_in(browser, browser_context_args, live_server, staff, "/staff/governance/board/")

    page.get_by_role("heading", name="Strategic Board members and terms").wait_for()
    axe(page)
    _fits(page)
    page.get_by_role("link", name="Appoint a board member").click()
    page.get_by_label("Full name").fill("Nell Fictional")
    page.get_by_label("Organisation they represent").fill("Fictional Primary")
    page.get_by_role("group", name="Are they independent of the Lead School?").get_by_label(
        "Yes"
    ).check()
    _fill_date(page, "Date their term starts", start)
    _fill_date(page, "Date their term ends", start - timedelta(days=1))
    page.get_by_role("button", name="Appoint").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.title().startswith("Error: ")
    axe(page)
    _fits(page)
    _fill_date(page, "Date their term ends", date(start.year + 3, 8, 31))
    page.get_by_role("button", name="Appoint").click()
    page.get_by_text("Nell Fictional appointed to the board.").wait_for()

    page.get_by_role("link", name="End Nell Fictional's term", exact=True).click()
    page.get_by_role(
        "heading", name="Are you sure you want to end Nell Fictional's term?"
    ).wait_for()
    axe(page)
    _fits(page)
    _fill_date(page, "New end date", today)
    page.get_by_role("button", name="Yes, end the term").click()
    page.get_by_text("Nell Fictional's term ends on").wait_for()
    assert BoardMember.objects.get(name="Nell Fictional").term_ends_on == today

    page.goto(f"{live_server.url}/staff/governance/llme/")
    page.get_by_role("link", name=f"End early {sla.leader.name}'s SLA").click()
    axe(page)
    _fits(page)
    _fill_date(page, "New end date", today)
    page.get_by_role("button", name="Yes, end the SLA").click()
    page.get_by_text("The SLA ends on").wait_for()
    assert "Terminated" in page.get_by_role("row", name=sla.leader.name).inner_text()

    page.goto(f"{live_server.url}/staff/governance/finance/?year={year.pk}")
    page.get_by_role("link", name="Record actual spend for a month").click()
    axe(page)
    _fits(page)
    page.get_by_label("Month").select_option(start.isoformat())
    page.get_by_label("Actual spend").fill("812.50")
    page.get_by_role("button", name="Record the spend").click()
    page.get_by_text(f"Actual spend for {start:%B %Y} recorded.").wait_for()
    assert MonthlySpend.objects.get().actual == Decimal("812.50")
    table = page.get_by_role("table", name="Actual spend by month", exact=True)
    assert "£812.50" in table.inner_text()
    # The month-by-month chart's figures show the actual beside the forecast.
    chart = page.get_by_role("table", name="Forecast against actual spend by month: the figures")
    september = chart.get_by_role("row", name=f"{start:%B %Y}").inner_text()
    assert "£812" in september and "none yet" not in september
    axe(page)
    _fits(page)


def test_chair_agrees_notes_on_the_day_they_did_at_375px(
    live_server, browser, browser_context_args, axe, settings, tmp_path
):
    """The Chair agrees a March meeting's notes in a later month: the page asks the date they
    agreed them, refuses one before the meeting, and records the one given."""
    from governance import services
    from governance.models import BoardMeeting
    from hubops.roles import Role
    from tests.factories import HubFactory, StaffFactory
    from tests.governance.factories import AcademicYearFactory, BoardMemberFactory

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    HubFactory()
    year = AcademicYearFactory()
    members = [BoardMemberFactory(is_chair=i == 0) for i in range(4)]
    office = StaffFactory(email="office@example.org", roles=[Role.HUB_STAFF])
    sll = StaffFactory(email="sll@example.org", roles=[Role.SLL])
    chair = StaffFactory(email="chair@example.org", roles=[Role.BOARD_CHAIR])
    meeting = services.meeting_schedule(
        academic_year_id=year.pk,
        today=date(2025, 9, 1),
        term="spring",
        held_on=date(2026, 3, 12),
        actor=office,
    )
    pk, before, after = meeting.pk, date(2026, 3, 1), date(2026, 3, 20)
    services.meeting_draft_agenda(meeting_id=pk, actor=sll, today=before, agenda="1. Plan")
    services.meeting_agree_agenda(meeting_id=pk, actor=chair, today=before)
    services.meeting_record_attendance(
        meeting_id=pk, actor=office, today=after, present_ids={m.pk for m in members}
    )
    services.meeting_draft_notes(meeting_id=pk, actor=office, today=after, notes="Reviewed.")

    page = _sign_in(
        browser, browser_context_args, live_server, chair, f"/staff/governance/meetings/{pk}/"
    )
    page.get_by_role("heading", name="Notes", exact=True).wait_for()
    axe(page)
    _fits(page)
    _fill_date(page, "Date you agreed the notes", date(2026, 3, 11))
    page.get_by_role("button", name="Agree the notes").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "before the meeting on 12 March 2026" in page.inner_text("main")
    axe(page)
    _fill_date(page, "Date you agreed the notes", date(2026, 3, 23))
    page.get_by_role("button", name="Agree the notes").click()
    page.get_by_text("You agreed the notes.").wait_for()
    assert "On 23 March 2026" in page.inner_text("#main-content, main")
    assert BoardMeeting.objects.get(pk=pk).notes_chair_agreed_on == date(2026, 3, 23)
