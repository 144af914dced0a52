"""A day at the staff home, for several roles: sign in, open the home, act on the first thing
due, come back and see it gone from the list. axe-core runs on every page visited, and the
home is checked at a phone's 375 px for sideways scrolling."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, browser_context_args, live_server, email, *, width=1024):
    from tests.factories import PASSWORD

    ctx = browser.new_context(
        **{**browser_context_args, "viewport": {"width": width, "height": 900}}
    )
    page = ctx.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Your work", level=1).wait_for()
    return page


def due_links(page) -> list[str]:
    return page.locator(".hub-due-list__what a").all_inner_texts()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def world(db, settings, tmp_path):
    from allauth.account.models import EmailAddress

    from complaints import services as complaint_services
    from complaints.models import Complaint, Status
    from hubops.models import AcademicYear, CalendarPeriod, PeriodKind
    from hubops.roles import Role
    from reports import services as report_services
    from tests.factories import HubFactory, SchoolFactory, StaffFactory
    from workgroups.models import (
        GroupStatus,
        Project,
        ProjectKind,
        Recruitment,
        Registration,
        RegStatus,
        Session,
        WorkGroup,
    )

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    HubFactory()
    today = timezone.localdate()
    start = (
        today.replace(month=9, day=1)
        if today.month >= 9
        else today.replace(year=today.year - 1, month=9, day=1)
    )
    year = AcademicYear.objects.create(
        name=f"{start.year}/{(start.year + 1) % 100:02d}",
        starts_on=start,
        ends_on=start.replace(year=start.year + 1, month=8, day=31),
    )
    CalendarPeriod.objects.create(
        academic_year=year,
        kind=PeriodKind.TERM,
        name="Year",
        starts_on=start,
        ends_on=year.ends_on,
    )
    people = {
        "handler": StaffFactory(
            email="handler@example.org",
            full_name="Harper Fictional",
            roles=[Role.COMPLAINTS_HANDLER],
        ),
        "lead": StaffFactory(
            email="lead@example.org",
            full_name="Robin Fictional-Lead",
            roles=[Role.WORK_GROUP_LEAD],
        ),
        "dpo": StaffFactory(
            email="dpo@example.org",
            full_name="Pat Fictional-DPO",
            roles=[Role.DATA_PROTECTION_LEAD],
        ),
        "mhl": StaffFactory(email="mhl@example.org", full_name="Sam Fictional", roles=[Role.MHL]),
        "sll": StaffFactory(
            email="sll@example.org", full_name="Alex Fictional-Link", roles=[Role.SLL]
        ),
        "staff": StaffFactory(
            email="staff@example.org", full_name="Casey Fictional", roles=[Role.HUB_STAFF]
        ),
    }
    for user in people.values():
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    complaint_services.ensure_letter_templates()
    complaint = Complaint.objects.create(
        reference="CMP-JOURNEY1",
        status=Status.FORMAL,
        full_name="Jordan Fictional",
        email="jordan@example.org",
        received_on=today - timedelta(days=2),
        formal_on=today - timedelta(days=2),
        clock_starts_on=today - timedelta(days=2),
        ack_due_on=today - timedelta(days=1),  # missed: it leads the list
        response_due_on=today + timedelta(days=26),
    )

    project = Project.objects.create(
        code="NCP J", title="Fictional", kind=ProjectKind.NCP, academic_year=year
    )
    group = WorkGroup.objects.create(
        code="WG-J",
        title="Fictional Journeys",
        project=project,
        phases=",primary,",
        audience=",teachers,",
        capacity_schools=4,
        recruitment=Recruitment.OPEN,
        status=GroupStatus.RUNNING,
    )
    group.leads.add(people["lead"])
    tz = timezone.get_current_timezone()
    began = datetime.combine(today - timedelta(days=3), time(15, 45), tz)
    session = Session.objects.create(
        work_group=group, starts_at=began, ends_at=began + timedelta(hours=1)
    )
    for i in range(2):
        Registration.objects.create(
            work_group=group,
            school=SchoolFactory(),
            full_name=f"Teacher Fictional{i}",
            email=f"t{i}@example.org",
            role_at_school="Teacher",
            status=RegStatus.CONFIRMED,
        )

    from privacy import services as privacy_services

    request = privacy_services.create_request(
        kind="access",
        full_name="Quinn Fictional",
        email="quinn@example.org",
        received_on=today - timedelta(days=1),
    )

    from tests.reports.conftest import make_running_group

    make_running_group(year, schools=3, capacity=6)
    report = report_services.create_report(
        kind="progress", year=year, actor=people["staff"], period="Autumn term"
    )
    report_services.save_narrative(
        report.pk,
        actor=people["staff"],
        narrative={"delivery": "Groups ran as planned.", "issues": "None this term."},
    )
    report_services.move(report.pk, "submit", actor=people["staff"])
    report_services.move(report.pk, "mhl_approve", actor=people["mhl"])
    return {
        **people,
        "complaint": complaint,
        "session": session,
        "request": request,
        "report": report,
    }


def test_the_complaints_handler_acknowledges_the_missed_one_and_it_leaves_the_list(
    live_server, browser, browser_context_args, axe, world
):
    page = sign_in(browser, browser_context_args, live_server, world["handler"].email)
    axe(page)
    assert page.get_by_role("heading", name="Overdue (1)").is_visible()
    first = due_links(page)[0]
    assert first == "Acknowledge: complaint CMP-JOURNEY1"
    page.get_by_role("link", name=first).click()
    page.get_by_role("heading", name="Next step").wait_for()
    axe(page)
    page.get_by_role("button", name="Send acknowledgement").click()
    page.get_by_text("Acknowledgement letter sent.").wait_for()
    axe(page)
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("heading", name="Your work", level=1).wait_for()
    links = due_links(page)
    assert first not in links
    assert "Respond: complaint CMP-JOURNEY1" in links
    axe(page)


def test_the_work_group_lead_takes_the_register_and_it_leaves_the_list(
    live_server, browser, browser_context_args, axe, world
):
    page = sign_in(browser, browser_context_args, live_server, world["lead"].email, width=375)
    axe(page)
    assert no_sideways_scroll(page)
    first = due_links(page)[0]
    assert first.startswith("Take the register: WG-J")
    page.get_by_role("link", name=first).click()
    page.get_by_role("heading", name="Register for").wait_for()
    axe(page)
    assert no_sideways_scroll(page)
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("Present").check()
    page.get_by_role("button", name="Save the register").click()
    page.get_by_text("is saved").wait_for()
    axe(page)
    assert no_sideways_scroll(page)
    page.goto(f"{live_server.url}/staff/")
    assert first not in due_links(page)
    assert not page.get_by_text("Take the register").count()


def test_the_data_protection_lead_checks_identity_and_the_request_moves_on(
    live_server, browser, browser_context_args, axe, world
):
    page = sign_in(browser, browser_context_args, live_server, world["dpo"].email)
    axe(page)
    ref = world["request"].reference
    links = due_links(page)
    first = f"Check identity: {ref} (get a copy of my data)"
    # Due today, beside the backup warning: this hub has never been backed up.
    assert first in links and "Put the backups right: There is no backup yet." in links
    page.get_by_role("link", name=first).click()
    axe(page)
    page.get_by_role("button", name="I have confirmed their identity").click()
    page.wait_for_load_state()
    axe(page)
    page.goto(f"{live_server.url}/staff/")
    links = due_links(page)
    assert first not in links
    assert f"Answer the request: {ref} (get a copy of my data)" in links


def test_the_sll_signs_off_the_report_and_it_leaves_the_list(
    live_server, browser, browser_context_args, axe, world
):
    from tests.factories import PASSWORD

    page = sign_in(browser, browser_context_args, live_server, world["sll"].email)
    axe(page)
    first = f"Sign off: {world['report'].title}"
    assert first in due_links(page)
    page.get_by_role("link", name=first).click()
    page.get_by_role("heading", name=world["report"].title).wait_for()
    axe(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign off and issue").click()
    page.get_by_text("Done: sign off and issue.").wait_for()
    axe(page)
    page.goto(f"{live_server.url}/staff/")
    assert first not in due_links(page)
    page.get_by_role("link", name="Search people, schools, registrations and complaints").click()
    page.get_by_label(
        "Search people, schools (name or URN), registrations and complaints (reference)"
    ).fill("CMP-JOURNEY1")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="CMP-JOURNEY1: Jordan Fictional").wait_for()  # SLL oversight
    axe(page)
