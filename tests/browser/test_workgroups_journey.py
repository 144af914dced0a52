"""Teachers find a Work Group, register as a pair from one school, another school meets the
waiting list and gets the offer when a place frees, and a lead marks attendance. axe-core runs
on every page visited."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.browser.twice import deliver_posts_twice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_pair_registration_waiting_list_and_register(
    live_server, browser, browser_context_args, axe
):
    from hubops.roles import Role
    from tests.factories import HubFactory, SchoolFactory, UserFactory
    from workgroups.models import Project, Recruitment, Registration, Session, WorkGroup

    HubFactory()
    school_a = SchoolFactory(name="Fictional Meadow Primary School")
    school_b = SchoolFactory(name="Fictional Brook Primary School")
    lead = UserFactory(full_name="Robin Fictional-Lead", roles=[Role.WORK_GROUP_LEAD])
    teacher = UserFactory(full_name="Alex Fictional", email="alex@example.org")
    colleague = UserFactory(full_name="Jo Fictional", email="jo@example.org")
    other = UserFactory(full_name="Sam Fictional", email="sam@example.org")
    project = Project.objects.create(code="NCP 25-07", title="Fictional Mastery", kind="ncp")
    group = WorkGroup.objects.create(
        code="WG-25-01",
        title="Fictional Fractions Work Group",
        project=project,
        phases=",primary,",
        audience=",teachers,",
        capacity_schools=1,
        recruitment=Recruitment.OPEN,
        status="published",
        venue="Fictional Hall",
    )
    group.leads.add(lead)
    start = timezone.now().replace(microsecond=0) + timedelta(days=10)
    for i in range(3):
        Session.objects.create(
            work_group=group,
            starts_at=start + timedelta(weeks=i),
            ends_at=start + timedelta(weeks=i, hours=1),
        )

    # A teacher finds the group and registers.
    ctx = browser.new_context(**{**browser_context_args, "bypass_csp": True})
    sign_in(ctx, live_server, teacher)
    page = ctx.new_page()
    page.goto(f"{live_server.url}/workgroups/")
    axe(page)
    page.get_by_role("link", name="Fictional Fractions Work Group").click()
    page.get_by_role("heading", name="Fictional Fractions Work Group").wait_for()
    axe(page)
    page.get_by_role("button", name="Register").click()
    axe(page)
    # An empty search: one error, in the summary, which takes focus; "Error: " in the title.
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    page.wait_for_load_state()  # hub.js (deferred) has run
    assert page.evaluate("document.activeElement.classList.contains('hub-error-summary')")
    assert page.title().startswith("Error: ")
    assert page.get_by_role("link", name="Enter your school's name or URN.").count() == 1
    assert page.get_by_text("No open school matches that").count() == 0
    axe(page)
    page.get_by_role("link", name="Enter your school's name or URN.").click()
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.get_by_label("Your school's name or URN").fill("Meadow")
    page.get_by_role("button", name="Search").click()
    page.get_by_label(re.compile("Fictional Meadow Primary School")).check()
    axe(page)
    page.get_by_role("button", name="Continue").click()
    axe(page)
    page.get_by_label("Your role at the school").fill("Maths lead")
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before registering").wait_for()
    axe(page)
    # Double-clicked, and the POST reaching the server twice: one registration, shown once.
    sends = deliver_posts_twice(page, "**/register/check/")
    page.get_by_role("button", name="Register").dblclick()
    page.get_by_role("heading", name="Registration received").wait_for()
    page.unroute("**/register/check/")
    # The double click sends one POST, or two when the second click lands before the page
    # moves on; each reached the server twice, and every copy was answered with a redirect.
    assert len(sends) in (2, 4) and set(sends) == {302}, sends
    axe(page)
    reference = Registration.objects.get(user=teacher).reference
    assert reference in page.content()
    assert any(reference in m.subject for m in mail.outbox)

    # They invite a colleague, who takes the school's second place.
    page.get_by_label("Your colleague's email address").fill("jo@example.org")
    page.get_by_role("button", name="Send invitation").click()
    axe(page)
    invite = next(m for m in mail.outbox if m.to == ["jo@example.org"])
    link = re.search(r"/workgroups/invitations/[\w-]+/", invite.body).group(0)
    ctx2 = browser.new_context(**{**browser_context_args, "bypass_csp": True})
    sign_in(ctx2, live_server, colleague)
    page2 = ctx2.new_page()
    page2.goto(live_server.url + link)
    page2.get_by_label("Your role at the school").fill("Class teacher")
    axe(page2)
    page2.get_by_label(re.compile("I have read the privacy notice")).check()
    page2.get_by_role("button", name="Continue").click()
    page2.get_by_role("button", name="Register").click()
    page2.get_by_role("heading", name="Registration received").wait_for()
    axe(page2)
    assert Registration.objects.filter(school=school_a, status="confirmed").count() == 2

    # Another school meets the waiting list.
    ctx3 = browser.new_context(**{**browser_context_args, "bypass_csp": True})
    sign_in(ctx3, live_server, other)
    page3 = ctx3.new_page()
    page3.goto(f"{live_server.url}/workgroups/WG-25-01/")
    page3.get_by_role("button", name="Join the waiting list").click()
    page3.get_by_label("Your school's name or URN").fill(str(school_b.urn))
    page3.get_by_role("button", name="Search").click()
    page3.get_by_label(re.compile("Fictional Brook Primary School")).check()
    page3.get_by_role("button", name="Continue").click()
    page3.get_by_label("Your role at the school").fill("Teacher")
    page3.get_by_label(re.compile("I have read the privacy notice")).check()
    page3.get_by_role("button", name="Continue").click()
    page3.get_by_role("button", name="Register").click()
    page3.get_by_role("heading", name="You are on the waiting list").wait_for()
    axe(page3)

    # School A withdraws both people on My Work Groups, each asked first; school B is offered
    # the place once neither holds it.
    for p, name in ((page, "Alex Fictional"), (page2, "Jo Fictional")):
        p.goto(f"{live_server.url}/workgroups/mine/")
        axe(p)
        p.get_by_role("link", name="Withdraw from WG-25-01").click()
        p.get_by_role(
            "heading", name="Are you sure you want to withdraw from Fictional Fractions Work Group?"
        ).wait_for()
        assert "goes to the next school on the waiting list" in p.content()
        axe(p)  # the confirmation page, public: also checked for reflow at 320 px
        reg = Registration.objects.get(full_name=name)
        assert reg.status == "confirmed", "opening the question withdraws nothing"
        # "No, go back" leaves the place alone.
        p.get_by_role("link", name="No, go back to My Work Groups").click()
        p.get_by_role("heading", name="My Work Groups").wait_for()
        p.get_by_role("link", name="Withdraw from WG-25-01").click()
        # Double-clicked, each POST reaching the server twice: one withdrawal, one email, and
        # the person is told they have withdrawn (not that the move is refused).
        sends = deliver_posts_twice(p, "**/withdraw/")
        p.get_by_role("button", name="Yes, withdraw").dblclick()
        p.get_by_text("You have withdrawn from WG-25-01.").first.wait_for()
        p.unroute("**/withdraw/")
        assert len(sends) in (2, 4) and set(sends) == {302}, sends
        assert "not possible now" not in p.content()
        assert Registration.objects.get(pk=reg.pk).status == "withdrawn"
        withdrawn = [m for m in mail.outbox if m.to == [reg.email] and "withdrawn" in m.subject]
        assert len(withdrawn) == 1
        assert p.get_by_role("link", name="Withdraw from WG-25-01").count() == 0
        axe(p)
    assert any(m.to == ["sam@example.org"] and "place is free" in m.subject for m in mail.outbox)
    page3.goto(f"{live_server.url}/workgroups/mine/")
    axe(page3)
    # Accepted with a double click that reaches the server twice: accepted once, and the
    # person is told so (not "this offer is no longer open").
    sends = deliver_posts_twice(page3, "**/accept/")
    page3.get_by_role("button", name="Accept the place in WG-25-01").dblclick()
    page3.get_by_text("You have accepted the place in WG-25-01.").first.wait_for()
    page3.unroute("**/accept/")
    assert len(sends) in (2, 4) and set(sends) == {302}, sends
    assert "no longer open" not in page3.content()
    axe(page3)

    # The first session takes place; then the lead marks its register on one page.
    first = group.sessions.order_by("starts_at").first()
    Session.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    ctx4 = browser.new_context(**{**browser_context_args, "bypass_csp": True})
    sign_in(ctx4, live_server, lead)
    page4 = ctx4.new_page()
    page4.goto(f"{live_server.url}/staff/workgroups/")
    axe(page4)
    page4.get_by_role("link", name=re.compile("WG-25-01")).click()
    axe(page4)
    page4.get_by_role("link", name=re.compile("Take the register")).first.click()
    axe(page4)
    page4.get_by_role("group", name=re.compile("Sam Fictional")).get_by_label("Present").check()
    page4.get_by_role("button", name="Save the register").click()
    page4.get_by_text(re.compile("The register for .* is saved")).wait_for()
    axe(page4)
    reg = Registration.objects.get(user=other)
    assert reg.attendance.get().status == "present"
    for c in (ctx, ctx2, ctx3, ctx4):
        c.close()
    assert isinstance(start, datetime)


def _fits(page, width: int = 375) -> None:
    """A staff page at a phone's width does not scroll sideways (tables scroll in their own
    region)."""
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide} px wide at {width} px"


def test_hub_staff_set_up_run_and_cancel_a_group_without_the_admin(
    live_server, browser, browser_context_args, axe
):
    """Create a Work Group in sections, give it its Lead and three sessions, publish it (the
    machine's button), cancel a session with the reason mailed, withdraw a participant and
    cancel the group, each destructive move after an "Are you sure?" page; at 375 px."""
    from hubops.roles import Role
    from tests.factories import HubFactory, SchoolFactory, UserFactory
    from workgroups import services
    from workgroups.models import GroupStatus, Project, Registration, WorkGroup

    HubFactory()
    school = SchoolFactory(name="Fictional Willow Primary School")
    UserFactory(full_name="Robin Fictional-Lead", roles=[Role.WORK_GROUP_LEAD])
    staff = UserFactory(full_name="Kit Fictional-Staff", roles=[Role.HUB_STAFF])
    Project.objects.create(code="NCP 26-01", title="Fictional Mastery", kind="ncp")
    ctx = browser.new_context(**{**browser_context_args, "viewport": {"width": 375, "height": 800}})
    sign_in(ctx, live_server, staff)
    page = ctx.new_page()
    page.goto(f"{live_server.url}/staff/workgroups/")
    page.get_by_role("button", name="Create a Work Group").click()
    page.get_by_role("heading", name="Create a Work Group").wait_for()
    page.get_by_role("heading", name="Places and who can join").wait_for()
    axe(page)
    _fits(page)
    # Sent empty: the errors are summarised and the title says so.
    page.get_by_role("button", name="Save the Work Group").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.title().startswith("Error: ")
    assert page.get_by_role("link", name="Enter the group's code").count() == 1
    axe(page)
    page.get_by_label("Code", exact=True).fill("WG-26-01")
    page.get_by_label("Title", exact=True).fill("Fictional Place Value Work Group")
    page.get_by_label("Project", exact=True).select_option(label="NCP 26-01: Fictional Mastery")
    page.get_by_role("group", name="Phases").get_by_label("Primary").check()
    page.get_by_role("group", name="Who is it for?").get_by_label("Teachers").check()
    page.get_by_label("In person").check()
    page.get_by_label("Places, in schools").fill("4")
    page.get_by_label("Open to any school").check()
    page.get_by_role("group", name="Registration closes").get_by_label("Day").fill("30")
    page.get_by_role("group", name="Registration closes").get_by_label("Month").fill("9")
    page.get_by_role("group", name="Registration closes").get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save the Work Group").click()
    page.get_by_text("WG-26-01 is saved.").wait_for()
    group = WorkGroup.objects.get(code="WG-26-01")
    assert group.status == GroupStatus.DRAFT and group.phases == ",primary,"
    axe(page)
    _fits(page)
    # Not publishable yet: no button offers it.
    assert page.get_by_role("button", name="Publish").count() == 0

    page.get_by_role("link", name="Change the Lead").click()
    axe(page)
    _fits(page)
    page.get_by_label(re.compile("Robin Fictional-Lead")).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The Work Group Lead is saved.").wait_for()

    first_day = timezone.localdate() + timedelta(days=14)
    for n in range(3):
        day = first_day + timedelta(weeks=n)
        page.get_by_role("button", name="Add a session").click()
        if n == 0:
            axe(page)
            _fits(page)
        page.get_by_label("Day").fill(str(day.day))
        page.get_by_label("Month").fill(str(day.month))
        page.get_by_label("Year").fill(str(day.year))
        page.get_by_label("Start time").fill("15:45")
        page.get_by_label("End time").fill("17:15")
        page.get_by_label("Venue", exact=True).fill("Fictional Hall")
        page.get_by_role("button", name="Save session").click()
        page.get_by_text("The session is saved.").wait_for()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The group is now published.").wait_for()
    axe(page)
    _fits(page)

    reg = services.registration_add(
        group_id=group.pk,
        actor=None,
        school_id=school.pk,
        full_name="Alex Fictional",
        email="alex@example.org",
    )
    page.reload()
    mail.outbox.clear()
    # Change a session's place: checked first, then the participant is emailed.
    page.get_by_role("link", name=re.compile("^Change the session on")).first.click()
    page.get_by_label("Venue", exact=True).fill("Fictional Annexe")
    page.get_by_role("button", name="Save session").click()
    page.get_by_role("heading", name="Check the change before participants are emailed").wait_for()
    assert not mail.outbox
    axe(page)
    _fits(page)
    page.get_by_role("button", name="Save and email participants").click()
    page.get_by_text("The session is saved.").wait_for()
    assert "Fictional Annexe" in mail.outbox[-1].body
    mail.outbox.clear()
    # Cancel a session: are you sure, and why? The reason reaches the participant.
    page.get_by_role("link", name=re.compile("^Cancel the session on")).first.click()
    page.get_by_role("heading", name=re.compile("Are you sure you want to cancel")).wait_for()
    axe(page)
    _fits(page)
    page.get_by_role("button", name="Yes, cancel the session").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.title().startswith("Error: ") and not mail.outbox
    page.get_by_label("Why is the session cancelled?").fill("The hall is flooded.")
    page.get_by_role("button", name="Yes, cancel the session").click()
    page.get_by_text("The session is cancelled and participants have been emailed.").wait_for()
    assert mail.outbox[-1].to == ["alex@example.org"]
    assert "The hall is flooded." in mail.outbox[-1].body

    # Withdraw the participant, after an "Are you sure?".
    page.get_by_role("link", name="Withdraw Alex Fictional").click()
    page.get_by_role("heading", name="Are you sure you want to withdraw Alex Fictional?").wait_for()
    axe(page)
    _fits(page)
    page.get_by_role("button", name="Yes, withdraw").click()
    page.get_by_text("Alex Fictional is withdrawn.").wait_for()
    assert Registration.objects.get(pk=reg.pk).status == "withdrawn"

    # Cancel the group, after an "Are you sure?".
    page.get_by_role("button", name="Cancel the group").click()
    page.get_by_role("heading", name="Are you sure you want to cancel WG-26-01?").wait_for()
    axe(page)
    _fits(page)
    page.get_by_role("button", name="Yes, cancel the group").click()
    page.get_by_text("WG-26-01 is cancelled.").wait_for()
    group.refresh_from_db()
    assert group.status == GroupStatus.CANCELLED
    assert page.get_by_role("button", name="Publish").count() == 0
    ctx.close()


def test_hub_staff_add_an_inset_day_on_the_term_dates_page(
    live_server, browser, browser_context_args, axe
):
    """Term dates without the admin: the INSET day added on the page stops being a school day
    (so every deadline counts past it); removing it asks first. At 375 px."""
    from datetime import date

    from hubops.models import AcademicYear, CalendarPeriod
    from hubops.roles import Role
    from hubops.selectors import school_calendar
    from tests.factories import HubFactory, UserFactory

    HubFactory()
    year = AcademicYear.objects.create(
        name="2026/27", starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31)
    )
    CalendarPeriod.objects.create(
        academic_year=year,
        kind="term",
        name="Autumn term",
        starts_on=date(2026, 9, 2),
        ends_on=date(2026, 12, 18),
    )
    staff = UserFactory(full_name="Kit Fictional-Staff", roles=[Role.HUB_STAFF])
    ctx = browser.new_context(**{**browser_context_args, "viewport": {"width": 375, "height": 800}})
    sign_in(ctx, live_server, staff)
    page = ctx.new_page()
    page.goto(f"{live_server.url}/staff/workgroups/")
    page.get_by_role("link", name="Term dates and INSET days").click()
    page.get_by_role("heading", name="Term dates").wait_for()
    axe(page)
    _fits(page)
    page.get_by_role("button", name="Add dates to 2026/27").click()
    axe(page)
    _fits(page)
    page.get_by_label("Closure (e.g. training day)").check()
    page.get_by_label("Name").fill("INSET day")
    for legend in ("First day", "Last day"):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill("6")
        group.get_by_label("Month").fill("11")
        group.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("INSET day is saved.").wait_for()
    assert not school_calendar().is_school_day(date(2026, 11, 6))
    axe(page)
    page.get_by_role("link", name="Remove INSET day, 6 November 2026").click()
    page.get_by_role("heading", name=re.compile("Are you sure you want to remove INSET")).wait_for()
    axe(page)
    _fits(page)
    page.get_by_role("button", name="Yes, remove them").click()
    page.get_by_text("INSET day is removed.").wait_for()
    assert school_calendar().is_school_day(date(2026, 11, 6))
    ctx.close()
