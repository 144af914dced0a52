"""Restriction of processing (GDPR Art. 18), for the code that mails people and exports their
data: :func:`is_restricted`, :func:`restricted_user_ids`, :func:`restricted_emails` and
:func:`exclude_restricted` are for the apps' export and email selectors, and restricted people
are dropped from every email by a recipient filter (``hubops.ports``), installed when the
``privacy`` app sets the provider at start-up (``PrivacyConfig.ready``). Without the privacy app
nobody is restricted.

hubops does not import ``privacy``: privacy plugs in here. This module imports nothing but
``django.db.models`` and ``hubops.ports`` at import time, so any module may import it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from . import ports

_restriction_provider: Callable[[], tuple[set[int], set[str]]] | None = None


def set_restriction_provider(provider: Callable[[], tuple[set[int], set[str]]]) -> None:
    """``provider() -> (user ids, lower-case emails)`` of people whose processing is
    restricted. Set by ``privacy`` at start-up."""
    global _restriction_provider
    _restriction_provider = provider
    _install_email_filter()


def _restricted() -> tuple[set[int], set[str]]:
    if _restriction_provider is None:
        return set(), set()
    return _restriction_provider()


def restricted_user_ids() -> set[int]:
    """Ids of users whose processing is restricted: leave them out of exports and
    processing."""
    return _restricted()[0]


def restricted_emails() -> set[str]:
    """Lower-case email addresses of restricted people (users and non-users)."""
    return _restricted()[1]


def is_restricted(email_or_user: Any) -> bool:
    if email_or_user is None:
        return False
    ids, emails = _restricted()
    if isinstance(email_or_user, str):
        return email_or_user.strip().lower() in emails
    return email_or_user.pk in ids or (getattr(email_or_user, "email", "") or "").lower() in emails


def exclude_restricted(
    queryset: models.QuerySet, *, user_field: str | None = None, email_field: str | None = None
) -> models.QuerySet:
    """``queryset`` without the rows of restricted people, matched by user and/or email."""
    ids, emails = _restricted()
    if user_field and ids:
        queryset = queryset.exclude(**{f"{user_field}__in": ids})
    if email_field and emails:
        for email in emails:
            queryset = queryset.exclude(**{f"{email_field}__iexact": email})
    return queryset


def _drop_restricted(addresses: list[str]) -> list[str]:
    emails = restricted_emails()
    if not emails:
        return addresses
    return [a for a in addresses if a.strip().lower() not in emails]


def _install_email_filter() -> None:
    ports.register_recipient_filter(_drop_restricted)
