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
queryset ``update()`` (``hubops.models.UserQuerySet``, which the erasure's anonymising uses).
It lives ``HUBOPS_ACCOUNT_CACHE_SECONDS`` at most (0 turns it off; off by default with the
embedded database cache, where a hit would cost the query it saves). The cache then holds what
the session does not, the account's row with its password hash: it is the same private Redis
that holds the sessions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

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


def cached_account(user_id: Any):
    """The account ``user_id`` (or ``None``), from the cache when it is there."""
    seconds = settings.HUBOPS_ACCOUNT_CACHE_SECONDS
    model = get_user_model()
    if not seconds:
        return model._default_manager.filter(pk=user_id).first()
    key = _key(user_id)
    try:
        user = cache.get(key)
    except Exception:  # the cache is unreachable: the database still answers, sign-in holds
        logger.warning("Reading account %s from the cache failed", user_id, exc_info=True)
        return model._default_manager.filter(pk=user_id).first()
    if user is None:
        user = model._default_manager.filter(pk=user_id).first()
        if user is not None:
            role_names(user)  # kept with the account: a staff page then needs no query
            cache.set(key, user, seconds)
    return user


def forget_accounts(pks: Iterable[Any]) -> None:
    """Drop the cached copies of these accounts (they changed)."""
    keys = [_key(pk) for pk in pks]
    if keys and settings.HUBOPS_ACCOUNT_CACHE_SECONDS:
        cache.delete_many(keys)
