"""The shared cache: its Redis backend, and the signed-in accounts kept in it.

**The backend** is Django's own, keeping one client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, and
redis-py builds its table of response callbacks (some 170 entries) in each new client: about
0.6 ms of CPU per call, more than a cached page's whole look-up (measured with cProfile on a
signed-in visitor's catalogue hit, which makes two calls). A client over a connection pool is
safe to share between threads, so one is made per pool and kept.

**Accounts**: the sign-in backends (``hubops.auth_backends``) read a signed-in visitor's
account through :func:`cached_account`, with its roles (``hubops.roles.role_names``). Its copy
is dropped whenever the account changes, however it changes: a save or a delete (signals,
connected in ``hubops.apps``), a role given or taken away (the groups' m2m signal) and a
queryset ``update()`` (``hubops.models.UserQuerySet``, which the erasure's anonymising uses):
each bumps the account's version, at once and again on commit, and a copy is only served under
the version it was read with.
**One round trip for session and account**: the session store (``hubops.sessions``) knows,
for each session it has loaded in this process, whose it was, and reads the session, the
account's version and its copy in one ``get_many``; :func:`cached_account` then takes what
that read found instead of asking again (:func:`prefetch`). A signed-in visitor's page served
from the cache so costs one round trip to Redis, not two.

It lives ``HUBOPS_ACCOUNT_CACHE_SECONDS`` at most (0 turns it off; off by default with the
embedded database cache, where a hit would cost the query it saves). The cache then holds what
the session does not, the account's row with its password hash: it is the same private Redis
that holds the sessions.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction

from .roles import role_names

logger = logging.getLogger(__name__)


class _ClientKeepingCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class HubRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with one client per connection pool."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ClientKeepingCacheClient


def _key(pk: Any) -> str:
    return f"hubops:account:{pk}"


def _version_key(pk: Any) -> str:
    return f"hubops:account-version:{pk}"


def account_keys(user_id: Any) -> list[str]:
    """The cache keys :func:`cached_account` reads for ``user_id``, in one ``get_many``."""
    return [_version_key(user_id), _key(user_id)]


# What the session store read of one account with the session, for this thread's request.
_prefetched = threading.local()
PREFETCH_SECONDS = 1.0


def prefetch(user_id: Any, found: dict | None) -> None:
    """Hand :func:`cached_account` what a ``get_many`` of :func:`account_keys` found for
    ``user_id`` just now (``None`` forgets it). It is taken once, within a second."""
    _prefetched.entry = None if found is None else (str(user_id), found, time.monotonic())


def _take_prefetched(user_id: Any) -> dict | None:
    entry = getattr(_prefetched, "entry", None)
    _prefetched.entry = None
    if entry is None or entry[0] != str(user_id):
        return None
    if time.monotonic() - entry[2] > PREFETCH_SECONDS:
        return None
    return entry[1]


def cached_account(user_id: Any):
    """The account ``user_id`` (or ``None``), from the cache when it is there.

    The copy is stored with the account's version, read in the same round trip as the copy
    (``get_many``) and before the database is: a request that read the row just before a change
    committed stores it under the version the change then bumps, so no later request takes it."""
    seconds = settings.HUBOPS_ACCOUNT_CACHE_SECONDS
    model = get_user_model()
    if not seconds:
        return model._default_manager.filter(pk=user_id).first()
    version_key, key = account_keys(user_id)
    try:
        found = _take_prefetched(user_id)
        if found is None:
            found = cache.get_many([version_key, key])
        version = found.get(version_key)
        if version is None:
            # Never a version used before: an evicted version must not bring old copies back.
            cache.add(version_key, time.time_ns(), None)
            version = cache.get(version_key)
    except Exception:  # the cache is unreachable: the database still answers, sign-in holds
        logger.warning("Reading account %s from the cache failed", user_id, exc_info=True)
        return model._default_manager.filter(pk=user_id).first()
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    user = model._default_manager.filter(pk=user_id).first()
    if user is not None:
        role_names(user)  # kept with the account: a staff page then needs no query
        cache.set(key, (version, user), seconds)
    return user


def forget_accounts(pks: Iterable[Any]) -> None:
    """Retire the cached copies of these accounts (they changed): now, and again when the
    change commits, so a copy read from the database in between is never served."""
    pks = list(pks)
    if not pks or not settings.HUBOPS_ACCOUNT_CACHE_SECONDS:
        return
    _bump_versions(pks)
    # After the commit a failure is logged, not raised: the change is made, and the bump above
    # already retired every copy but one read in the moment between.
    transaction.on_commit(lambda: _bump_versions(pks), robust=True)


def _bump_versions(pks: list[Any]) -> None:
    for pk in pks:
        try:
            cache.incr(_version_key(pk))
        except ValueError:  # no version yet (or evicted): a new one, never used before
            cache.set(_version_key(pk), time.time_ns(), None)
