"""Routing by the policy, and who may see a complaint: the handler, the SLL and the appeal
panel; never the person it is about, whatever their roles; other staff see no personal
details; every opening is audited."""

from __future__ import annotations

from datetime import date

import pytest

from complaints import selectors, services
from complaints.models import Complaint, Route
from hubops.models import AuditEvent
from hubops.roles import Role
from tests.factories import StaffFactory

from .conftest import complaint_data, login

pytestmark = pytest.mark.django_db


def file(concerns, subject_name="", capture=None, **extra):
    return services.complaint_file(
        data=complaint_data(concerns=concerns, subject_name=subject_name, **extra),
        received_on=date(2026, 1, 12),
        formal=True,
    ).complaint


@pytest.mark.parametrize(
    ("concerns", "route", "can_open", "cannot_open"),
    [
        ("other", Route.MHL, ["mhl", "handler", "sll"], ["staff", "head", "leader1"]),
        ("staff", Route.MHL, ["mhl", "handler", "sll"], ["staff", "head"]),
        ("mhl", Route.SLL, ["sll"], ["mhl", "handler", "staff", "head"]),
        ("sll", Route.LEAD_SCHOOL_HEAD, ["head"], ["sll", "mhl", "handler", "staff"]),
    ],
)
def test_routing_and_who_can_open(
    client, calendar, hub, people, concerns, route, can_open, cannot_open
):
    c = file(concerns)
    assert c.route == route
    for key in can_open:
        client.logout()
        login(client, people[key])
        page = client.get(f"/staff/complaints/{c.pk}/")
        assert page.status_code == 200, key
        assert "Pat O&#x27;Fictional" in page.content.decode()
    for key in cannot_open:
        client.logout()
        login(client, people[key])
        assert client.get(f"/staff/complaints/{c.pk}/").status_code in (403, 404), key


def test_a_named_member_of_staff_is_recorded_as_subject_and_never_sees_it(
    client, calendar, hub, people
):
    # Even holding the handler role (and superuser), the person it is about cannot open it.
    subject = StaffFactory(
        email="quinn@example.org",
        full_name="Quinn Fictional",
        roles=[Role.COMPLAINTS_HANDLER, Role.MHL],
        is_superuser=True,
    )
    c = file("staff", subject_name="  quinn   FICTIONAL ")
    assert list(c.subjects.all()) == [subject]
    # Named staff member holds the MHL role: the complaint goes to the SLL.
    assert c.route == Route.SLL
    login(client, subject)
    assert client.get(f"/staff/complaints/{c.pk}/").status_code == 404
    assert client.get(f"/staff/complaints/{c.pk}/attachments/1/").status_code == 404
    assert client.get(f"/admin/complaints/complaint/{c.pk}/change/").status_code in (302, 403, 404)
    dashboard = client.get("/staff/complaints/").content.decode()
    assert c.reference not in dashboard and "Pat" not in dashboard
    assert c.reference not in client.get("/staff/complaints/log.csv").content.decode()
    assert selectors.complaint_list(subject).count() == 0
    assert c not in selectors.register_for(subject)


def test_a_handler_who_records_themselves_as_subject_loses_sight(client, calendar, hub, people):
    c = file("other")
    login(client, people["handler"])
    response = client.post(
        f"/staff/complaints/{c.pk}/subjects/", {"subjects-users": [people["handler"].pk]}
    )
    assert response.status_code == 302
    assert client.get(f"/staff/complaints/{c.pk}/").status_code == 404


def test_complaint_roles_see_the_register_without_personal_details(client, calendar, hub, people):
    c = file("other")  # routed to the MHL: the Lead School head may not open it
    login(client, people["head"])
    page = client.get("/staff/complaints/").content.decode()
    assert c.reference in page  # the anonymous register
    assert "Pat" not in page and "pat@example.org" not in page
    assert f'href="/staff/complaints/{c.pk}/"' not in page
    csv = client.get("/staff/complaints/log.csv").content.decode()
    assert c.reference in csv and "Pat" not in csv and "cancelled" not in csv
    assert client.get(f"/staff/complaints/{c.pk}/").status_code == 404


@pytest.mark.parametrize(
    "role", [Role.HUB_STAFF, Role.WORK_GROUP_LEAD, Role.DATA_PROTECTION_LEAD, Role.BOARD_CHAIR]
)
def test_staff_without_a_complaint_role_are_refused_the_register(
    client, calendar, hub, people, role
):
    c = file("other")
    login(client, StaffFactory(email="other-role@example.org", roles=[role]))
    for url in ("/staff/complaints/", "/staff/complaints/log.csv", f"/staff/complaints/{c.pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert c.reference not in response.content.decode()


def test_a_senior_leader_sees_only_the_case_on_whose_panel_they_sit(client, calendar, hub, people):
    mine, other = file("other"), file("other")
    login(client, people["leader1"])
    assert client.get("/staff/complaints/").status_code == 403  # the role alone opens nothing
    mine.status = "appeal"
    mine.save(update_fields=["status"])
    mine.panel.add(people["leader1"])
    page = client.get("/staff/complaints/").content.decode()
    assert mine.reference in page and other.reference not in page
    csv = client.get("/staff/complaints/log.csv").content.decode()
    assert mine.reference in csv and other.reference not in csv
    assert client.get(f"/staff/complaints/{mine.pk}/").status_code == 200
    assert client.get(f"/staff/complaints/{other.pk}/").status_code == 404


def test_members_of_the_public_cannot_reach_staff_pages(client, calendar, hub, people):
    c = file("other")
    response = client.get(f"/staff/complaints/{c.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_every_view_is_audited(client, calendar, hub, people):
    c = file("other")
    login(client, people["mhl"])
    client.get(f"/staff/complaints/{c.pk}/")
    client.get(f"/staff/complaints/{c.pk}/")
    events = AuditEvent.objects.filter(
        action="complaints.complaint.viewed", object_id=str(c.pk), actor=people["mhl"]
    )
    assert events.count() == 2
    page = client.get(f"/staff/complaints/{c.pk}/").content.decode()
    assert "Who has seen this complaint" in page and "mhl@example.org" in page


def test_admin_list_is_scoped(client, calendar, hub, people, settings):
    c1 = file("other")
    c2 = file("mhl")
    people["mhl"].is_superuser = True
    people["mhl"].save()
    login(client, people["mhl"])
    page = client.get("/admin/complaints/complaint/").content.decode()
    assert c1.reference in page and c2.reference not in page
    assert client.get(f"/admin/complaints/complaint/{c2.pk}/change/").status_code in (302, 403, 404)


def test_query_count_of_the_dashboard_does_not_grow(
    client, calendar, hub, people, django_assert_max_num_queries
):
    file("other")
    login(client, people["mhl"])
    client.get("/staff/complaints/")
    with django_assert_max_num_queries(20):
        assert client.get("/staff/complaints/").status_code == 200
    for _ in range(49):
        file("other")
    assert Complaint.objects.count() == 50
    with django_assert_max_num_queries(20):
        page = client.get("/staff/complaints/")
    assert page.content.decode().count('href="/staff/complaints/') >= 50
