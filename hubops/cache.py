"""The shared cache: its Redis backend, and the signed-in accounts kept in it.

**The backend** is Django's own, keeping one client per connection pool, and answering when
Redis cannot be reached.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, and
redis-py builds its table of response callbacks (some 170 entries) in each new client: about
0.6 ms of CPU per call, more than a cached page's whole look-up (measured with cProfile on a
signed-in visitor's catalogue hit, which makes two calls). A client over a connection pool is
safe to share between threads, so one is made per pool and kept.

**When Redis is down** (stopped, restarting, out of reach) the hub keeps answering: a read
misses (so sessions and accounts come from the database, pages are built afresh), a write is
dropped, a counter starts again (the public forms' rate limits let requests through until it
is back). After a failure the backend stops trying for ``HUBOPS_CACHE_RETRY_SECONDS``, so
requests do not each wait on a dead connection (which connects and answers within a second or
fails). A dropped write leaves Redis out of date when it returns (a version not bumped, a
signed-out session still there, an account's old copy): the process records a
:class:`~hubops.models.CacheOutage` row, and whichever process next reaches Redis and finds
one (or dropped a write itself) empties the cache's database before using it (``FLUSHDB``:
the cache's own database, never the broker's), so nothing written before the outage is
trusted after it. Sessions live in the database too and nobody is signed out.

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
from the cache so costs one round trip to Redis, not two. That read goes over a connection
each thread keeps for it, with the ``MGET`` packed here (:meth:`HubRedisCache.get_many_kept`):
redis-py 8 spends about 0.1 ms of CPU on a command's pool, retry and reply layers, three times
the round trip itself, and every signed-in request makes this read.

It lives ``HUBOPS_ACCOUNT_CACHE_SECONDS`` at most (0 turns it off; off by default with the
embedded database cache, where a hit would cost the query it saves). The cache then holds what
the session does not, the account's row with its password hash: it is the same private Redis
that holds the sessions.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from typing import Any

import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction

from .roles import role_names

logger = logging.getLogger(__name__)


UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class _ClientKeepingCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._kept = threading.local()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _kept_connection(self):
        """This thread's own connection for :meth:`get_many_kept`, made like the pool's (the
        same address, database, password, TLS and timeouts). One made before a fork is left to
        the parent: a child never shares its socket."""
        pid = os.getpid()
        kept = getattr(self._kept, "connection", None)
        if kept is None or kept[0] != pid:
            pool = self._get_connection_pool(False)
            kept = self._kept.connection = (pid, pool.connection_class(**pool.connection_kwargs))
        return kept[1]

    def get_many_kept(self, keys: list[str]) -> dict[str, Any]:
        """``get_many`` (one ``MGET``) over a connection this thread keeps, with the command
        packed here: it skips redis-py's pool, retry and reply-callback layers, which cost a
        signed-in page served from the cache more CPU than the round trip itself. A connection
        the server has closed meanwhile (a restart, an idle timeout) is made again and the read
        sent once more, as redis-py's own retry does; a second failure is raised."""
        packed = [f"*{len(keys) + 1}\r\n$4\r\nMGET\r\n".encode()]
        for key in keys:
            raw = key.encode()
            packed.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
        command = [b"".join(packed)]
        connection = self._kept_connection()
        for attempt in (1, 2):
            try:
                connection.send_packed_command(command, check_health=False)
                values = connection.read_response()
                break
            except BaseException as error:
                # Whatever went wrong, a reply may be left half read: never reuse the socket.
                connection.disconnect()
                if attempt == 2 or not isinstance(error, UNREACHABLE):
                    raise
        return {
            key: self._serializer.loads(value)  # type: ignore[attr-defined]
            for key, value in zip(keys, values, strict=True)
            if value is not None
        }


class HubRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with one client per connection pool,
    that answers as a cache holding nothing while Redis cannot be reached (see above)."""

    def __init__(self, server, params) -> None:
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        params["OPTIONS"].setdefault("socket_connect_timeout", 1.0)
        params["OPTIONS"].setdefault("socket_timeout", 1.0)
        super().__init__(server, params)
        self._class = _ClientKeepingCacheClient
        self._lock = threading.Lock()
        self._down_until = 0.0  # time.monotonic() before which Redis is not tried again
        self._dropped_writes = False  # this process dropped a write: empty Redis on return
        self._saw_outage = False  # look for CacheOutage rows before using Redis again
        self._recorded = False  # this outage's CacheOutage row is in the database

    # -- the outage guard ------------------------------------------------------------------

    def _call(self, write: bool, default: Any, method, *args, **kwargs):
        if time.monotonic() < self._down_until:
            if write:
                self._dropped()
            return default
        try:
            if self._saw_outage:
                self._recover()
            return method(*args, **kwargs)
        except UNREACHABLE:
            with self._lock:
                first = not self._saw_outage
                self._saw_outage = True
                self._down_until = time.monotonic() + settings.HUBOPS_CACHE_RETRY_SECONDS
            if first:
                logger.warning("The shared cache is unreachable: serving without it", exc_info=True)
            if write:
                self._dropped()
            return default

    def _dropped(self) -> None:
        """A write was lost: this process empties Redis when it is back, and records it for
        every other process (one row an outage, once a record has committed)."""
        with self._lock:
            self._dropped_writes = True
            if self._recorded:
                return

        def record() -> None:
            from .models import CacheOutage  # noqa: PLC0415 (the models import this module)

            if self._recorded:
                return
            try:
                CacheOutage.objects.create()
            except Exception:  # the database is down too: this process still empties Redis
                logger.warning("Could not record the cache outage", exc_info=True)
            else:
                self._recorded = True

        if transaction.get_connection().in_atomic_block:
            # Recorded if the change commits (one rolled back needs nothing emptied).
            transaction.on_commit(record, robust=True)
        else:
            record()

    def recover_after_outage(self) -> None:
        """Empty the cache's database if a write was dropped while Redis was away, here or in
        any process (``CacheOutage`` rows). Called before Redis is used again after this process
        saw it unreachable, and when a web process starts (``hubops.wsgi``)."""
        try:
            self._recover()
        except UNREACHABLE:
            with self._lock:
                self._saw_outage = True
                self._down_until = time.monotonic() + settings.HUBOPS_CACHE_RETRY_SECONDS

    def _recover(self) -> None:
        from .models import CacheOutage  # noqa: PLC0415 (the models import this module)

        try:
            outages = list(CacheOutage.objects.values_list("pk", flat=True))
        except Exception:  # the database is away too: look again at the next call
            logger.warning("Could not look for cache outages", exc_info=True)
            if not self._dropped_writes:
                return
            outages = []
        if outages or self._dropped_writes:
            super().clear()  # raises UNREACHABLE if Redis is still away: nothing changes
            logger.warning("The shared cache is back: emptied it after an outage")
            if outages:
                try:
                    CacheOutage.objects.filter(pk__in=outages).delete()
                except Exception:
                    logger.warning("Could not clear the cache outage rows", exc_info=True)
        with self._lock:
            self._dropped_writes = False
            self._recorded = False
            self._saw_outage = False
            self._down_until = 0.0

    # -- Django's cache API, guarded -------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, as a cache holding nothing answers (allauth's rate-limit lock waits for it).
        return self._call(True, True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(False, default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(True, False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call(False, {}, super().get_many, keys, version)

    def get_many_kept(self, keys, version=None) -> dict[str, Any]:
        """What :meth:`get_many` finds, read over a connection this thread keeps for the hot
        path (the signed-in visitor's session and account, ``hubops.sessions``)."""
        return self._call(False, {}, self._get_many_kept, keys, version)

    def _get_many_kept(self, keys, version) -> dict[str, Any]:
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = self._cache.get_many_kept(list(made))  # type: ignore[attr-defined]
        return {made[key]: value for key, value in found.items()}

    def has_key(self, key, version=None):
        return self._call(False, False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call(True, missing, super().incr, key, delta, version)
        if value is missing:  # as for a key not there: callers start the counter again
            raise ValueError(f"Key '{key}' not found (the shared cache is unreachable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(True, None, super().delete_many, keys, version)

    def clear(self):
        return self._call(True, False, super().clear)


def recover_after_outage() -> None:
    """At a web process's start: empty the shared cache if a write to it was dropped during an
    outage that no running process has cleaned up after (see :class:`HubRedisCache`)."""
    backend = caches["default"]
    if isinstance(backend, HubRedisCache):
        backend.recover_after_outage()


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
