"""Date rules of the complaints policy, as pure functions over a ``SchoolCalendar`` (no ORM).

How the policy's phrases are read (also shown on the public page, ``/complaints/``):

- "week" means a *school week*, as ``hubops.calendar`` defines it: a Monday-to-Sunday week with
  at least one school day in it. Weeks wholly inside a half term or holiday do not count. The
  policy counts the complainant's time in school weeks, and we count the hub's time the same way
  so that a complaint made just before a holiday is not answered during it.
- "N weeks of receipt": the deadline is the same weekday N school weeks after the clock starts
  (``SchoolCalendar.add_school_weeks``), moved to another school day in that week when that day
  is a bank holiday or training day.
- "receipt": the day the complaint reaches us (the form's submission date in London time, or the
  date staff record for a letter, email or call). When that day is not a school day (a weekend,
  a half term or a holiday) the clock starts on the next school day: a complaint sent on
  Christmas Eve is "received" on the first day of the spring term.
- "acknowledged in writing within one week": one school week after receipt.
- "a response within four weeks of the complaint being received": four school weeks after
  receipt. Before that runs out the handler may send a holding letter giving the reason and a new
  date; the new date then replaces the deadline.
- The appeal panel's "respond within four weeks": four school weeks after the appeal reaches us.
- The complainant may ask for an appeal for ``COMPLAINTS_APPEAL_WINDOW_SCHOOL_WEEKS`` (default
  four) school weeks after the stage 2 response is sent.
- "within four school weeks of the issue arising" (informal) and "normally within eight school
  weeks" (formal): a concern is late when it arrives after ``add_school_weeks(issue date, 4)``
  (or 8). A late complaint is accepted and flagged with the computed window, never refused.
- When the calendar holds no terms for the dates needed, the deadline is counted in calendar
  weeks (7 days, then the next working day) and a note says so; entering the calendar recomputes
  every open complaint's deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hubops.calendar import NoSchoolDays, SchoolCalendar
from hubops.formats import format_date

ACK_WEEKS = 1
RESPONSE_WEEKS = 4
APPEAL_WEEKS = 4
INFORMAL_LIMIT_WEEKS = 4
FORMAL_LIMIT_WEEKS = 8
FALLBACK_NOTE = (
    "The school calendar has no terms entered for these dates, so this was counted in calendar "
    "weeks; it will be recounted when the calendar is entered."
)


@dataclass(frozen=True)
class Due:
    on: date
    note: str = ""


def clock_start(cal: SchoolCalendar, received: date) -> Due:
    """The day the clock starts: ``received`` if a school day, else the next school day."""
    try:
        return Due(cal.next_school_day(received))
    except NoSchoolDays:
        return Due(cal.next_working_day(received), FALLBACK_NOTE)


def weeks_after(cal: SchoolCalendar, start: date, weeks: int) -> Due:
    """``weeks`` school weeks after ``start`` (see the module's interpretation)."""
    try:
        return Due(cal.add_school_weeks(start, weeks))
    except NoSchoolDays:
        return Due(cal.next_working_day(start + timedelta(weeks=weeks)), FALLBACK_NOTE)


@dataclass(frozen=True)
class FormalClock:
    clock_starts_on: date
    ack_due_on: date
    response_due_on: date
    note: str


def formal_clock(cal: SchoolCalendar, received: date) -> FormalClock:
    start = clock_start(cal, received)
    ack = weeks_after(cal, received, ACK_WEEKS)
    response = weeks_after(cal, received, RESPONSE_WEEKS)
    note = next((d.note for d in (start, ack, response) if d.note), "")
    return FormalClock(start.on, ack.on, response.on, note)


def appeal_due(cal: SchoolCalendar, requested: date) -> Due:
    return weeks_after(cal, requested, APPEAL_WEEKS)


def appeal_window_end(cal: SchoolCalendar, responded: date, weeks: int) -> Due:
    return weeks_after(cal, responded, weeks)


@dataclass(frozen=True)
class Lateness:
    late: bool
    note: str
    window_ends_on: date | None = None
    weeks_elapsed: int | None = None


def lateness(
    cal: SchoolCalendar, issue_date: date | None, received: date, *, formal: bool
) -> Lateness:
    """Whether a concern (``formal=False``) or a formal complaint arrived after the policy's
    window, with the computed window in words."""
    if issue_date is None:
        return Lateness(False, "")
    limit = FORMAL_LIMIT_WEEKS if formal else INFORMAL_LIMIT_WEEKS
    try:
        window_end = cal.add_school_weeks(issue_date, limit)
    except NoSchoolDays:
        return Lateness(
            False,
            "Not checked for lateness: the school calendar has no terms entered for these dates.",
        )
    weeks = cal.school_weeks_between(issue_date, received)
    if received <= window_end:
        return Lateness(False, "", window_end, weeks)
    article = "a formal complaint" if formal else "an informal concern"
    return Lateness(
        True,
        f"Received on {format_date(received)}, more than {limit} school weeks after the issue "
        f"arose on {format_date(issue_date)}: the policy asks for {article} within {limit} "
        f"school weeks, that is by {format_date(window_end)}. Accepted and flagged as late.",
        window_end,
        weeks,
    )


def reminder_days(due: date, today: date, days_before: int) -> str | None:
    """Which reminder is due today for a deadline: "before" (within ``days_before`` days ahead),
    "today", "missed" (after it), or None."""
    if today > due:
        return "missed"
    if today == due:
        return "today"
    if (due - today).days <= days_before:
        return "before"
    return None
