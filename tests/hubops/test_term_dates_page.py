"""The term dates page (/staff/calendar/): hub staff add, change and remove terms, holidays and
INSET days without the admin; deadlines are counted on the new dates at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from hubops.audit import AuditEvent
from hubops.models import AcademicYear, CalendarPeriod
from hubops.roles import Role
from hubops.selectors import school_calendar
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
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
    return year


def dates(prefix: str, d: date) -> dict:
    return {f"{prefix}_day": d.day, f"{prefix}_month": d.month, f"{prefix}_year": d.year}


def test_an_inset_day_added_on_the_page_stops_being_a_school_day(client, year):
    staff = UserFactory(roles=[Role.HUB_STAFF])
    client.login(email=staff.email, password=PASSWORD)
    inset = date(2026, 11, 6)  # a Friday in term
    assert school_calendar().is_school_day(inset)
    page = client.get(reverse("staff_calendar")).text
    assert "Autumn term" in page and "2 September 2026" in page
    url = reverse("staff_calendar_period_new", args=[year.pk])
    bad = client.post(url, {"kind": "closure", "name": "INSET day", **dates("starts_on", inset)})
    assert bad.status_code == 400 and "<title>Error: " in bad.text
    response = client.post(
        url,
        {
            "kind": "closure",
            "name": "INSET day",
            **dates("starts_on", inset),
            **dates("ends_on", inset),
        },
    )
    assert response.status_code == 302
    assert not school_calendar().is_school_day(inset)
    assert AuditEvent.objects.filter(action="hubops.calendarperiod.created").exists()
    outside = client.post(
        url,
        {
            "kind": "closure",
            "name": "Too late",
            **dates("starts_on", date(2027, 9, 6)),
            **dates("ends_on", date(2027, 9, 6)),
        },
    )
    assert outside.status_code == 400 and "must fall within 2026/27" in outside.text
    period = CalendarPeriod.objects.get(name="INSET day")
    remove = reverse("staff_calendar_period_delete", args=[year.pk, period.pk])
    assert "Are you sure" in client.get(remove).text
    client.post(remove)
    assert school_calendar().is_school_day(inset)


def test_only_hub_staff_and_the_mhl_change_term_dates(client, year):
    lead = UserFactory(roles=[Role.WORK_GROUP_LEAD])
    client.login(email=lead.email, password=PASSWORD)
    assert client.get(reverse("staff_calendar")).status_code == 403
    period = year.periods.get()
    url = reverse("staff_calendar_period", args=[year.pk, period.pk])
    assert client.post(url, {"kind": "term", "name": "Changed"}).status_code == 403
    period.refresh_from_db()
    assert period.name == "Autumn term"
