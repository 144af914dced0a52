"""Load school term dates from JSON into academic years and calendar periods.

Two shapes are read, those of the published files in ``tests/data/calendar/``:

- a local authority's published calendar (``term_dates_sheffield.json``): per academic year,
  its school holidays and the list of school days. The year's term is the span from its first
  to its last school day; each holiday is a break; any other weekday in the span that is not a
  school day nor a bank holiday is a closure (a training day).
- hand-transcribed term dates (``term_dates_shropshire_telford_ealing.json``): records per
  authority and year with terms, half terms and PD days.

Parsing is pure (:func:`parse_calendar`); :func:`load_plans` writes, replacing the periods of
each year it loads, in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from .calendar import SchoolCalendar, england_bank_holidays
from .models import AcademicYear, CalendarPeriod, PeriodKind
from .services import calendar_changed


class CalendarFileError(ValueError):
    """The file cannot be loaded; nothing was changed."""


@dataclass
class YearPlan:
    name: str  # "2025/26"
    starts_on: date
    ends_on: date
    periods: list[tuple[str, str, date, date]] = field(default_factory=list)


def _year_name(text: str) -> tuple[str, date, date]:
    """ "2025-26", "2025/26" or "2025/2026" -> ("2025/26", 1 Sep 2025, 31 Aug 2026)."""
    cleaned = str(text).strip().replace("-", "/")
    try:
        first = int(cleaned.split("/")[0])
    except ValueError:
        raise CalendarFileError(f"'{text}' is not an academic year like 2025/26.") from None
    if not 1990 <= first <= 2100:
        raise CalendarFileError(f"'{text}' is not an academic year like 2025/26.")
    return f"{first}/{(first + 1) % 100:02d}", date(first, 9, 1), date(first + 1, 8, 31)


def _date(value, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CalendarFileError(f"{where}: '{value}' is not a date (YYYY-MM-DD).") from None


def _from_school_days(year: dict) -> YearPlan:
    name, starts, ends = _year_name(year.get("name", ""))
    days = sorted({_date(d["date"] if isinstance(d, dict) else d, name) for d in year["dates"]})
    if not days:
        raise CalendarFileError(f"{name}: the year lists no school days.")
    plan = YearPlan(name, starts, ends)
    plan.periods.append((PeriodKind.TERM, "School year", days[0], days[-1]))
    breaks = []
    for holiday in year.get("school_holidays", []):
        start = _date(holiday["start"], name)
        end = _date(holiday["end"], name)
        if end < days[0] or start > days[-1]:
            continue
        breaks.append((start, end))
        plan.periods.append((PeriodKind.HOLIDAY, holiday.get("label") or "Holiday", start, end))
    school_days = set(days)
    bank = england_bank_holidays({days[0].year, days[-1].year})
    day = days[0]
    while day <= days[-1]:
        if (
            day.weekday() < 5
            and day not in school_days
            and day not in bank
            and not any(s <= day <= e for s, e in breaks)
        ):
            plan.periods.append((PeriodKind.CLOSURE, "Closure (no school)", day, day))
        day += timedelta(days=1)
    return plan


def _from_terms(record: dict) -> YearPlan:
    name, starts, ends = _year_name(record.get("academic_year", ""))
    plan = YearPlan(name, starts, ends)
    for term in record.get("terms", []):
        label = str(term.get("term", "")).capitalize() or "Term"
        start, end = _date(term["start"], name), _date(term["end"], name)
        if end < start:
            raise CalendarFileError(f"{name}: the {label.lower()} term ends before it starts.")
        plan.periods.append((PeriodKind.TERM, f"{label} term", start, end))
        if term.get("half_term"):
            first, last = (_date(d, name) for d in term["half_term"])
            plan.periods.append((PeriodKind.HALF_TERM, f"{label} half term", first, last))
        for pd_day in term.get("pd_days", []):
            day = _date(pd_day, name)
            plan.periods.append((PeriodKind.CLOSURE, "Professional development day", day, day))
    if not any(kind == PeriodKind.TERM for kind, *_ in plan.periods):
        raise CalendarFileError(f"{name}: no terms are given.")
    return plan


def _matches(record: dict, key: str) -> bool:
    """Whether a record is the authority ``key`` names (part of its name, or an LA code; a
    record may list several codes)."""
    codes = record.get("la_code")
    codes = codes if isinstance(codes, list) else [codes]
    return key in str(record.get("authority", "")).lower() or key in {str(c) for c in codes}


def parse_calendar(
    data: bytes | str, *, year: str | None = None, source: str | None = None
) -> list[YearPlan]:
    """The academic years in a term-dates file (only ``year`` if given). ``source`` picks
    one authority (by name or LA code) in a file that has several."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise CalendarFileError(f"This is not a JSON file ({error}).") from None
    wanted = _year_name(year)[0] if year else None
    plans: list[YearPlan] = []
    try:
        if isinstance(document, dict) and isinstance(document.get("academic_years"), list):
            plans = [_from_school_days(y) for y in document["academic_years"]]
        elif isinstance(document, dict) and isinstance(document.get("records"), list):
            records = document["records"]
            if source:
                key = source.strip().lower()
                records = [r for r in records if _matches(r, key)]
                if not records:
                    raise CalendarFileError(f"No term dates for '{source}' in this file.")
            plans = [_from_terms(r) for r in records]
        else:
            raise CalendarFileError(
                "This JSON is not a term-dates file: it needs 'academic_years' (with school "
                "holidays and dates) or 'records' (with terms)."
            )
    except (KeyError, TypeError, AttributeError) as error:
        raise CalendarFileError(f"The term-dates file is missing a field: {error}.") from None
    if wanted:
        plans = [p for p in plans if p.name == wanted]
        if not plans:
            raise CalendarFileError(f"The file has no term dates for {wanted}.")
    names = [p.name for p in plans]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise CalendarFileError(
            f"The file has several calendars for {', '.join(duplicates)}: choose one with "
            "--source (an authority's name or LA code)."
        )
    if not plans:
        raise CalendarFileError("The file has no academic years.")
    return plans


def calendar_from_plans(plans: list[YearPlan], *, bank_holidays=None) -> SchoolCalendar:
    """A :class:`SchoolCalendar` straight from parsed plans (for previews and tests)."""
    terms = [(s, e) for p in plans for k, _, s, e in p.periods if k == PeriodKind.TERM]
    breaks = [(s, e) for p in plans for k, _, s, e in p.periods if k != PeriodKind.TERM]
    years = {d.year for p in plans for d in (p.starts_on, p.ends_on)}
    return SchoolCalendar(
        terms=tuple(sorted(terms)),
        breaks=tuple(sorted(breaks)),
        bank_holidays=(
            bank_holidays if bank_holidays is not None else england_bank_holidays(years)
        ),
    )


@transaction.atomic
def load_plans(plans: list[YearPlan]) -> list[AcademicYear]:
    """Create or replace each year's periods."""
    years = []
    for plan in plans:
        academic_year, _ = AcademicYear.objects.update_or_create(
            name=plan.name, defaults={"starts_on": plan.starts_on, "ends_on": plan.ends_on}
        )
        academic_year.periods.all().delete()
        CalendarPeriod.objects.bulk_create(
            CalendarPeriod(
                academic_year=academic_year, kind=kind, name=name[:100], starts_on=s, ends_on=e
            )
            for kind, name, s, e in plan.periods
        )
        years.append(academic_year)

    calendar_changed()  # bulk_create sends no signals
    return years
