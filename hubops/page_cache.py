"""Staff list pages kept whole in the shared cache, one copy per viewer.

A staff list (the complaints dashboard, the data-rights requests, the breach log) costs tens of
milliseconds to build at a large hub, most of it in the template, and is opened again and again
between changes. :func:`cached_page` keeps the viewer's copy under their account, their roles,
the day (deadlines turn overdue at midnight) and the query string, stored with the version of
each record family the page shows. Any change to those records bumps the version
(:func:`bump`, connected to the models' signals by the apps, and called by the erasure, whose
anonymising writes send none), so the next look-up builds the page afresh; a copy is never
served under an older version.

Never kept: a page while a message waits to be shown once, a page carrying a form's CSRF
token, and anything but a plain 200. Copies hold the personal data the page shows: they live
``TTL`` seconds at most, and an erasure makes every copy unreachable at once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse

from .roles import role_names

PREFIX = "hubops:page:"
TTL = 300
# What {% csrf_token %} renders: a page with a form is built for each request.
FORM_MARK = b'name="csrfmiddlewaretoken"'
#: Every family of records pages are cached under (registered at start-up), for bump_all().
FAMILIES: set[str] = set()


def _version_key(family: str) -> str:
    return f"hubops:page-version:{family}"


def _fresh() -> int:
    # A version never used before: a version evicted from the cache starts again above every
    # version a stored copy can carry, so no old copy matches it.
    return time.time_ns()


def _bump_now(families: Iterable[str]) -> None:
    for family in families:
        try:
            cache.incr(_version_key(family))
        except ValueError:  # not there (evicted): a fresh value retires the old copies too
            cache.set(_version_key(family), _fresh(), None)


def _versions(found: dict, version_keys: list[str]) -> tuple[int, ...]:
    out = []
    for key in version_keys:
        version = found.get(key)
        if version is None:
            cache.add(key, _fresh(), None)
            version = cache.get(key)
        out.append(version)
    return tuple(out)


def bump(*families: str) -> None:
    """Retire every cached copy of pages showing these record families: now, and again once
    the current transaction commits (a page built meanwhile saw the data before the change)."""
    _bump_now(families)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(families))


def bump_all() -> None:
    """Retire every cached staff page (an erasure: no copy may show the person again)."""
    bump(*FAMILIES)


def bump_on_changes(family: str, *senders) -> None:
    """Bump ``family`` whenever a row of these models (or m2m through tables) is saved,
    deleted or linked: connected once, from an app's ``ready()``."""
    FAMILIES.add(family)

    def changed(sender, **kwargs) -> None:
        bump(family)

    for sender in senders:
        for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
            signal.connect(
                changed,
                sender=sender,
                weak=False,
                dispatch_uid=f"page-cache-{family}-{name}-{sender._meta.label}",
            )


def cached_page(
    request: HttpRequest,
    families: tuple[str, ...],
    build: Callable[[], HttpResponse],
    *,
    vary: str = "",
) -> HttpResponse:
    """``build()``'s response, or the viewer's copy of it built under the current versions of
    ``families``. ``vary``: anything else the page depends on (the day; the minute, for a clock)."""
    user = request.user
    if request.method != "GET" or not user.is_authenticated or len(messages.get_messages(request)):
        return build()
    roles = ",".join(sorted(role_names(user)))
    viewer = (
        f"{request.path}:{user.pk}:{user.is_superuser:d}:{roles}:{vary}:{request.GET.urlencode()}"
    )
    key = PREFIX + hashlib.sha256(viewer.encode()).hexdigest()
    version_keys = [_version_key(f) for f in families]
    found = cache.get_many([*version_keys, key])
    versions = _versions(found, version_keys)
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == versions:
        return HttpResponse(entry[1])
    response = build()
    if (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and FORM_MARK not in response.content
    ):
        cache.set(key, (versions, response.content), TTL)
    return response
