"""The staff workspace at /staff/: each role's home shows what is due for that person, soonest
first, with school days left; counts and links only to pages the role can open; the staff
search is scoped the same way; the query count does not grow with the data."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from complaints.models import Complaint, Status
from hubops.calendar import SchoolCalendar
from hubops.models import AcademicYear, CalendarPeriod, PeriodKind, User
from hubops.ports import DUE_LIMIT
from hubops.roles import Role
from hubops.selectors import school_days_left
from privacy.models import Breach, DataRequest
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

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False


def main_of(response) -> str:
    html = response.content.decode()
    return html.split('id="main-content"', 1)[1].split("</main>", 1)[0]


def due_titles(response) -> list[str]:
    return re.findall(
        r'hub-due-list__what"><a class="hub-link" href="[^"]*">([^<]+)</a>', main_of(response)
    )


def links_of(response) -> list[str]:
    return [h for h in re.findall(r'href="([^"]+)"', main_of(response)) if h.startswith("/")]


# -- school days left -------------------------------------------------------------------------


def test_school_days_left_counts_school_days_and_overdue_is_negative():
    cal = SchoolCalendar(terms=((date(2026, 1, 5), date(2026, 2, 13)),))
    monday = date(2026, 1, 12)
    assert school_days_left(cal, monday, monday) == 0
    assert school_days_left(cal, monday, date(2026, 1, 16)) == 4  # Tue..Fri
    assert school_days_left(cal, monday, date(2026, 1, 19)) == 5  # the weekend does not count
    assert school_days_left(cal, monday, date(2026, 1, 9)) == -1
    assert school_days_left(cal, date(2026, 1, 19), date(2026, 1, 12)) == -5


# -- one home per role ------------------------------------------------------------------------


@pytest.fixture
def year(db):
    today = timezone.localdate()
    start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    year = AcademicYear.objects.create(
        name=f"{start.year}/{start.year + 1 - 2000}",
        starts_on=start,
        ends_on=date(start.year + 1, 8, 31),
    )
    # One long term, so every weekday that is not a bank holiday is a school day.
    CalendarPeriod.objects.create(
        academic_year=year,
        kind=PeriodKind.TERM,
        name="Whole year",
        starts_on=start,
        ends_on=year.ends_on,
    )
    return year


def make_complaint(n: int, today: date, **kw) -> Complaint:
    fields = {
        "status": Status.FORMAL,
        "full_name": f"Casey Fictional{n}",
        "email": f"casey{n}@example.org",
        "received_on": today - timedelta(days=3),
        "formal_on": today - timedelta(days=3),
        "ack_due_on": today + timedelta(days=2),
        "response_due_on": today + timedelta(days=25),
        "reference": f"CMP-T{n:04d}",
    }
    fields.update(kw)
    return Complaint.objects.create(**fields)


def make_group(year, code: str, lead=None, *, sessions_from: int = -3) -> WorkGroup:
    project, _ = Project.objects.get_or_create(
        code="NCP T",
        defaults={"title": "Fictional", "kind": ProjectKind.NCP, "academic_year": year},
    )
    group = WorkGroup.objects.create(
        code=code,
        title=f"Fictional group {code}",
        project=project,
        phases=",primary,",
        audience=",teachers,",
        capacity_schools=8,
        recruitment=Recruitment.OPEN,
        status=GroupStatus.RUNNING,
    )
    if lead:
        group.leads.add(lead)
    tz = timezone.get_current_timezone()
    for days in (sessions_from, 3):
        start = datetime.combine(timezone.localdate() + timedelta(days=days), time(15, 45), tz)
        Session.objects.create(
            work_group=group, starts_at=start, ends_at=start + timedelta(hours=1)
        )
    return group


def make_rows(n: int, year, lead, *, start: int = 0) -> None:
    """``n`` of everything the home lists (numbered from ``start``)."""
    today = timezone.localdate()
    now = timezone.now()
    for i in range(start, start + n):
        make_complaint(i, today)
        DataRequest.objects.create(
            reference=f"DSR-T{i}",
            kind="access",
            full_name=f"Quinn Fictional{i}",
            email=f"quinn{i}@example.org",
            received_on=today,
            due_on=today + timedelta(days=30),
            status="open",
            verification_token=f"token-{i}",
        )
        Breach.objects.create(
            reference=f"BR-T{i}",
            found_at=now - timedelta(hours=5),
            ico_deadline=now + timedelta(hours=67),
            what_happened="A fictional email to the wrong list.",
            data_categories="names",
            people_count=1,
            records_count=1,
            likely_consequences="Low",
            measures_taken="Recalled",
        )
        group = make_group(year, f"WG-T{i}", lead)
        Registration.objects.create(
            work_group=group,
            school=SchoolFactory(),
            full_name=f"Teacher Fictional{i}",
            email=f"teacher{i}@example.org",
            role_at_school="Teacher",
            status=RegStatus.CONFIRMED,
        )
        Registration.objects.create(
            work_group=group,
            school=SchoolFactory(),
            full_name=f"Offered Fictional{i}",
            role_at_school="Teacher",
            status=RegStatus.OFFERED,
            offer_expires_on=today + timedelta(days=2),
        )


@pytest.fixture
def people(db):
    HubFactory()
    return {
        "handler": StaffFactory(full_name="Jo Fictional-Handler", roles=[Role.COMPLAINTS_HANDLER]),
        "dpo": StaffFactory(full_name="Pat Fictional-DPO", roles=[Role.DATA_PROTECTION_LEAD]),
        "lead": StaffFactory(full_name="Robin Fictional-Lead", roles=[Role.WORK_GROUP_LEAD]),
        "other_lead": StaffFactory(full_name="Lee Fictional-Lead", roles=[Role.WORK_GROUP_LEAD]),
        "admin": StaffFactory(full_name="Ari Fictional-Admin", is_superuser=True),
    }


def test_each_role_sees_its_own_due_items_soonest_first(client, people, year):
    today = timezone.localdate()
    make_complaint(1, today, ack_due_on=today + timedelta(days=6))
    make_complaint(2, today, ack_due_on=today - timedelta(days=2))  # missed
    make_rows(1, year, people["lead"])
    other = make_group(year, "WG-OTHER", people["other_lead"])

    client.force_login(people["handler"])
    response = client.get("/staff/")
    assert response.status_code == 200
    titles = due_titles(response)
    assert titles[0] == "Acknowledge: complaint CMP-T0002"  # the overdue one leads
    assert "Overdue (1)" in main_of(response)
    assert "Acknowledge: complaint CMP-T0001" in titles
    assert not any("breach" in t or "register" in t.lower() for t in titles)
    assert "school days left" in main_of(response) or "school day left" in main_of(response)

    client.force_login(people["dpo"])
    titles = due_titles(client.get("/staff/"))
    assert "Tell the ICO, or record why not: breach BR-T0" in titles
    assert "Answer the request: DSR-T0 (get a copy of my data)" in titles
    assert not any("complaint" in t for t in titles)
    assert "hours left" in main_of(client.get("/staff/"))

    client.force_login(people["lead"])
    titles = due_titles(client.get("/staff/"))
    assert any(t.startswith("Take the register: WG-T0") for t in titles)
    assert any(t.startswith("Session: WG-T0") for t in titles)
    assert "Offer lapses: Offered Fictional0, WG-T0" in titles
    assert not any(other.code in t for t in titles)  # another lead's group


def count_of(response, label: str) -> int:
    found = re.search(rf'hub-counts__value">(\d+)</span> {label}<', main_of(response))
    assert found, label
    return int(found.group(1))


def test_a_leads_counts_are_of_their_own_groups_and_a_managers_of_every_group(client, people, year):
    make_rows(2, year, people["lead"])  # two groups, each with a teacher and an offer
    make_rows(1, year, people["other_lead"], start=10)
    client.force_login(people["lead"])
    assert count_of(client.get("/staff/"), "teachers holding a place") == 4
    client.force_login(people["other_lead"])
    assert count_of(client.get("/staff/"), "teachers holding a place") == 2
    client.force_login(people["admin"])
    assert count_of(client.get("/staff/"), "teachers holding a place") == 6


def test_the_first_due_item_leaves_the_list_once_done(client, people, year):
    today = timezone.localdate()
    c = make_complaint(1, today)
    client.force_login(people["handler"])
    assert "Acknowledge: complaint CMP-T0001" in due_titles(client.get("/staff/"))
    Complaint.objects.filter(pk=c.pk).update(acknowledged_on=today)
    titles = due_titles(client.get("/staff/"))
    assert "Acknowledge: complaint CMP-T0001" not in titles
    assert "Respond: complaint CMP-T0001" in titles


@pytest.mark.parametrize("role", list(Role))
def test_every_link_on_a_roles_home_opens(client, people, year, role):
    make_rows(1, year, people["lead"])
    user = StaffFactory(roles=[role])
    client.force_login(user)
    response = client.get("/staff/")
    assert response.status_code == 200
    links = links_of(response)
    assert links, "a home with nothing to open"
    for href in links:
        status = client.get(href.split("#")[0]).status_code
        assert status == 200, f"{role.label}: {href} answered {status}"


def test_query_count_does_not_grow_with_the_data(
    client, people, year, django_assert_max_num_queries
):
    client.force_login(people["admin"])
    make_rows(1, year, people["lead"])
    client.get("/staff/")  # warm the calendar cache
    with django_assert_max_num_queries(60) as one:
        assert len(due_titles(client.get("/staff/"))) >= 5
    make_rows(49, year, people["lead"], start=1000)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/staff/")
    # The page does not grow either: the soonest DUE_LIMIT of each area, then how many more
    # there are in each, linked to the area's own list.
    titles = due_titles(response)
    assert len([t for t in titles if t.startswith("Take the register")]) == DUE_LIMIT
    assert len([t for t in titles if "complaint CMP-T" in t]) == DUE_LIMIT
    assert len([t for t in titles if "DSR-T" in t or "breach BR-T" in t]) == DUE_LIMIT
    assert len(titles) <= 7 * DUE_LIMIT
    more = main_of(response).split('id="due-more"', 1)[1]
    for url, line in [
        ("/staff/workgroups/", "Work Groups: 150 due, 50 overdue"),  # session, register, offer
        ("/staff/complaints/", "Complaints: 100 due, 0 overdue"),  # acknowledge and respond
        ("/staff/privacy/", "Privacy: 100 due, 0 overdue"),  # a request and a breach
    ]:
        assert f'<a class="hub-link" href="{url}">{line}</a>' in more
    html = main_of(response)
    heading = re.search(r"Overdue \((\d+)\)", html)
    assert heading and int(heading.group(1)) >= 50  # every overdue register is counted


# -- search -----------------------------------------------------------------------------------


def test_search_finds_what_the_role_may_see_and_nothing_else(client, people, year):
    today = timezone.localdate()
    make_complaint(7, today)
    mine = make_group(year, "WG-MINE", people["lead"])
    theirs = make_group(year, "WG-THEIRS", people["other_lead"])
    school = SchoolFactory(name="Larkspur Fictional Primary", urn=990777)
    for group, name in ((mine, "Sam Fictional-Mine"), (theirs, "Sam Fictional-Theirs")):
        Registration.objects.create(
            work_group=group,
            school=school,
            full_name=name,
            role_at_school="Teacher",
            status=RegStatus.CONFIRMED,
        )

    client.force_login(people["lead"])
    page = main_of(client.get("/staff/search/", {"q": "Sam Fictional"}))
    assert "Sam Fictional-Mine" in page and "Sam Fictional-Theirs" not in page
    page = main_of(client.get("/staff/search/", {"q": "990777"}))
    assert "Larkspur Fictional Primary" in page  # the school, by URN
    assert "Sam Fictional-Mine" in page  # and the registration from it
    assert "0 results for" in main_of(client.get("/staff/search/", {"q": "CMP-T0007"}))

    client.force_login(people["handler"])
    page = main_of(client.get("/staff/search/", {"q": "cmp-t0007"}))
    assert "CMP-T0007: Casey Fictional7" in page
    assert "0 results for" in main_of(client.get("/staff/search/", {"q": "Sam Fictional"}))
    assert "Type at least 2 characters" in main_of(client.get("/staff/search/", {"q": "x"}))


# -- the demo ---------------------------------------------------------------------------------


def test_every_demo_roles_home_shows_real_items_and_every_link_opens(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    empty = []
    for user in User.objects.filter(email__endswith="@demo.hub.example", is_staff=True):
        client.force_login(user)
        response = client.get("/staff/")
        assert response.status_code == 200, user.email
        if not due_titles(response):
            empty.append(user.email)
        for href in links_of(response):
            status = client.get(href.split("#")[0]).status_code
            assert status == 200, f"{user.email}: {href} answered {status}"
    # Only the Lead School's head has nothing due (complaints about the SLL reach them rarely),
    # and the senior leader, who has work only while sitting on an appeal panel.
    assert empty == [
        "lead-school-head@demo.hub.example",
        "lead-school-senior-leader@demo.hub.example",
    ]


# -- whose move it is -------------------------------------------------------------------------


def test_board_and_report_moves_reach_only_the_person_who_makes_them(client, people, year):
    from governance.models import BoardMeeting, MeetingStatus
    from reports.models import Report

    today = timezone.localdate()
    BoardMeeting.objects.create(
        academic_year=year,
        term="extra",
        held_on=today - timedelta(days=3),
        status=MeetingStatus.NOTES_DRAFTED,
        notes="Fictional notes.",
    )
    staff = StaffFactory(roles=[Role.HUB_STAFF])
    mhl = StaffFactory(roles=[Role.MHL])
    sll = StaffFactory(roles=[Role.SLL])
    chair = StaffFactory(roles=[Role.BOARD_CHAIR])
    awaiting_qa = Report.objects.create(kind="progress", academic_year=year, title="Fictional QA")
    Report.objects.filter(pk=awaiting_qa.pk).update(status="submitted_for_qa")
    awaiting_sll = Report.objects.create(kind="annual", academic_year=year, title="Fictional SLL")
    Report.objects.filter(pk=awaiting_sll.pk).update(status="mhl_approved")

    def titles(user):
        client.force_login(user)
        return due_titles(client.get("/staff/"))

    notes = "Agree the notes: Strategic Board, Additional"
    assert any(t.startswith(notes) for t in titles(chair))
    assert any(t.startswith(notes) for t in titles(sll))
    assert not any(t.startswith(notes) for t in titles(staff))
    assert "Quality-assure: Fictional QA" in titles(mhl)
    assert "Sign off: Fictional SLL" in titles(sll)
    assert not any(t.startswith(("Sign off", "Quality-assure")) for t in titles(staff))
    assert "Sign off: Fictional SLL" not in titles(mhl)


# -- the complaint page leads with its next step ---------------------------------------------


def test_the_complaint_page_leads_with_the_deadline_and_the_moves_available_now(
    client, people, year
):
    today = timezone.localdate()
    c = make_complaint(3, today, ack_due_on=today - timedelta(days=1))
    client.force_login(people["handler"])

    def next_step() -> str:
        page = main_of(client.get(f"/staff/complaints/{c.pk}/"))
        assert page.index("Next step") < page.index("The complaint") < page.index(">Record<")
        return page.split("Next step", 1)[1].split('<h2 class="hub-heading-l">Deadlines', 1)[0]

    top = next_step()
    assert "Acknowledgement due" in top and "Overdue" in top
    assert "Send acknowledgement" in top and "Send response" not in top
    Complaint.objects.filter(pk=c.pk).update(acknowledged_on=today)
    top = next_step()
    assert "Response due" in top
    assert "Send response" in top and "Send holding letter" in top
    assert "Record who it is about" not in top  # the rarer moves are further down


def test_a_failed_school_import_is_due_for_those_who_can_rerun_it(client, people):
    from hubops.models import SchoolImport, SchoolImportStatus

    failed = SchoolImport.objects.create(
        filename="edubasealldata.csv", status=SchoolImportStatus.FAILED, error="Not a GIAS file."
    )
    SchoolImport.objects.create(filename="fine.csv", status=SchoolImportStatus.DONE)
    client.force_login(people["admin"])
    response = client.get("/staff/")
    imports = [t for t in due_titles(response) if t.startswith("Import")]  # a superuser sees all
    assert imports == ["Import failed: upload the file again: edubasealldata.csv"]
    assert f"/admin/hubops/school/import-gias/{failed.pk}/" in links_of(response)
    client.force_login(StaffFactory(roles=[Role.HUB_STAFF]))  # no admin rights on schools
    assert due_titles(client.get("/staff/")) == []


def test_search_query_count_does_not_grow_with_the_data(
    client, people, year, django_assert_max_num_queries
):
    client.force_login(people["admin"])
    make_rows(1, year, people["lead"])
    client.get("/staff/search/", {"q": "Fictional"})
    with django_assert_max_num_queries(30) as one:
        assert (
            "Casey Fictional0" in client.get("/staff/search/", {"q": "Fictional"}).content.decode()
        )
    make_rows(49, year, people["lead"], start=1000)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/staff/search/", {"q": "Fictional"}).content.decode()
    assert page.count("hub-due-list__item") >= 60  # up to 20 from each kind of record


def test_emails_the_outbox_gave_up_on_are_due_for_those_who_can_retry_them(client, people):
    from hubops.models import OutgoingMessage, OutgoingStatus

    for n in range(3):
        OutgoingMessage.objects.create(
            message_id=f"<failed-{n}@hub.example.test>",
            to=f"failed{n}@example.org",
            template_prefix="hubops/email/test_message",
            status=OutgoingStatus.FAILED if n < 2 else OutgoingStatus.SENT,
        )
    client.force_login(people["admin"])
    response = client.get("/staff/")
    assert "Emails failed to send: retry them: 2 emails" in due_titles(response)
    assert "failed0@example.org" not in response.text  # a count, never the addresses
    assert "/admin/hubops/outgoingmessage/?status__exact=failed" in links_of(response)
    assert client.get("/admin/hubops/outgoingmessage/?status__exact=failed").status_code == 200
    client.force_login(StaffFactory(roles=[Role.HUB_STAFF]))  # cannot retry mail
    assert not [t for t in due_titles(client.get("/staff/")) if t.startswith("Emails failed")]
