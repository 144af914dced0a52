"""The school calendar as pure functions. No ORM here: ``hubops.selectors.school_calendar()``
builds a :class:`SchoolCalendar` from the database; tests build one directly.

Interpretations (the complaints policy and the ICO's guidance count in these units):

- A *working day* is Monday to Friday and not an England and Wales bank holiday.
- A *school day* is a working day inside a term and outside any half term, holiday or closure.
- A *school week* is a Monday-to-Sunday week with at least one school day in it. Holiday weeks
  do not count. "Four school weeks from D" is the same weekday four school weeks on; if that
  day is not a school day (a bank holiday, a training day, the days after term ends), the
  deadline is the next school day in that same week, or else the last school day of that week:
  a deadline always falls inside the school week it counts to. A clock that starts outside
  term (in a holiday, at a weekend) starts on the next school day.
- A *calendar month* (the ICO's "one month") ends on the same date next month; when that date
  does not exist (31 January + 1 month) it is the month's last day; when it is not a working
  day it moves to the next working day.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import holidays

from .formats import format_date

ONE_DAY = timedelta(days=1)
# A search for the next school day gives up after this many days: a calendar with no terms
# ahead of a date has no school days, and callers must hear that rather than loop forever.
_SEARCH_LIMIT_DAYS = 3 * 366


class NoSchoolDays(ValueError):
    """The calendar holds no school days where a count needed them (no terms entered)."""


def england_bank_holidays(years: Iterable[int]) -> frozenset[date]:
    """England and Wales bank holidays for the given years, from the ``holidays`` package.

    The package also lists the day itself when Christmas or New Year falls at a weekend; only
    the weekday (the substitute day) is a bank holiday, as in GOV.UK's list."""
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=list(years))
    return frozenset(day for day in calendar if day.weekday() < 5)


def week_start(day: date) -> date:
    """The Monday of the week that holds ``day``."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class SchoolCalendar:
    """Terms and breaks (half terms, holidays, closures) as inclusive date ranges, plus bank
    holidays."""

    terms: tuple[tuple[date, date], ...] = ()
    breaks: tuple[tuple[date, date], ...] = ()
    bank_holidays: frozenset[date] = field(default_factory=frozenset)

    # -- days ------------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.bank_holidays

    def in_term(self, day: date) -> bool:
        return any(start <= day <= end for start, end in self.terms) and not any(
            start <= day <= end for start, end in self.breaks
        )

    @cached_property
    def _school_days(self) -> tuple[date, ...]:
        """Every school day of every term entered, in order (a few hundred a year): counting
        and finding school days looks here instead of testing each day against every term."""
        days: set[date] = set()
        for start, end in self.terms:
            days.update(start + i * ONE_DAY for i in range((end - start).days + 1))
        for start, end in self.breaks:
            days.difference_update(start + i * ONE_DAY for i in range((end - start).days + 1))
        return tuple(sorted(day for day in days if self.is_working_day(day)))

    @cached_property
    def _school_day_set(self) -> frozenset[date]:
        return frozenset(self._school_days)

    def is_school_day(self, day: date) -> bool:
        return day in self._school_day_set

    @cached_property
    def _last_term_day(self) -> date | None:
        return max((end for _, end in self.terms), default=None)

    def next_school_day(self, day: date, *, include_today: bool = True) -> date:
        """The first school day on or after ``day`` (after it, with ``include_today=False``)."""
        current = day if include_today else day + ONE_DAY
        days = self._school_days
        i = bisect_left(days, current)
        if i < len(days) and (days[i] - current).days < _SEARCH_LIMIT_DAYS:
            return days[i]
        raise NoSchoolDays(f"The school calendar has no school days after {format_date(day)}.")

    def next_working_day(self, day: date, *, include_today: bool = True) -> date:
        current = day if include_today else day + ONE_DAY
        while not self.is_working_day(current):
            current += ONE_DAY
        return current

    def add_school_days(self, day: date, n: int) -> date:
        """The ``n``-th school day after ``day`` (``n`` = 0: the next school day on or after)."""
        if n < 0:
            raise ValueError("n must not be negative")
        current = self.next_school_day(day)
        if current != day and n > 0:
            # The clock starts outside term: the first school day counts as day 1.
            n -= 1
        for _ in range(n):
            current = self.next_school_day(current, include_today=False)
        return current

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day``."""
        if n < 0:
            raise ValueError("n must not be negative")
        current = day
        for _ in range(n):
            current = self.next_working_day(current, include_today=False)
        return current

    def school_days_between(self, start: date, end: date) -> int:
        """School days in the half-open range (start, end]."""
        if end <= start:
            return 0
        return bisect_right(self._school_days, end) - bisect_right(self._school_days, start)

    # -- weeks -----------------------------------------------------------------------------
    def is_school_week(self, monday: date) -> bool:
        """Whether the Monday-to-Sunday week starting on ``monday`` has a school day."""
        return any(self.is_school_day(monday + i * ONE_DAY) for i in range(5))

    def add_school_weeks(self, day: date, n: int) -> date:
        """The deadline ``n`` school weeks after ``day`` (see the module's interpretation)."""
        if n < 0:
            raise ValueError("n must not be negative")
        start = self.next_school_day(day)
        monday = week_start(start)
        counted = 0
        while counted < n:
            monday += 7 * ONE_DAY
            if self._last_term_day is not None and monday > self._last_term_day:
                raise NoSchoolDays(
                    f"The school calendar ends before {n} school weeks after {format_date(day)}."
                )
            if self.is_school_week(monday):
                counted += 1
        return self._school_day_in_week(monday, start.weekday())

    def _school_day_in_week(self, monday: date, weekday: int) -> date:
        """The school day of the week starting ``monday`` that is ``weekday``, else the next
        school day in that week, else the last one before it (the week has one)."""
        for offset in [*range(weekday, 5), *range(weekday - 1, -1, -1)]:
            day = monday + timedelta(days=offset)
            if self.is_school_day(day):
                return day
        raise NoSchoolDays(f"The week of {format_date(monday)} has no school days.")

    def school_weeks_between(self, start: date, end: date) -> int:
        """How many whole school weeks have passed from ``start`` to ``end``: the largest ``n``
        with ``add_school_weeks(start, n) <= end`` (0 when ``end`` is not after ``start``)."""
        if end <= start or not self._has_terms_after(start):
            return 0
        try:
            first = week_start(self.next_school_day(start))
        except NoSchoolDays:
            return 0
        n = 0
        monday = first + 7 * ONE_DAY
        while monday <= end:
            if self.is_school_week(monday):
                n += 1
            monday += 7 * ONE_DAY
        while n > 0:
            try:
                if self.add_school_weeks(start, n) <= end:
                    break
            except NoSchoolDays:
                pass  # the calendar ends before n weeks: try one fewer
            n -= 1
        return n

    def _has_terms_after(self, day: date) -> bool:
        return self._last_term_day is not None and self._last_term_day >= day

    # -- months ----------------------------------------------------------------------------
    def add_calendar_months(self, day: date, n: int) -> date:
        """The ICO's "one month": the same date ``n`` months on (the month's last day when that
        date does not exist), moved to the next working day."""
        return self.next_working_day(add_months(day, n))


def add_months(day: date, n: int) -> date:
    """The same date ``n`` months later, clamped to the last day of the month."""
    month_index = day.month - 1 + n
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
