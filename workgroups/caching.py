"""The shared cache of the Work Groups read pages (the catalogue, a group's page and the hub
staff's list of groups).

Every entry is stored with the catalogue version it was built under (:func:`catalogue_version`,
bumped by every change to projects, groups, sessions and registrations) and looked up together
with the current version in one round trip (``get_many``): a hit costs no query and one cache
read; an entry built under an older version is rebuilt.

**Each process keeps the last pages it served** (``LOCAL_PAGES`` of them) with the version they
were built under, and trusts the version it last read for ``HUBOPS_CATALOGUE_LOCAL_SECONDS``
(one second by default): within that second a hit costs no round trip at all. A change made in
this process is seen at once (the bump forgets the local copies); one made in another process
(another gunicorn worker, another machine) is seen within that second. That second of lag on
the place counts is the price; registration itself always checks the places left.

Pages are shared between visitors who would see the same bytes. The layout
(``templates/base.html``) depends on who is signed in only through the header's links: signed
in or not, and the staff flag. So :func:`audience` names one of three shared copies, and a
visitor with a message waiting (after an action) gets a page of their own. Anything about the
person themself (their name, "you are registered") must never be rendered into a shared copy:
render it per request, outside :func:`versioned`. ``tests/workgroups/test_perf.py`` checks that
two different people with the same audience are served the same page. A page that carries a
form's CSRF token is never stored, so a form added later cannot hand one person's token to
another.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "workgroups:shared:"
CATALOGUE_VERSION_KEY = "workgroups:catalogue:version"
LOCAL_PAGES = 500  # about 17 MB a process at 35 KB a page
_lock = threading.Lock()
_local_pages: OrderedDict[str, tuple[int, str]] = OrderedDict()
_local_version: list = [None, 0.0]  # the version last read, and when (time.monotonic())
# What {% csrf_token %} renders: a page with it is personal, whatever its audience.
PERSONAL_MARK = 'name="csrfmiddlewaretoken"'


def audience(request: HttpRequest) -> str | None:
    """Which shared copy of a page ``request`` may be served, or ``None`` for a page of its
    own (a message is waiting to be shown once)."""
    if len(messages.get_messages(request)):
        return None
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    return "staff" if user.is_staff else "signed-in"


def catalogue_version() -> int:
    version = cache.get(CATALOGUE_VERSION_KEY)
    if version is None:
        # Never a version used before: an evicted version must not bring old copies back.
        cache.add(CATALOGUE_VERSION_KEY, time.time_ns(), None)
        version = cache.get(CATALOGUE_VERSION_KEY)
    return version


def bump_catalogue_version() -> None:
    forget_local()
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:
        cache.set(CATALOGUE_VERSION_KEY, time.time_ns(), None)


def forget_local() -> None:
    """Drop this process's copies (the catalogue changed here)."""
    with _lock:
        _local_version[0] = None
        _local_pages.clear()


def _trusted_version():
    version, read_at = _local_version
    if version is not None and time.monotonic() - read_at < settings.HUBOPS_CATALOGUE_LOCAL_SECONDS:
        return version
    return None


def _keep_local(full_key: str, version: int, html: str) -> None:
    with _lock:
        _local_pages[full_key] = (version, html)
        _local_pages.move_to_end(full_key)
        while len(_local_pages) > LOCAL_PAGES:
            _local_pages.popitem(last=False)


def _html(entry: object, version: int) -> str | None:
    """The page in a stored ``(version, html)`` entry, if it was built under ``version``."""
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    return None


def versioned(key: str, build: Callable[[], str], ttl: int) -> str:
    """The HTML cached under ``key`` for the current catalogue version, else ``build()``,
    stored for ``ttl`` seconds."""
    full_key = PREFIX + key
    version = _trusted_version()
    if version is not None:
        with _lock:
            local = _html(_local_pages.get(full_key), version)
        if local is not None:
            return local
        entry = cache.get(full_key)
    else:
        found = cache.get_many([CATALOGUE_VERSION_KEY, full_key])
        version = found.get(CATALOGUE_VERSION_KEY)
        if version is None:
            version = catalogue_version()
        with _lock:
            _local_version[:] = [version, time.monotonic()]
        entry = found.get(full_key)
    shared = _html(entry, version)
    if shared is not None:
        _keep_local(full_key, version, shared)
        return shared
    # Built under the version read before building: a change made meanwhile bumps the
    # version, so this copy is rebuilt at the next look-up instead of being served stale.
    html = build()
    if PERSONAL_MARK in html:
        # A form carrying this visitor's CSRF token: never hand it to anyone else.
        return html
    cache.set(full_key, (version, html), ttl)
    _keep_local(full_key, version, html)
    return html
