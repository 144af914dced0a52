"""Reads for the hub core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.utils import timezone

from . import ports
from .calendar import SchoolCalendar, england_bank_holidays
from .models import AcademicYear, CalendarPeriod, PeriodKind

CALENDAR_CACHE_KEY = "hubops:school-calendar:v1"


def school_calendar() -> SchoolCalendar:
    """The school calendar from the database (every academic year entered), cached until the
    calendar is edited (``hubops.services.calendar_changed`` clears it)."""
    cached = cache.get(CALENDAR_CACHE_KEY)
    if cached is not None:
        return cached
    terms: list[tuple[date, date]] = []
    breaks: list[tuple[date, date]] = []
    for period in CalendarPeriod.objects.only("kind", "starts_on", "ends_on"):
        span = (period.starts_on, period.ends_on)
        (terms if period.kind == PeriodKind.TERM else breaks).append(span)
    this_year = timezone.localdate().year
    years = set(range(this_year - 2, this_year + 3))
    for year in AcademicYear.objects.only("starts_on", "ends_on"):
        years.update(range(year.starts_on.year, year.ends_on.year + 1))
    result = SchoolCalendar(
        terms=tuple(sorted(terms)),
        breaks=tuple(sorted(breaks)),
        bank_holidays=england_bank_holidays(years),
    )
    cache.set(CALENDAR_CACHE_KEY, result, 3600)
    return result


def academic_year_for(day: date) -> AcademicYear | None:
    return AcademicYear.objects.filter(starts_on__lte=day, ends_on__gte=day).first()


@dataclass(frozen=True)
class DueRow:
    """A due item with the school days left (negative when overdue) and the hours left on a
    clock that runs in hours."""

    item: ports.DueItem
    school_days_left: int
    hours_left: int | None

    @property
    def overdue(self) -> bool:
        if self.item.undated:
            return False
        if self.hours_left is not None:
            return self.hours_left < 0
        return self.school_days_left < 0


def school_days_left(cal: SchoolCalendar, today: date, due_on: date) -> int:
    """School days from ``today`` to ``due_on`` (0 when due today, negative when overdue:
    the school days since the deadline passed, at least -1 once it has passed)."""
    if due_on >= today:
        return cal.school_days_between(today, due_on)
    return -max(1, cal.school_days_between(due_on, today))


def staff_home(user, today: date, now: datetime | None = None) -> dict:
    """What ``user``'s home shows: the soonest due items of each area (at most
    ``ports.DUE_LIMIT`` from each), soonest first, overdue ones apart; how many are due in all
    and, for each area with more than it shows, how many more and where they are listed; and
    the areas (counts and links) the user may open."""
    cal = school_calendar()
    now = now or timezone.now()
    lists = ports.due_lists(user, today)
    rows = []
    for item in sorted((i for found in lists for i in found.items), key=ports.soonest_first):
        hours = None
        if item.due_at is not None:
            hours = int((item.due_at - now).total_seconds() // 3600)
        rows.append(DueRow(item, school_days_left(cal, today, item.due_on), hours))
    overdue = sum(found.overdue for found in lists)
    return {
        "overdue": [r for r in rows if r.overdue],
        "upcoming": [r for r in rows if not r.overdue],
        "overdue_total": overdue,
        "upcoming_total": sum(found.total for found in lists) - overdue,
        "more": [found for found in lists if found.more > 0],
        "due_limit": ports.DUE_LIMIT,
        "areas": ports.areas(user, today),
    }
