"""The shared cache of the Work Groups read pages (the catalogue, a group's page and the hub
staff's list of groups).

Every entry is stored with the catalogue version it was built under
(:func:`workgroups.selectors.catalogue_version`, bumped by every change to projects, groups,
sessions and registrations) and looked up together with the current version in one round
trip (``get_many``): a hit costs no query and one cache read; an entry built under an older
version is rebuilt.

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

from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest

from .selectors import CATALOGUE_VERSION_KEY, catalogue_version

PREFIX = "workgroups:shared:"
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


def versioned(key: str, build: Callable[[], str], ttl: int) -> str:
    """The HTML cached under ``key`` for the current catalogue version, else ``build()``,
    stored for ``ttl`` seconds."""
    full_key = PREFIX + key
    found = cache.get_many([CATALOGUE_VERSION_KEY, full_key])
    version = found.get(CATALOGUE_VERSION_KEY)
    if version is None:
        version = catalogue_version()
    entry = found.get(full_key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    # Built under the version read before building: a change made meanwhile bumps the
    # version, so this copy is rebuilt at the next look-up instead of being served stale.
    html = build()
    if PERSONAL_MARK in html:
        # A form carrying this visitor's CSRF token: never hand it to anyone else.
        return html
    cache.set(full_key, (version, html), ttl)
    return html
