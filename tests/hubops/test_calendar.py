"""The school calendar: laws (hypothesis) and worked examples on Sheffield's real 2025/26 and
2026/27 term dates (tests/data/calendar/term_dates_sheffield.json).

Sheffield 2025/26, as published: autumn term from Mon 1 Sep 2025; October half term
Sat 25 Oct - Sun 2 Nov; Christmas Sat 20 Dec - Sun 4 Jan; February half term 14-22 Feb;
Easter Sat 28 Mar - Sun 12 Apr 2026; May half term 23-31 May; summer from Tue 21 Jul 2026.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hubops.calendar import NoSchoolDays, SchoolCalendar, add_months, england_bank_holidays
from hubops.calendar_io import calendar_from_plans, parse_calendar

SHEFFIELD_FILE = "calendar/term_dates_sheffield.json"


@pytest.fixture(scope="module")
def sheffield_json():
    from tests.conftest import DATA

    return (DATA / SHEFFIELD_FILE).read_bytes()


@pytest.fixture(scope="module")
def sheffield(sheffield_json) -> SchoolCalendar:
    return calendar_from_plans(parse_calendar(sheffield_json))


def _sheffield() -> SchoolCalendar:
    from tests.conftest import DATA

    return calendar_from_plans(parse_calendar((DATA / SHEFFIELD_FILE).read_bytes()))


SHEFFIELD = None


def cal() -> SchoolCalendar:
    global SHEFFIELD
    if SHEFFIELD is None:
        SHEFFIELD = _sheffield()
    return SHEFFIELD


# Days within the years the file covers, leaving room at the end for deadlines.
days = st.dates(min_value=date(2025, 9, 1), max_value=date(2027, 3, 31))


# -- the real data --------------------------------------------------------------------------


def test_school_days_match_the_published_list(sheffield_json, sheffield):
    """Every day Sheffield lists as a school day is one, and no other day is."""
    for year in json.loads(sheffield_json)["academic_years"]:
        listed = {date.fromisoformat(d["date"]) for d in year["dates"]}
        first, last = min(listed), max(listed)
        computed = {
            first + timedelta(days=i)
            for i in range((last - first).days + 1)
            if sheffield.is_school_day(first + timedelta(days=i))
        }
        assert computed == listed, year["name"]


def test_a_year_has_about_195_school_days(sheffield):
    count = sum(sheffield.is_school_day(date(2025, 9, 1) + timedelta(days=i)) for i in range(365))
    assert count == 195


# -- worked examples: the complaints policy's "weeks" are school weeks ------------------------


@pytest.mark.parametrize(
    ("received", "weeks", "due", "why"),
    [
        # Week of 20 Oct counts; half term (27-31 Oct) does not.
        (date(2025, 10, 17), 1, date(2025, 10, 24), "the next school week"),
        (date(2025, 10, 17), 4, date(2025, 11, 21), "20 Oct, 3 Nov, 10 Nov, 17 Nov"),
        (date(2025, 10, 22), 1, date(2025, 11, 5), "half term skipped"),
        # Christmas: 15 Dec, then 5, 12, 19 Jan.
        (date(2025, 12, 12), 4, date(2026, 1, 23), "two holiday weeks skipped"),
        # Received in the holidays: the clock starts on Mon 5 Jan.
        (date(2025, 12, 27), 1, date(2026, 1, 12), "starts at the next school day"),
        # Easter: 23 Mar, then 13, 20, 27 Apr.
        (date(2026, 3, 20), 4, date(2026, 5, 1), "Easter's two weeks skipped"),
        # Lands on the early May bank holiday (Mon 4 May): the next school day.
        (date(2026, 4, 27), 1, date(2026, 5, 5), "moved off the bank holiday"),
        # Received on a Saturday: the clock starts on Monday.
        (date(2025, 11, 8), 1, date(2025, 11, 17), "weekend receipt"),
    ],
)
def test_add_school_weeks_worked_examples(sheffield, received, weeks, due, why):
    assert sheffield.add_school_weeks(received, weeks) == due, why


def test_school_weeks_between_worked_example(sheffield):
    # Filed Fri 21 Nov 2025 about something on Fri 17 Oct: four school weeks (half term not
    # counted), so an informal concern is just in time and a formal complaint well within 8.
    assert sheffield.school_weeks_between(date(2025, 10, 17), date(2025, 11, 21)) == 4
    assert sheffield.school_weeks_between(date(2025, 10, 17), date(2025, 11, 20)) == 3


def test_add_school_days_across_christmas(sheffield):
    # Fri 19 Dec is the last day of term; 5 school days on is Fri 9 Jan.
    assert sheffield.add_school_days(date(2025, 12, 19), 5) == date(2026, 1, 9)


def test_add_working_days_skips_weekends_and_bank_holidays(sheffield):
    # Thu 24 Dec 2026 + 1 working day: 25 Dec (Fri) and 28 Dec (Mon, substitute for Boxing
    # Day) are bank holidays, so Tue 29 Dec.
    assert sheffield.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


# -- the ICO's "one month" ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        (date(2026, 3, 10), date(2026, 4, 10), "the same date next month (a Friday)"),
        (date(2026, 1, 31), date(2026, 3, 2), "28 Feb is a Saturday: Monday 2 March"),
        (date(2026, 4, 25), date(2026, 5, 26), "25 May is the spring bank holiday"),
        (date(2025, 12, 1), date(2026, 1, 2), "1 January is a bank holiday"),
        (date(2027, 8, 31), date(2027, 9, 30), "31 September does not exist"),
    ],
)
def test_one_calendar_month(sheffield, received, due, why):
    assert sheffield.add_calendar_months(received, 1) == due, why


# -- laws -----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(days, st.integers(min_value=0, max_value=40))
def test_add_school_days_lands_on_a_school_day_after_the_start(day, n):
    result = cal().add_school_days(day, n)
    assert cal().is_school_day(result)
    assert result >= day
    # From a school day, n school days on; from a holiday or weekend the first school day
    # counts as the first.
    expected = n if cal().is_school_day(day) else max(n, 1)
    assert cal().school_days_between(day, result) == expected


@settings(max_examples=150, deadline=None)
@given(days, st.integers(min_value=0, max_value=20), st.integers(min_value=0, max_value=20))
def test_add_school_days_composes(day, a, b):
    assume(cal().is_school_day(day))
    c = cal()
    assert c.add_school_days(c.add_school_days(day, a), b) == c.add_school_days(day, a + b)


@settings(max_examples=150, deadline=None)
@given(days, st.integers(min_value=0, max_value=10))
def test_add_school_weeks_is_monotonic_and_inverts(day, n):
    c = cal()
    due = c.add_school_weeks(day, n)
    assert c.is_school_day(due)
    assert c.add_school_weeks(day, n + 1) > due
    assert c.school_weeks_between(day, due) == n


@settings(max_examples=150, deadline=None)
@given(days, days)
def test_school_weeks_between_is_monotonic_in_the_end(start, end):
    c = cal()
    assert c.school_weeks_between(start, end) <= c.school_weeks_between(start, end + timedelta(7))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)), st.integers(0, 30))
def test_add_working_days(day, n):
    c = cal()
    result = c.add_working_days(day, n)
    assert n == 0 or c.is_working_day(result)
    assert sum(c.is_working_day(day + timedelta(i)) for i in range(1, (result - day).days + 1)) == n


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)), st.integers(1, 3))
def test_add_calendar_months(day, n):
    c = cal()
    result = c.add_calendar_months(day, n)
    nominal = add_months(day, n)
    assert c.is_working_day(result)
    assert nominal <= result <= nominal + timedelta(days=5)
    assert (nominal.year * 12 + nominal.month) - (day.year * 12 + day.month) == n


def test_a_calendar_with_no_terms_says_so():
    with pytest.raises(NoSchoolDays):
        SchoolCalendar().add_school_weeks(date(2026, 1, 5), 1)


def test_bank_holidays_are_weekdays_only():
    assert all(day.weekday() < 5 for day in england_bank_holidays(range(2012, 2029)))


def test_the_indexed_school_days_agree_with_the_definition_day_by_day(sheffield):
    """School days are looked up in a sorted index of the terms' days: every answer is the one
    the definition gives (a working day in a term and outside every break), on every day from
    before the first term to after the last, including weekends, bank holidays and breaks."""

    def by_definition(day: date) -> bool:
        return sheffield.is_working_day(day) and sheffield.in_term(day)

    first = min(start for start, _ in sheffield.terms) - timedelta(days=10)
    last = max(end for _, end in sheffield.terms) + timedelta(days=10)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    school = [day for day in days if by_definition(day)]
    assert len(school) > 2 * 180  # the file holds several academic years of about 190
    assert [day for day in days if sheffield.is_school_day(day)] == school
    for day in days[::3]:
        later = [d for d in school if d >= day]
        if later:
            assert sheffield.next_school_day(day) == later[0]
        else:
            with pytest.raises(NoSchoolDays):
                sheffield.next_school_day(day)
        for end in (day + timedelta(days=n) for n in (0, 1, 6, 45, 200)):
            expected = sum(1 for d in school if day < d <= end)
            assert sheffield.school_days_between(day, end) == expected
