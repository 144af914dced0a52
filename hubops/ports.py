"""The one place where the apps plug into the core.

hubops must not import the apps (they import hubops), so each app registers what it knows here
in its ``AppConfig.ready()``. Two kinds of plug-in:

**The core's own duties** (the app's ``apps.py``):

- a *calendar recompute* ``() -> object``: recomputes the app's stored deadlines counted in
  school days or weeks when the school calendar changes (``hubops.services.calendar_changed``
  runs each once the change has committed);
- a *recipient filter* ``(addresses) -> addresses``: drops people who must not be mailed
  (privacy's restriction of processing); every message the outbox sends passes through them.

(What each model holds about a person is declared in ``<app>/personal_data.py`` through
``hubops.personal_data``, discovered like ``admin.py``.)

**The staff workspace** (``/staff/``), from the app's own ``<app>/workspace.py``:

- a *due-item provider* ``(user, today) -> list[DueItem]``: what is due or overdue for this
  person (the provider scopes to what the user may see and returns ``[]`` for other roles);
- an *area provider* ``(user, today) -> Area | None``: the area's counts and the links to its
  pages, only those the user's role can open (``None`` when the user cannot use the area);
- a *search provider* ``(user, query) -> list[SearchHit]``: people, schools, registrations and
  complaints matching the query, scoped to what the user may see.

A provider runs a fixed number of queries whatever the amount of data (the home page's query
count is guarded in ``tests/hubops/test_workspace.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class DueItem:
    """One thing due for a person: ``what`` is the move ("Acknowledge", "Sign off"), ``title``
    the record it is about, ``due_on`` the deadline (``due_at`` when the clock runs in hours,
    as the 72-hour breach clock does). An ``undated`` item has no deadline: ``due_on`` is the
    day it started waiting, and it is never overdue."""

    area: str
    what: str
    title: str
    url: str
    due_on: date
    due_at: datetime | None = None
    detail: str = ""
    undated: bool = False


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Count:
    label: str
    value: int
    url: str = ""


@dataclass(frozen=True)
class Area:
    name: str
    order: int
    counts: list[Count] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class SearchHit:
    area: str
    kind: str  # "Person", "School", "Registration", "Complaint", ...
    title: str
    url: str = ""
    detail: str = ""


DueProvider = Callable[[object, date], list[DueItem]]
AreaProvider = Callable[[object, date], "Area | None"]
SearchProvider = Callable[[object, str], list[SearchHit]]

CalendarRecompute = Callable[[], object]
RecipientFilter = Callable[[list[str]], list[str]]

_recompute: list[CalendarRecompute] = []
_recipient_filters: list[RecipientFilter] = []
_due: dict[str, DueProvider] = {}
_areas: dict[str, AreaProvider] = {}
_search: dict[str, SearchProvider] = {}


def register_calendar_recompute(fn: CalendarRecompute) -> CalendarRecompute:
    """Run ``fn`` after every change to the school calendar (registering twice is harmless)."""
    if fn not in _recompute:
        _recompute.append(fn)
    return fn


def calendar_recomputes() -> list[CalendarRecompute]:
    return list(_recompute)


def register_recipient_filter(fn: RecipientFilter) -> RecipientFilter:
    """Pass every outgoing message's recipients through ``fn`` (registering twice is
    harmless)."""
    if fn not in _recipient_filters:
        _recipient_filters.append(fn)
    return fn


def recipient_filters() -> list[RecipientFilter]:
    return list(_recipient_filters)


def register_due_items(key: str, provider: DueProvider) -> None:
    """Register (or replace, so ``ready()`` may run twice) the due-item provider ``key``."""
    _due[key] = provider


def register_area(key: str, provider: AreaProvider) -> None:
    _areas[key] = provider


def register_search(key: str, provider: SearchProvider) -> None:
    _search[key] = provider


def due_items(user, today: date) -> list[DueItem]:
    """Everything due for ``user``, soonest (most overdue) first."""
    items = [item for provider in _due.values() for item in provider(user, today)]
    return sorted(
        items,
        key=lambda i: (i.due_on, i.due_at.timestamp() if i.due_at else 0, i.area, i.title),
    )


def areas(user, today: date) -> list[Area]:
    found = [area for provider in _areas.values() if (area := provider(user, today))]
    return sorted(found, key=lambda a: (a.order, a.name))


def search(user, query: str) -> list[SearchHit]:
    query = query.strip()
    if len(query) < 2:
        return []
    return [hit for provider in _search.values() for hit in provider(user, query)]
