"""Sessions read with their account in one round trip to the cache.

Django's ``cached_db`` store, which also remembers, for the last sessions this process loaded,
whose each was (``HINTS`` of them). Loading such a session again reads the session, the
account's version and the account's cached copy in one ``get_many`` (with Redis, over a
connection each thread keeps for it: ``HubRedisCache.get_many_kept``), and hands the two
account entries to ``hubops.cache.cached_account`` (through ``hubops.cache.prefetch``),
which the sign-in backends call next. The copy is only taken for the account the session
names, under the version read in the same round trip, so it is exactly what a second read
would have found. A session this process has not seen yet is read as ``cached_db`` reads it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db

from . import cache as account_cache

HINTS = 10_000  # session keys and account ids: about 1.5 MB a process
_lock = threading.Lock()
_hints: OrderedDict[str, str] = OrderedDict()


def _hint(session_key: str) -> str | None:
    with _lock:
        return _hints.get(session_key)


def _remember(session_key: str, user_id: str) -> None:
    with _lock:
        _hints[session_key] = user_id
        _hints.move_to_end(session_key)
        while len(_hints) > HINTS:
            _hints.popitem(last=False)


class SessionStore(cached_db.SessionStore):
    def load(self):
        account_cache.prefetch(None, None)
        user_id = _hint(self.session_key) if self.session_key else None
        if (
            user_id is None
            or not settings.HUBOPS_ACCOUNT_CACHE_SECONDS
            or settings.SESSION_CACHE_ALIAS != "default"
        ):
            data = super().load()
        else:
            account_keys = account_cache.account_keys(user_id)
            try:
                found = self._read([self.cache_key, *account_keys])
            except Exception:  # noqa: BLE001 - as cached_db: the database still answers
                found = {}
            data = found.get(self.cache_key)
            if data is None:
                data = super().load()
            elif data.get(SESSION_KEY) == user_id:
                account_cache.prefetch(user_id, {k: found[k] for k in account_keys if k in found})
        signed_in = data.get(SESSION_KEY)
        if self.session_key and signed_in is not None and signed_in != user_id:
            _remember(self.session_key, str(signed_in))
        return data

    def _read(self, keys: list[str]) -> dict:
        # The Redis backend's read over a connection kept for it; any other backend's get_many.
        read = getattr(self._cache, "get_many_kept", None) or self._cache.get_many
        return read(keys)
