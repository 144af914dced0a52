"""Forms at GOV.UK standard, read from the HTML a person's browser gets: one type attribute per
input, the right type for email and phone, autocomplete on a person's own details (WCAG 1.3.5)
and not on someone else's, dates as day, month and year boxes, "Error: " in the title and one
error summary on every failed submit, the school search included."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import HubFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


class Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[list[tuple[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "textarea"):
            self.inputs.append(attrs)


def inputs(html: str) -> dict[str, dict[str, str | None]]:
    parser = Inputs()
    parser.feed(html)
    found = {}
    for attrs in parser.inputs:
        names = [k for k, _ in attrs]
        assert names.count("type") <= 1, f"two type attributes: {attrs}"
        d = dict(attrs)
        if d.get("name"):
            found[d["name"]] = d
    return found


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.fixture
def hub(db):
    return HubFactory()


def test_complaint_form_personal_fields(client, hub):
    client.post("/complaints/formal/", {"concerns": "other"})
    page = client.get("/complaints/formal/details/").content.decode()
    fields = inputs(page)
    assert fields["full_name"]["autocomplete"] == "name"
    assert fields["email"]["type"] == "email" and fields["email"]["autocomplete"] == "email"
    assert fields["phone"]["type"] == "tel" and fields["phone"]["autocomplete"] == "tel"
    assert fields["address"]["autocomplete"] == "street-address"
    assert {"issue_date_day", "issue_date_month", "issue_date_year"} <= set(fields)


def test_concern_form_personal_fields(client, hub):
    page = client.get(reverse("complaints:concern")).content.decode()
    fields = inputs(page)
    assert fields["full_name"]["autocomplete"] == "name"
    assert fields["email"]["autocomplete"] == "email"
    assert fields["phone"]["type"] == "tel" and fields["phone"]["autocomplete"] == "tel"


def test_data_rights_form_personal_fields(client, hub):
    page = client.get(reverse("privacy:request_new")).content.decode()
    fields = inputs(page)
    assert fields["full_name"]["autocomplete"] == "name"
    assert fields["email"]["type"] == "email" and fields["email"]["autocomplete"] == "email"


def test_profile_phone_is_tel_with_one_type_attribute(client, hub):
    client.force_login(UserFactory())
    fields = inputs(client.get("/accounts/profile/").content.decode())
    assert fields["phone"]["type"] == "tel" and fields["phone"]["autocomplete"] == "tel"
    assert fields["full_name"]["autocomplete"] == "name"
    assert {"date_of_birth_day", "date_of_birth_month", "date_of_birth_year"} <= set(fields)


def test_staff_typing_someone_elses_details_get_no_autocomplete(client, hub, settings):
    from hubops.roles import Role

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    client.force_login(StaffFactory(roles=[Role.DATA_PROTECTION_LEAD]))
    fields = inputs(client.get("/staff/privacy/requests/new/").content.decode())
    assert fields["full_name"]["autocomplete"] == "off"
    assert fields["email"]["autocomplete"] == "off"
    assert {"received_on_day", "received_on_month", "received_on_year"} <= set(fields)


def test_an_empty_school_search_shows_one_error_in_the_summary(client):
    from datetime import date

    from hubops.models import AcademicYear
    from workgroups.models import GroupStatus, Project, ProjectKind, Recruitment, WorkGroup

    HubFactory()
    year = AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )
    project = Project.objects.create(
        code="INN 1", title="Fictional", kind=ProjectKind.INNOVATION, academic_year=year
    )
    WorkGroup.objects.create(
        code="WG-S",
        title="Fictional search group",
        project=project,
        phases=",primary,",
        audience=",teachers,",
        capacity_schools=4,
        recruitment=Recruitment.OPEN,
        status=GroupStatus.PUBLISHED,
    )
    client.force_login(UserFactory())
    page = client.get(reverse("workgroups:register_school", args=["WG-S"]), {"q": ""}).text
    assert title(page).startswith("Error: ")
    assert page.count('class="hub-error-summary"') == 1
    summary = page.split('class="hub-error-summary"')[1].split("</div>")[0]
    assert 'href="#id_q"' in summary and "Enter your school&#x27;s name or URN." in summary
    assert page.count("Enter your school&#x27;s name or URN.") == 2  # summary and the field
    assert "This field is required" not in page
    assert "No open school matches that" not in page
    ok = client.get(reverse("workgroups:register_school", args=["WG-S"]), {"q": "zzzz"}).text
    assert not title(ok).startswith("Error") and "No open school matches that" in ok


def test_date_input_shows_a_stored_date_in_its_three_boxes():
    from hubops.forms import DateInputWidget

    widget = DateInputWidget()
    assert widget.decompress("09/02/2026") == [9, 2, "2026"]
    assert widget.decompress("2026-02-09") == [9, 2, "2026"]
    html = widget.render("date", "09/02/2026", attrs={"id": "id_date"})
    assert 'name="date_day"' in html and 'value="9"' in html and 'value="2026"' in html
    # An old link with one ISO date still reads as the same date.
    assert widget.value_from_datadict({"on": "2026-02-27"}, {}, "on") == ["27", "02", "2026"]


@pytest.mark.parametrize(
    ("url", "data", "expected"),
    [
        ("workgroups_staff:group_new", {}, "Error: Create a Work Group"),
        ("complaints:concern", {"step": "details"}, "Error: Raise a concern"),
        ("staff_calendar", None, "Term dates"),
    ],
)
def test_a_failed_submit_says_error_once_in_the_title(client, settings, url, data, expected):
    """The title tag adds "Error: " itself; a page that also wrote it once said "Error: Error:"."""
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    from hubops.roles import Role

    HubFactory()
    client.force_login(StaffFactory(roles=[Role.HUB_STAFF]))
    path = reverse(url)
    page = (client.post(path, data) if data is not None else client.get(path)).text
    found = title(page)
    assert "Error: Error:" not in found
    assert found.startswith(expected), found
