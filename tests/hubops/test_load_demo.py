"""``manage.py load_demo``: the fictional demo hub."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError

from hubops.calendar import SchoolCalendar
from hubops.management.commands.load_demo import DEMO_PASSWORD, demo_calendar
from hubops.models import (
    AcademicYear,
    CalendarPeriod,
    Hub,
    HubLocalAuthority,
    ReminderLog,
    School,
    User,
)
from hubops.roles import Role, has_role
from hubops.selectors import school_calendar

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def load(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO(), today=TODAY, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Hub, HubLocalAuthority, School, User, AcademicYear, CalendarPeriod, EmailAddress]
    return {model.__name__: model.objects.count() for model in models}


def test_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        load()
    assert counts() == dict.fromkeys(counts(), 0)


def test_makes_a_fictional_hub_in_seven_local_authorities(settings):
    settings.DEBUG = True
    load()
    hub = Hub.current()
    assert hub.name == "Riverside Maths Hub (demo)"
    assert hub.code == "ZZ1"
    assert sorted(hub.local_authorities.values_list("la_code", flat=True)) == [
        "205",
        "207",
        "304",
        "307",
        "310",
        "312",
        "313",
    ]
    fictional = School.objects.filter(urn__gte=990001, urn__lte=990040)
    assert fictional.count() == 40
    assert all("Demo" in name for name in fictional.values_list("name", flat=True))
    assert School.objects.in_area(hub).count() >= 40
    assert hub.lead_school.urn == 990001


def test_a_staff_account_for_each_role_and_the_logins_are_printed(settings, client):
    settings.DEBUG = True
    output = load()
    for role in Role:
        email = f"{role.value.lower().replace(' ', '-')}@demo.hub.example"
        user = User.objects.get(email=email)
        assert user.is_staff and not user.is_superuser
        assert has_role(user, role)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user, email=email).verified
        assert email in output
    teacher = User.objects.get(email="teacher@demo.hub.example")
    assert not teacher.is_staff and not teacher.groups.exists()
    admin = User.objects.get(email="admin@demo.hub.example")
    assert admin.is_superuser and admin.is_staff
    assert DEMO_PASSWORD in output
    # Every demo person has an obviously made-up name.
    names = User.objects.values_list("full_name", flat=True)
    surnames = {name.split()[-1].split("-")[0] for name in names}
    assert surnames <= {
        "Fictional",
        "Example",
        "Placeholder",
        "Sample",
        "Madeup",
        "Invented",
        "Pretend",
        "Notreal",
        "Imaginary",
        "Demo",
    }


def test_a_demo_login_works(settings, client):
    settings.DEBUG = True
    load()
    response = client.post(
        "/accounts/login/",
        {"login": "maths-hub-lead@demo.hub.example", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_running_twice_creates_nothing_new(settings):
    settings.DEBUG = True
    load()
    first = counts()
    user = User.objects.get(email="maths-hub-lead@demo.hub.example")
    user.set_password("someone-changed-it-1")
    user.save()
    load()
    assert counts() == first
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_the_calendar_covers_the_academic_year_containing_today(settings):
    settings.DEBUG = True
    load()
    year = AcademicYear.objects.get()
    assert year.name == "2026/27"
    assert (year.starts_on, year.ends_on) == (date(2026, 9, 1), date(2027, 8, 31))
    kinds = sorted(year.periods.values_list("kind", flat=True))
    assert kinds == ["half_term"] * 3 + ["holiday"] * 3 + ["term"] * 3
    calendar = school_calendar()
    assert calendar.is_school_day(date(2026, 11, 23))  # a Monday in the autumn term
    assert not calendar.is_school_day(date(2026, 10, 27))  # autumn half term
    assert not calendar.is_school_day(date(2026, 12, 25))
    assert not calendar.is_school_day(date(2027, 8, 2))  # summer holiday


@pytest.mark.parametrize("start_year", range(2024, 2036))
def test_every_generated_year_is_a_plausible_school_year(start_year):
    periods = demo_calendar(start_year)
    terms = [(first, last) for kind, _, first, last in periods if kind == "term"]
    breaks = [(first, last) for kind, _, first, last in periods if kind != "term"]
    calendar = SchoolCalendar(terms=tuple(terms), breaks=tuple(breaks), bank_holidays=frozenset())
    days = calendar.school_days_between(date(start_year, 9, 1), date(start_year + 1, 8, 31))
    assert 180 <= days <= 200, days
    for kind, name, first, last in periods:
        assert first <= last, name
        if kind == "half_term":
            assert (first.weekday(), (last - first).days) == (0, 4), name
    # The terms follow one another without overlapping.
    assert all(a[1] < b[0] for a, b in zip(terms, terms[1:], strict=False))


def test_large_size_builds_the_scale_idempotently_with_a_progress_bar(settings, monkeypatch):
    """``--size large`` at a reduced scale (the loaders' constants shrunk): every figure it
    promises, fictional people only, a progress bar on stderr, nothing new the second time."""
    from complaints import demo as complaints_demo
    from complaints.models import OPEN_STATUSES, Complaint
    from privacy import demo as privacy_demo
    from privacy.models import DataRequest
    from workgroups import demo as workgroups_demo
    from workgroups import reminders
    from workgroups.models import Registration, WorkGroup

    settings.DEBUG = True
    monkeypatch.setattr(workgroups_demo, "LARGE_GROUPS", 12)
    monkeypatch.setattr(workgroups_demo, "LARGE_WITH_PARTICIPANTS", 10)
    monkeypatch.setattr(workgroups_demo, "LARGE_SCHOOLS_PER_GROUP", 3)
    monkeypatch.setattr(complaints_demo, "LARGE_OPEN", 40)
    monkeypatch.setattr(privacy_demo, "LARGE_REQUESTS", 25)
    monkeypatch.setattr(privacy_demo, "LARGE_BREACHES", 4)
    err = StringIO()
    call_command("load_demo", "--size", "large", stdout=StringIO(), stderr=err, today=TODAY)
    assert WorkGroup.objects.filter(code__startswith="WG-L").count() == 12
    assert Registration.objects.filter(reference__startswith="WG-L").count() == 10 * 3 * 2
    assert (
        Complaint.objects.filter(reference__startswith="CMP-L", status__in=OPEN_STATUSES).count()
        == 40
    )
    assert DataRequest.objects.filter(reference__startswith="DSR-L").count() == 25
    assert School.objects.filter(urn__gte=991001).count() == 400
    assert "Registrations" in err.getvalue() and "[####" in err.getvalue()
    names = Registration.objects.values_list("full_name", flat=True)
    assert all(name.endswith("Fictional") for name in names if name.startswith("Participant"))
    # Five sessions in the reminder window for each group with participants.
    sent = reminders.session_reminder_sweep(today=TODAY)
    large = Registration.objects.filter(reference__startswith="WG-L").values_list("pk", flat=True)
    claimed = ReminderLog.objects.filter(
        kind__startswith="workgroups.session_reminder.", object_id__in=[str(pk) for pk in large]
    ).count()
    assert claimed == 10 * 3 * 2 * 5
    assert sent >= claimed  # the default demo's running group has a session this week too
    first = (WorkGroup.objects.count(), Registration.objects.count(), Complaint.objects.count())
    call_command("load_demo", "--size", "large", stdout=StringIO(), stderr=StringIO(), today=TODAY)
    assert (
        WorkGroup.objects.count(),
        Registration.objects.count(),
        Complaint.objects.count(),
    ) == first
    assert ReminderLog.objects.count() == sent  # a second load sends nothing again
