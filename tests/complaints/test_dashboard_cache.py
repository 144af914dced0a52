"""The complaints dashboard is kept whole for each viewer (``hubops.page_cache``) and never shown
stale: a change to any complaint, a new complaint or an erasure builds it afresh, and two
viewers never share a copy."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services
from complaints.models import Complaint

from .conftest import complaint_data, login

pytestmark = pytest.mark.django_db
URL = "/staff/complaints/"


def file(name: str = "Pat O'Fictional", **extra) -> Complaint:
    return services.complaint_file(
        data=complaint_data(full_name=name, **extra), received_on=date(2026, 1, 12), formal=True
    ).complaint


def complaint_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    mine = [q for q in captured.captured_queries if "complaints_complaint" in q["sql"]]
    return len(mine), response.content.decode()


def test_a_second_look_is_served_whole_and_the_same(client, calendar, hub, people):
    file()
    login(client, people["mhl"])
    first_queries, first = complaint_queries(client)
    again_queries, again = complaint_queries(client)
    assert first_queries > 0 and again_queries == 0
    assert again == first and "Pat O&#x27;Fictional" in again


def test_a_new_or_changed_complaint_is_shown_at_the_next_look(client, calendar, hub, people):
    c = file()
    login(client, people["mhl"])
    assert "Acknowledgement:" in complaint_queries(client)[1]
    file("Robin Newfictional")
    assert "Robin Newfictional" in complaint_queries(client)[1]
    c.full_name = "Pat Renamed-Fictional"
    c.save(update_fields=["full_name"])
    assert "Pat Renamed-Fictional" in complaint_queries(client)[1]


def test_each_viewer_has_their_own_copy(client, calendar, hub, people):
    file()  # routed to the Maths Hub Lead, whom the Senior Leadership Link oversees
    file(concerns="mhl")  # about the Maths Hub Lead: routed to the Senior Leadership Link alone
    login(client, people["mhl"])
    assert "All open complaints you handle (1)" in complaint_queries(client)[1]
    client.logout()
    login(client, people["sll"])
    assert "All open complaints you handle (2)" in complaint_queries(client)[1]
    client.logout()
    login(client, people["mhl"])
    assert "All open complaints you handle (1)" in complaint_queries(client)[1]


def test_an_erased_handler_is_gone_from_the_kept_page(client, calendar, hub, people):
    from hubops.personal_data import Person
    from privacy.services.erasure import erase_person

    c = file()
    c.handler = people["handler"]
    c.save(update_fields=["handler"])
    login(client, people["mhl"])
    assert "Harper Fictional" in complaint_queries(client)[1]
    erase_person(Person.for_user(people["handler"]), today=date(2026, 3, 1))
    assert "Harper Fictional" not in complaint_queries(client)[1]
