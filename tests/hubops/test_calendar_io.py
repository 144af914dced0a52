"""Loading term dates: the two real file shapes in tests/data/calendar/, clear messages for
bad files (and nothing changed), reloading replaces rather than duplicates, and every edit to
the calendar reaches the apps that store deadlines counted in it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from hubops import ports
from hubops.calendar_io import CalendarFileError, load_plans, parse_calendar
from hubops.models import AcademicYear, AuditEvent, CalendarPeriod, PeriodKind
from hubops.selectors import school_calendar
from tests.conftest import DATA

CALENDARS = DATA / "calendar"
SHEFFIELD = CALENDARS / "term_dates_sheffield.json"
SHROPSHIRE = CALENDARS / "term_dates_shropshire_telford_ealing.json"


def test_shropshire_terms_half_terms_and_pd_days():
    (plan,) = parse_calendar(SHROPSHIRE.read_bytes(), source="Telford", year="2024-25")
    assert plan.name == "2024/25"
    kinds = [kind for kind, *_ in plan.periods]
    assert kinds.count(PeriodKind.TERM) == 3
    assert kinds.count(PeriodKind.HALF_TERM) == 3
    assert (PeriodKind.HALF_TERM, "Autumn half term", date(2024, 10, 28), date(2024, 11, 1)) in (
        plan.periods
    )


def test_shropshire_pd_days_are_closures():
    (plan,) = parse_calendar(SHROPSHIRE.read_bytes(), source="Shropshire", year="2024/25")
    closures = [start for kind, _, start, _ in plan.periods if kind == PeriodKind.CLOSURE]
    assert closures == [date(2024, 9, 2), date(2025, 1, 6), date(2025, 7, 21)]


def test_an_la_code_picks_records_that_list_several_codes():
    plans = parse_calendar(SHROPSHIRE.read_bytes(), source="894")
    assert sorted(p.name for p in plans) == ["2022/23", "2024/25"]


def test_a_file_with_several_authorities_for_one_year_asks_which():
    with pytest.raises(CalendarFileError, match="choose one with --source"):
        parse_calendar(SHROPSHIRE.read_bytes(), year="2024/25")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not json", "not a JSON file"),
        (b"[1, 2, 3]", "not a term-dates file"),
        (b'{"records": [{"academic_year": "2025-26"}]}', "no terms are given"),
        (b'{"records": [{"academic_year": "next year", "terms": []}]}', "not an academic year"),
        (
            b'{"records": [{"academic_year": "2025-26", "terms": '
            b'[{"term": "autumn", "start": "2025-09-31", "end": "2025-12-19"}]}]}',
            "'2025-09-31' is not a date",
        ),
        (
            b'{"records": [{"academic_year": "2025-26", "terms": '
            b'[{"term": "autumn", "start": "2025-12-19", "end": "2025-09-01"}]}]}',
            "ends before it starts",
        ),
        (b'{"academic_years": [{"name": "2025-26"}]}', "missing a field"),
    ],
)
def test_bad_files_say_what_is_wrong(content, message):
    with pytest.raises(CalendarFileError, match=message):
        parse_calendar(content)


@pytest.mark.django_db
def test_the_command_loads_a_year_and_reloading_replaces_it(capsys):
    call_command("load_calendar", str(SHEFFIELD), year="2025/26")
    year = AcademicYear.objects.get(name="2025/26")
    first = sorted(year.periods.values_list("kind", "starts_on", "ends_on"))
    assert "2025/26:" in capsys.readouterr().out
    call_command("load_calendar", str(SHEFFIELD), year="2025/26")
    assert sorted(year.periods.values_list("kind", "starts_on", "ends_on")) == first
    assert AcademicYear.objects.count() == 1
    # Christmas 2025 is a holiday in the loaded calendar.
    assert not school_calendar().is_school_day(date(2025, 12, 24))
    assert school_calendar().is_school_day(date(2026, 1, 5))


@pytest.mark.django_db
def test_a_bad_file_changes_nothing(tmp_path):
    call_command("load_calendar", str(SHEFFIELD), year="2025/26")
    before = CalendarPeriod.objects.count()
    bad = tmp_path / "terms.json"
    bad.write_text(json.dumps({"records": [{"academic_year": "2025-26", "terms": []}]}))
    with pytest.raises(CommandError, match="terms.json: 2025/26: no terms are given. Nothing"):
        call_command("load_calendar", str(bad))
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("load_calendar", str(tmp_path / "missing.json"))
    assert CalendarPeriod.objects.count() == before


@pytest.fixture
def recorded_recomputes():
    calls: list[date] = []

    def hook():
        # What an app's hook would do: read the calendar as it is now.
        calls.append(school_calendar().next_school_day(date(2025, 10, 27)))

    ports.register_calendar_recompute(hook)
    yield calls
    ports._recompute.remove(hook)


@pytest.mark.django_db(transaction=True)
def test_editing_periods_reaches_registered_hooks_once_per_transaction(recorded_recomputes):
    load_plans(parse_calendar(SHEFFIELD.read_bytes(), year="2025/26"))
    assert recorded_recomputes == [date(2025, 11, 3)]  # after October half term
    half_term = CalendarPeriod.objects.get(kind=PeriodKind.HOLIDAY, starts_on=date(2025, 10, 25))
    with transaction.atomic():
        half_term.ends_on = date(2025, 10, 28)
        half_term.save()
        half_term.ends_on = date(2025, 10, 27)
        half_term.save()
        # Nothing is recomputed until the edit commits.
        assert len(recorded_recomputes) == 1
    # One recompute, and it saw the shortened half term: school is back on Tuesday 28 October.
    assert recorded_recomputes == [date(2025, 11, 3), date(2025, 10, 28)]
    half_term.delete()
    assert recorded_recomputes[-1] == date(2025, 10, 27)


@pytest.mark.django_db
def test_staff_load_term_dates_in_the_admin(admin_client):
    page = admin_client.get("/admin/hubops/academicyear/")
    assert "Load term dates" in page.content.decode()
    with SHEFFIELD.open("rb") as file:
        response = admin_client.post(
            "/admin/hubops/academicyear/load/", {"file": file, "year": "2026/27"}, follow=True
        )
    assert "Loaded the term dates for 2026/27." in response.content.decode()
    assert list(AcademicYear.objects.values_list("name", flat=True)) == ["2026/27"]
    assert AuditEvent.objects.filter(action="hubops.academicyear.loaded").count() == 1


@pytest.mark.django_db
def test_a_bad_upload_in_the_admin_says_why_and_changes_nothing(admin_client, tmp_path):
    bad = tmp_path / "dates.json"
    bad.write_text('{"records": [{"academic_year": "2025-26", "terms": "soon"}]}')
    with bad.open("rb") as file:
        response = admin_client.post("/admin/hubops/academicyear/load/", {"file": file})
    assert response.status_code == 200
    assert "Nothing was changed." in response.content.decode()
    assert not AcademicYear.objects.exists()
    with SHEFFIELD.open("rb") as file:
        response = admin_client.post(
            "/admin/hubops/academicyear/load/", {"file": file, "year": "1999/00"}
        )
    assert "The file has no term dates for 1999/00. Nothing was changed." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_only_staff_with_permission_may_load_term_dates(client):
    from tests.factories import StaffFactory

    client.force_login(StaffFactory())
    assert client.get("/admin/hubops/academicyear/load/").status_code == 403
