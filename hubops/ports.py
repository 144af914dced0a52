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
  person (the provider scopes to what the user may see and returns ``[]`` for other roles),
  for an area that only ever has a handful; an area whose items grow with the hub (complaints,
  data-rights requests, sessions) registers a *due-list provider* ``(user, today, limit) ->
  DueList`` instead, which reads only the soonest ``limit`` items and counts the rest in SQL;
- an *area provider* ``(user, today) -> Area | None``: the area's counts and the links to its
  pages, only those the user's role can open (``None`` when the user cannot use the area);
- a *search provider* ``(user, query) -> list[SearchHit]``: people, schools, registrations and
  complaints matching the query, scoped to what the user may see.

A provider runs a fixed number of queries whatever the amount of data, and the home shows at
most :data:`DUE_LIMIT` items from each area, with how many more there are and a link to the
area's own list (the home page's query count and size are guarded in
``tests/hubops/test_workspace.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone


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


#: How many due items the staff home shows from each area, soonest first. The rest are counted
#: and linked to the area's own list, so the home costs the same at 20 or 20,000 complaints.
DUE_LIMIT = 20


@dataclass(frozen=True)
class DueList:
    """One area's due items for a person: the soonest of them (``items``, at most the limit
    asked for), how many there are in all (``total``) and how many of those are overdue, and
    ``url``, the page that lists every one."""

    area: str
    items: list[DueItem]
    total: int
    overdue: int
    url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.items)


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
DueListProvider = Callable[[object, date, int], DueList]
AreaProvider = Callable[[object, date], "Area | None"]
SearchProvider = Callable[[object, str], list[SearchHit]]

CalendarRecompute = Callable[[], object]
RecipientFilter = Callable[[list[str]], list[str]]

_recompute: list[CalendarRecompute] = []
_recipient_filters: list[RecipientFilter] = []
_due: dict[str, DueListProvider] = {}
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
    """Register (or replace, so ``ready()`` may run twice) the due-item provider ``key``: its
    items are sorted, counted and cut to the limit here."""

    def listed(user, today: date, limit: int) -> DueList:
        items = sorted(provider(user, today), key=soonest_first)
        now = timezone.now()
        overdue = sum(is_overdue(item, today, now) for item in items)
        area = items[0].area if items else key
        return DueList(area, items[:limit], len(items), overdue)

    _due[key] = listed


def register_due_list(key: str, provider: DueListProvider) -> None:
    """Register (or replace) ``key``'s due-list provider: for an area whose due items grow with
    the hub, it reads the soonest ``limit`` and counts the rest."""
    _due[key] = provider


def register_area(key: str, provider: AreaProvider) -> None:
    _areas[key] = provider


def register_search(key: str, provider: SearchProvider) -> None:
    _search[key] = provider


def soonest_first(item: DueItem) -> tuple:
    return (item.due_on, item.due_at.timestamp() if item.due_at else 0, item.area, item.title)


def is_overdue(item: DueItem, today: date, now: datetime) -> bool:
    """Past its deadline: the hour for a clock in hours, else the day (never when undated)."""
    if item.undated:
        return False
    return item.due_at < now if item.due_at is not None else item.due_on < today


def due_lists(user, today: date, limit: int = DUE_LIMIT) -> list[DueList]:
    """Each area's due items for ``user`` (the soonest ``limit`` of each) and their counts, for
    the areas with anything due."""
    found = (provider(user, today, limit) for provider in _due.values())
    return [due for due in found if due.total]


def areas(user, today: date) -> list[Area]:
    found = [area for provider in _areas.values() if (area := provider(user, today))]
    return sorted(found, key=lambda a: (a.order, a.name))


def search(user, query: str) -> list[SearchHit]:
    query = query.strip()
    if len(query) < 2:
        return []
    return [hit for provider in _search.values() for hit in provider(user, query)]
