"""Sign-in backends that keep a signed-in visitor's account in the shared cache.

Django reads the account from the database on every request that looks at ``request.user``:
on a page served whole from the cache (the Work Groups catalogue, a group's page) that query,
and PostgreSQL's health check before it, were most of a signed-in visitor's cost (cProfile on
the large demo: 4 of 6 CPU ms). These backends read it from the cache first; Django still
checks the session against the account's password hash (``auth.get_user``), so a password
change still signs every other session out.

The copy (``hubops.cache.cached_account``) is dropped whenever the account changes.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from .cache import cached_account


class _CachedAccount:
    def get_user(self, user_id):
        user = cached_account(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class CachedModelBackend(_CachedAccount, ModelBackend):
    """Django's ``ModelBackend``, reading the signed-in account from the cache."""


class CachedAllauthBackend(_CachedAccount, AuthenticationBackend):
    """allauth's backend (sign-in by email), reading the signed-in account from the cache."""
