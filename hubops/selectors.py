"""Reads for the hub core."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache

from .calendar import SchoolCalendar, england_bank_holidays
from .models import AcademicYear, CalendarPeriod, PeriodKind

CALENDAR_CACHE_KEY = "hubops:school-calendar:v1"


def school_calendar() -> SchoolCalendar:
    """The school calendar from the database (every academic year entered), cached until the
    calendar is edited (``hubops.services.calendar_changed`` clears it)."""
    cached = cache.get(CALENDAR_CACHE_KEY)
    if cached is not None:
        return cached
    terms, breaks = [], []
    for period in CalendarPeriod.objects.only("kind", "starts_on", "ends_on"):
        span = (period.starts_on, period.ends_on)
        (terms if period.kind == PeriodKind.TERM else breaks).append(span)
    years = set(range(date.today().year - 2, date.today().year + 3))
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
