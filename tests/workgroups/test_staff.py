"""Staff pages: a Work Group Lead sees and edits only their own groups; registers; sessions;
exports, imports and reach are for hub staff only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from hubops.roles import Role
from tests.factories import PASSWORD, SchoolFactory, UserFactory
from workgroups import services
from workgroups.models import (
    Attendance,
    GroupStatus,
    ParticipationExport,
    ReachTarget,
    Registration,
    RegStatus,
)

from .conftest import make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(roles=[Role.HUB_STAFF])


@pytest.fixture
def reg(group, schools, teacher, today):
    return services.registration_create(
        group_id=group.pk,
        user=teacher,
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )


def group_pages(group, reg):
    s = group.sessions.first()
    return [
        ("get", reverse("workgroups_staff:group_detail", args=[group.pk])),
        ("post", reverse("workgroups_staff:group_status", args=[group.pk])),
        ("post", reverse("workgroups_staff:invite", args=[group.pk])),
        ("get", reverse("workgroups_staff:lead_report", args=[group.pk])),
        ("post", reverse("workgroups_staff:decide", args=[group.pk, reg.pk])),
        ("get", reverse("workgroups_staff:session_new", args=[group.pk])),
        ("get", reverse("workgroups_staff:session_edit", args=[group.pk, s.pk])),
        ("post", reverse("workgroups_staff:session_cancel", args=[group.pk, s.pk])),
        ("get", reverse("workgroups_staff:register", args=[group.pk, s.pk])),
    ]


def test_lead_cannot_open_another_leads_group_on_any_page(client, group, reg, project):
    other_lead = UserFactory(roles=[Role.WORK_GROUP_LEAD])
    client.login(email=other_lead.email, password=PASSWORD)
    for method, url in group_pages(group, reg):
        assert getattr(client, method)(url).status_code == 404, url
    assert group.code not in client.get(reverse("workgroups_staff:group_list")).text
    for name in ("exports", "import", "reach"):
        assert client.get(reverse(f"workgroups_staff:{name}")).status_code == 403


def test_lead_can_open_own_group_pages(client, group, reg, lead):
    client.login(email=lead.email, password=PASSWORD)
    for method, url in group_pages(group, reg):
        if method == "get":
            assert client.get(url).status_code == 200, url
    assert group.code in client.get(reverse("workgroups_staff:group_list")).text


def test_teacher_gets_403_and_anonymous_login(client, group, teacher):
    url = reverse("workgroups_staff:group_list")
    assert client.get(url).status_code == 302
    client.login(email=teacher.email, password=PASSWORD)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("n", [1, 50])
def test_staff_list_query_count(client, staff, project, hub, n, django_assert_max_num_queries):
    for i in range(n):
        make_group(project, code=f"WG-S{i:03}")
    client.login(email=staff.email, password=PASSWORD)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("workgroups_staff:group_list")).status_code == 200


@pytest.mark.parametrize("n", [1, 50])
def test_group_detail_query_count(client, staff, group, n, django_assert_max_num_queries, today):
    for _ in range(n):
        services.registration_create(
            group_id=group.pk,
            user=UserFactory(),
            school_id=SchoolFactory().pk,
            role_at_school="Teacher",
            today=today,
        )
    client.login(email=staff.email, password=PASSWORD)
    with django_assert_max_num_queries(15):
        assert (
            client.get(reverse("workgroups_staff:group_detail", args=[group.pk])).status_code == 200
        )


def test_register_marks_whole_session(client, group, reg, lead, schools, today):
    other = services.registration_create(
        group_id=group.pk,
        user=UserFactory(),
        school_id=schools[0].pk,
        role_at_school="TA",
        today=today,
    )
    session = group.sessions.first()
    url = reverse("workgroups_staff:register", args=[group.pk, session.pk])
    client.login(email=lead.email, password=PASSWORD)
    page = client.post(url, {f"reg-{reg.pk}": "present"}).text
    assert "Mark" in page and "There is a problem" in page
    assert not Attendance.objects.exists()
    client.post(url, {f"reg-{reg.pk}": "present", f"reg-{other.pk}": "apologies"})
    assert dict(Attendance.objects.values_list("registration_id", "status")) == {
        reg.pk: "present",
        other.pk: "apologies",
    }


def test_session_change_and_cancel_email_participants(client, group, reg, lead, mailoutbox):
    session = group.sessions.first()
    client.login(email=lead.email, password=PASSWORD)
    mailoutbox.clear()
    change = {
        "date_day": "9",
        "date_month": "2",
        "date_year": "2026",
        "starts": "16:00",
        "ends": "17:00",
        "venue": "Fictional Annexe",
    }
    edit = reverse("workgroups_staff:session_edit", args=[group.pk, session.pk])
    # A change that mails people is checked first: nothing is saved or sent yet.
    check = client.post(edit, change)
    assert check.status_code == 200 and "Check the change" in check.text
    assert "Fictional Annexe" in check.text and "1 participant will be emailed" in check.text
    assert not mailoutbox
    response = client.post(edit, {**change, "confirmed": "1"})
    assert response.status_code == 302
    assert mailoutbox[-1].to == [reg.email] and "Changed" in mailoutbox[-1].subject
    assert "Fictional Annexe" in mailoutbox[-1].body
    # Cancelling asks first, and for the reason participants are mailed.
    url = reverse("workgroups_staff:session_cancel", args=[group.pk, session.pk])
    assert "Are you sure" in client.get(url).text
    sent = len(mailoutbox)
    refused = client.post(url)
    assert refused.status_code == 400 and "Enter why the session is cancelled" in refused.text
    assert len(mailoutbox) == sent
    client.post(url, {"reason": "The hall is closed for repairs."})
    assert "Cancelled" in mailoutbox[-1].subject
    assert "The hall is closed for repairs." in mailoutbox[-1].body
    bad = client.post(
        reverse("workgroups_staff:session_new", args=[group.pk]),
        {
            "date_day": "31",
            "date_month": "2",
            "date_year": "2026",
            "starts": "16:00",
            "ends": "15:00",
        },
    )
    assert "Date must be a real date" in bad.text
    assert "Error: " in bad.text.split("</title>")[0]


def test_decline_needs_reason(client, hub, project, lead, schools, today):
    group = make_group(project, lead, code="WG-AP", needs_approval=True)
    reg = services.registration_create(
        group_id=group.pk,
        user=UserFactory(),
        school_id=schools[0].pk,
        role_at_school="T",
        today=today,
    )
    client.login(email=lead.email, password=PASSWORD)
    url = reverse("workgroups_staff:decide", args=[group.pk, reg.pk])
    client.post(url, {"decision": "decline", "reason": ""})
    reg.refresh_from_db()
    assert reg.status == RegStatus.PENDING
    client.post(url, {"decision": "approve"})
    reg.refresh_from_db()
    assert reg.status == RegStatus.CONFIRMED


def test_lead_report_submit(client, group, lead):
    client.login(email=lead.email, password=PASSWORD)
    url = reverse("workgroups_staff:lead_report", args=[group.pk])
    page = client.post(url, {"professional_learning_evidence": "Some", "submit": "1"}).text
    assert "Fill in every part" in page
    data = {
        f"{o}_{p}": "Fictional text"
        for o in ("professional_learning", "practice_development", "whole_school", "pupil_outcomes")
        for p in ("evidence", "impact", "next_steps")
    }
    client.post(url, {**data, "submit": "1"})
    assert group.lead_report.status == "submitted"
    review = reverse("workgroups_staff:lead_report_review", args=[group.pk])
    assert client.post(review).status_code == 403  # a lead cannot review their own report
    client.force_login(UserFactory(roles=[Role.MHL]))
    assert "Mark as reviewed" in client.get(url).text
    client.post(review)
    group.lead_report.refresh_from_db()
    assert group.lead_report.status == "reviewed"


def test_export_csv_and_xlsx_logged(client, staff, group, reg):
    client.login(email=staff.email, password=PASSWORD)
    # A GET, even with the old ?format= link, exports nothing and logs nothing.
    assert "Download CSV" in client.get(reverse("workgroups_staff:exports"), {"format": "csv"}).text
    assert not ParticipationExport.objects.exists()
    response = client.post(reverse("workgroups_staff:exports"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "school_urn" and rows[1][4] == "Alex Fictional"
    assert rows[1][7] == group.code and rows[1][8] == "NCP 25-07"
    response = client.post(reverse("workgroups_staff:exports"), {"format": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(2, 5).value == "Alex Fictional"
    log = ParticipationExport.objects.all()
    assert len(log) == 2 and log[0].actor == staff and log[0].people_count == 1


def test_import_row_errors_lose_nothing(client, staff, group, schools):
    client.login(email=staff.email, password=PASSWORD)
    header = (
        "work_group_code,school_urn,participant_name,email,role_at_school,trn,sessions_attended\n"
    )
    bad = header + f"{group.code},{schools[0].urn},Sam Fictional,sam@example.org,Teacher,,2\n"
    bad += "NOPE,123,,x@example.org,Teacher,12,z\n"
    page = client.post(
        reverse("workgroups_staff:import"), {"file": SimpleUploadedFile("r.csv", bad.encode())}
    ).text
    assert "Row 3:" in page and "no Work Group with code" in page and "TRN must be 7" in page
    assert not Registration.objects.exists()
    good = (
        header + f"{group.code},{schools[0].urn},Sam Fictional,sam@example.org,Teacher,1234567,2\n"
    )
    client.post(
        reverse("workgroups_staff:import"), {"file": SimpleUploadedFile("r.csv", good.encode())}
    )
    reg = Registration.objects.get()
    assert reg.attendance.count() == 2
    junk = client.post(
        reverse("workgroups_staff:import"),
        {"file": SimpleUploadedFile("r.csv", b"\x00\xff garbage")},
    )
    assert junk.status_code == 200 and "missing these columns" in junk.text


def test_import_refuses_duplicates_and_places_beyond_capacity(client, staff, group, schools):
    """group has room for 2 schools with 2 places each."""
    client.login(email=staff.email, password=PASSWORD)
    header = (
        "work_group_code,school_urn,participant_name,email,role_at_school,trn,sessions_attended\n"
    )
    a, b, c = (school.urn for school in schools[:3])
    rows = [
        f"{group.code},{a},Sam Fictional,sam@example.org,Teacher,1234567,1",
        f"{group.code},{a},Sam Fictional,SAM@example.org,Teacher,,1",  # the same person again
        f"{group.code},{a},Jo Fictional,jo@example.org,Teacher,,1",
        f"{group.code},{a},Kim Fictional,kim@example.org,Teacher,,1",  # a third place
        f"{group.code},{b},Lee Fictional,lee@example.org,Teacher,,1",
        f"{group.code},{c},Pat Fictional,pat@example.org,Teacher,,1",  # a third school
        f"{group.code},{b},Chris Fictional,not-an-email,Teacher,,1",
    ]
    page = client.post(
        reverse("workgroups_staff:import"),
        {"file": SimpleUploadedFile("r.csv", (header + "\n".join(rows)).encode())},
    ).text
    assert f"Row 3: Sam Fictional is already registered for {group.code}." in page
    assert f"Row 5: {schools[0].name} already has its 2 places in {group.code}." in page
    assert f"Row 7: {group.code} already has its 2 schools." in page
    assert "Row 8: &#x27;not-an-email&#x27; is not an email address." in page
    assert not Registration.objects.exists()
    # A second import of a file already imported is refused row by row too.
    first = header + rows[0] + "\n"
    client.post(
        reverse("workgroups_staff:import"), {"file": SimpleUploadedFile("r.csv", first.encode())}
    )
    again = client.post(
        reverse("workgroups_staff:import"), {"file": SimpleUploadedFile("r.csv", first.encode())}
    ).text
    assert f"Row 2: Sam Fictional is already registered for {group.code}." in again
    assert Registration.objects.count() == 1


def test_reach_counts_completed_not_joined(client, staff, hub, project, year, lead):
    from hubops.models import Phase

    primaries = [SchoolFactory() for _ in range(4)]
    secondary = SchoolFactory(phase=Phase.SECONDARY)
    SchoolFactory(la_code="999")  # outside the area: not counted
    group = make_group(project, lead, code="WG-R")
    Registration.objects.create(
        work_group=group,
        school=primaries[0],
        full_name="A Fictional",
        role_at_school="T",
        status=RegStatus.COMPLETED,
    )
    Registration.objects.create(
        work_group=group,
        school=primaries[1],
        full_name="B Fictional",
        role_at_school="T",
        status=RegStatus.CONFIRMED,
    )
    Registration.objects.create(
        work_group=group,
        school=secondary,
        full_name="C Fictional",
        role_at_school="T",
        status=RegStatus.COMPLETED,
    )
    ReachTarget.objects.create(academic_year=year, primary_percent=60, secondary_percent=50)
    client.login(email=staff.email, password=PASSWORD)
    page = client.get(reverse("workgroups_staff:reach"), {"year": year.pk}).text
    assert "25.0%" in page and "100.0%" in page
    assert "60%" in page and "<svg" in page


def test_a_register_is_taken_only_once_the_session_has_started(group, reg, lead):
    session = group.sessions.order_by("starts_at").first()
    before = session.starts_at - timedelta(minutes=1)
    with pytest.raises(services.WorkGroupError, match="The register opens when the session"):
        services.attendance_mark(
            session_id=session.pk, actor=lead, marks={reg.pk: "present"}, now=before
        )
    assert not session.attendance.exists()
    assert (
        services.attendance_mark(
            session_id=session.pk, actor=lead, marks={reg.pk: "present"}, now=session.starts_at
        )
        == 1
    )


def test_a_group_is_completed_only_after_its_last_session(group, reg, lead):
    last = group.sessions.filter(cancelled=False).order_by("-ends_at").first()
    with pytest.raises(services.WorkGroupError, match="completed after its last session"):
        services.work_group_complete(
            group_id=group.pk, actor=lead, now=last.ends_at - timedelta(hours=1)
        )
    group.refresh_from_db()
    assert group.status != GroupStatus.COMPLETED
    services.work_group_complete(group_id=group.pk, actor=lead, now=last.ends_at)
    group.refresh_from_db()
    assert group.status == GroupStatus.COMPLETED


def test_the_register_page_of_a_session_to_come_says_when_it_opens(client, group, reg, lead):
    from django.utils import timezone

    session = group.sessions.order_by("starts_at").first()
    session.starts_at = timezone.now() + timedelta(days=3)
    session.ends_at = session.starts_at + timedelta(hours=1)
    session.save()
    client.force_login(lead)
    url = reverse("workgroups_staff:register", args=[group.pk, session.pk])
    page = client.get(url)
    assert "The register opens when the session starts" in page.text
    assert "Save the register" not in page.text
    posted = client.post(url, {f"reg-{reg.pk}": "present"})
    assert posted.status_code == 400
    assert "The register opens when the session starts" in posted.text
    assert not session.attendance.exists()
