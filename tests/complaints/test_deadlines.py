"""Deadlines counted in school weeks on Sheffield's real 2025/26 term dates, checked against
dates counted by hand (comments), plus properties over any date and the recount when the
calendar changes.

Sheffield 2025/26 (term_dates_sheffield.json): term from Mon 1 Sep 2025; October half term
Sat 25 Oct - Sun 2 Nov; Christmas Sat 20 Dec - Sun 4 Jan; February half term Sat 14 - Sun 22
Feb; Easter Sat 28 Mar - Sun 12 Apr; May half term Sat 23 - Sun 31 May. Bank holidays include
Mon 4 May 2026 (early May) and Fri 3 / Mon 6 Apr (Easter, inside the holiday)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints import deadlines, services
from complaints.models import Complaint
from hubops.calendar import SchoolCalendar
from hubops.calendar_io import calendar_from_plans, parse_calendar
from hubops.models import CalendarPeriod, PeriodKind
from hubops.services import calendar_changed

from .conftest import SHEFFIELD, complaint_data

CAL = calendar_from_plans(parse_calendar(SHEFFIELD.read_text()))


def test_across_october_half_term():
    # Received Mon 20 Oct 2025, the last week before half term.
    # Acknowledgement, 1 school week: the week of 27 Oct is half term and does not count,
    # so the next school week is that of Mon 3 Nov -> Mon 3 Nov.
    # Response, 4 school weeks: 3 Nov (1), 10 Nov (2), 17 Nov (3), 24 Nov (4) -> Mon 24 Nov.
    clock = deadlines.formal_clock(CAL, date(2025, 10, 20))
    assert clock.ack_due_on == date(2025, 11, 3)
    assert clock.response_due_on == date(2025, 11, 24)
    assert clock.note == ""


def test_across_christmas():
    # Received Wed 17 Dec 2025; the weeks of 22 and 29 Dec are the holiday.
    # Acknowledgement: the week of 5 Jan -> Wed 7 Jan 2026.
    # Response: 5 Jan (1), 12 Jan (2), 19 Jan (3), 26 Jan (4) -> Wed 28 Jan 2026.
    clock = deadlines.formal_clock(CAL, date(2025, 12, 17))
    assert (clock.ack_due_on, clock.response_due_on) == (date(2026, 1, 7), date(2026, 1, 28))


def test_received_in_the_christmas_holiday_counts_from_the_first_day_of_term():
    # Sent Sat 27 Dec 2025: "received" on the next school day, Mon 5 Jan 2026.
    # Acknowledgement: the week of 12 Jan -> Mon 12 Jan.
    # Response: 12 Jan (1), 19 Jan (2), 26 Jan (3), 2 Feb (4) -> Mon 2 Feb 2026.
    clock = deadlines.formal_clock(CAL, date(2025, 12, 27))
    assert clock.clock_starts_on == date(2026, 1, 5)
    assert (clock.ack_due_on, clock.response_due_on) == (date(2026, 1, 12), date(2026, 2, 2))


def test_across_easter():
    # Received Thu 26 Mar 2026; the weeks of 30 Mar and 6 Apr are the Easter holiday.
    # Acknowledgement: the week of 13 Apr -> Thu 16 Apr.
    # Response: 13 Apr (1), 20 Apr (2), 27 Apr (3), 4 May (4) -> Thu 7 May (Mon 4 May is the
    # bank holiday, but Thursday is a school day).
    clock = deadlines.formal_clock(CAL, date(2026, 3, 26))
    assert (clock.ack_due_on, clock.response_due_on) == (date(2026, 4, 16), date(2026, 5, 7))


def test_a_deadline_on_a_bank_holiday_moves_to_the_next_school_day_that_week():
    # Received Mon 27 Apr 2026. One school week on is Mon 4 May, the early May bank holiday:
    # the acknowledgement is due Tue 5 May.
    # Response: 4 May (1), 11 May (2), 18 May (3), [25 May half term], 1 Jun (4) -> Mon 1 Jun.
    clock = deadlines.formal_clock(CAL, date(2026, 4, 27))
    assert (clock.ack_due_on, clock.response_due_on) == (date(2026, 5, 5), date(2026, 6, 1))


def test_appeal_across_february_half_term():
    # Appeal asked for Wed 11 Feb 2026; the week of 16 Feb is half term.
    # 23 Feb (1), 2 Mar (2), 9 Mar (3), 16 Mar (4) -> Wed 18 Mar 2026.
    assert deadlines.appeal_due(CAL, date(2026, 2, 11)).on == date(2026, 3, 18)


def test_late_formal_complaint_is_flagged_with_the_window():
    # Issue Mon 1 Dec 2025; 8 school weeks: 8 Dec (1), 15 Dec (2), [Christmas], 5 Jan (3),
    # 12 Jan (4), 19 Jan (5), 26 Jan (6), 2 Feb (7), 9 Feb (8) -> window ends Mon 9 Feb 2026.
    on_time = deadlines.lateness(CAL, date(2025, 12, 1), date(2026, 2, 9), formal=True)
    assert not on_time.late and on_time.window_ends_on == date(2026, 2, 9)
    late = deadlines.lateness(CAL, date(2025, 12, 1), date(2026, 2, 10), formal=True)
    assert late.late
    assert "by 9 February 2026" in late.note and "more than 8 school weeks" in late.note


def test_late_informal_concern_window_is_four_school_weeks():
    # Issue Mon 1 Dec 2025; 4 school weeks: 8 Dec, 15 Dec, 5 Jan, 12 Jan -> Mon 12 Jan 2026.
    assert not deadlines.lateness(CAL, date(2025, 12, 1), date(2026, 1, 12), formal=False).late
    late = deadlines.lateness(CAL, date(2025, 12, 1), date(2026, 1, 13), formal=False)
    assert late.late and "an informal concern within 4 school weeks" in late.note


def test_no_calendar_counts_calendar_weeks_and_says_so():
    clock = deadlines.formal_clock(SchoolCalendar(), date(2030, 3, 4))
    assert clock.ack_due_on == date(2030, 3, 11)
    assert clock.response_due_on == date(2030, 4, 1)
    assert "calendar weeks" in clock.note


DAYS = st.dates(min_value=date(2025, 9, 1), max_value=date(2026, 7, 10))


@settings(max_examples=200, deadline=None)
@given(DAYS)
def test_deadlines_always_fall_on_school_days_in_order(received):
    clock = deadlines.formal_clock(CAL, received)
    assert CAL.is_school_day(clock.ack_due_on) and CAL.is_school_day(clock.response_due_on)
    assert received <= clock.clock_starts_on < clock.ack_due_on < clock.response_due_on
    # Four school weeks are never fewer than four calendar weeks.
    assert clock.response_due_on - clock.clock_starts_on >= timedelta(weeks=4) - timedelta(days=4)


@settings(max_examples=100, deadline=None)
@given(DAYS, st.integers(min_value=0, max_value=200))
def test_lateness_agrees_with_the_window(issue, gap):
    received = issue + timedelta(days=gap)
    result = deadlines.lateness(CAL, issue, received, formal=True)
    if result.window_ends_on is not None:
        assert result.late == (received > result.window_ends_on)


def test_deadlines_are_recounted_when_the_calendar_changes(
    calendar, hub, django_capture_on_commit_callbacks
):
    # Received Mon 20 Oct 2025: response due Mon 24 Nov (see above).
    with django_capture_on_commit_callbacks(execute=True):
        c = services.complaint_file(
            data=complaint_data(issue_date=date(2025, 10, 13)),
            received_on=date(2025, 10, 20),
            formal=True,
        ).complaint
    assert c.response_due_on == date(2025, 11, 24)
    # The school adds a closure for the whole week of 10 Nov: that week no longer counts, so
    # the response moves a week later, to Mon 1 Dec.
    year = CalendarPeriod.objects.filter(kind=PeriodKind.TERM).first().academic_year
    with django_capture_on_commit_callbacks(execute=True):
        CalendarPeriod.objects.create(
            academic_year=year,
            kind=PeriodKind.CLOSURE,
            name="Fictional closure",
            starts_on=date(2025, 11, 10),
            ends_on=date(2025, 11, 14),
        )
        calendar_changed()
    c = Complaint.objects.get(pk=c.pk)
    assert c.ack_due_on == date(2025, 11, 3)
    assert c.response_due_on == date(2025, 12, 1)


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (date(2026, 1, 12), date(2026, 1, 8), "before"),
        (date(2026, 1, 12), date(2026, 1, 12), "today"),
        (date(2026, 1, 12), date(2026, 1, 13), "missed"),
        (date(2026, 1, 12), date(2026, 1, 1), None),
    ],
)
def test_reminder_days(due, today, expected):
    assert deadlines.reminder_days(due, today, 4) == expected
