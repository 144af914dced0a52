"""One-time submission keys: a double click, a retry or a back-button resubmit of a public form
makes one record and shows the same confirmation.

How it fits together:

- When a form (or its check-your-answers page) is rendered, :func:`issue` makes a random key and
  signs it for one *scope* (``"complaints.formal"``, ``"privacy.request"``...). The page carries it
  in a hidden field named :data:`FIELD`; nothing is written on GET, not even a session.
- The record the form creates stores the key in a ``submission_key`` field that is ``unique`` and
  nullable (records made by staff or by older pages have none).
- On POST, :func:`read` returns the key if its signature is good for that scope, else ``None``.
  :func:`create_once` then finds the record already made with that key, or runs the service;
  if a concurrent request with the same key committed first, the unique constraint makes the
  service fail and the row that won is returned instead. Exactly-once rests on the constraint,
  not on timing (``select_for_update`` does nothing on SQLite).

The key is 192 random bits and only ever appears in the page sent to the person filling in the
form, which already shows what they typed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

FIELD = "submission_key"
SALT = "hubops.idempotency"
# A page left open for a long time still submits once; after this the key is refused and the
# form works as if it had none (no record is lost, only the duplicate protection lapses).
MAX_AGE = 60 * 60 * 24 * 7

T = TypeVar("T", bound=models.Model)


def issue(scope: str) -> str:
    """A new signed key for one rendering of a form in ``scope``."""
    return signing.dumps(secrets.token_urlsafe(24), salt=f"{SALT}:{scope}", compress=False)


def read(data, scope: str) -> str | None:
    """The key posted in ``data`` (a QueryDict or dict) if it was issued for ``scope``."""
    signed = (data.get(FIELD) or "").strip()
    if not signed:
        return None
    try:
        key = signing.loads(signed, salt=f"{SALT}:{scope}", max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) and key else None


def for_page(data, scope: str) -> str:
    """The signed key to render in a form: the one just posted back (a form re-shown with
    errors keeps its key, so fixing the errors and sending still makes one record), or a new one.
    Templates put it in ``<input type="hidden" name="submission_key" value="...">``."""
    signed = (data.get(FIELD) or "").strip() if data else ""
    if signed and read(data, scope):
        return signed
    return issue(scope)


def find(model: type[T], key: str | None, *, field: str = FIELD, **scope) -> T | None:
    """The record already made with ``key`` (narrowed by ``scope`` lookups), if any."""
    if not key:
        return None
    return model._default_manager.filter(**{field: key}, **scope).first()


def create_once(
    model: type[T],
    key: str | None,
    create: Callable[[], T],
    *,
    field: str = FIELD,
    also: tuple[type[BaseException], ...] = (),
    **scope,
) -> tuple[T, bool]:
    """Run ``create`` once per key. Returns ``(record, created)``.

    ``create`` must store ``key`` in ``field`` of the row it makes. A row already holding the
    key is returned without calling it. If ``create`` raises ``IntegrityError``,
    ``ValidationError`` (``full_clean``'s unique check) or one of ``also`` (a service that turns
    the constraint into a domain error) and a row with the key now exists, that row is returned:
    a concurrent request with the same key won. Any other failure is raised as it is.
    """
    existing = find(model, key, field=field, **scope)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except (IntegrityError, ValidationError, *also):  # type: ignore[misc]
        existing = find(model, key, field=field, **scope)
        if existing is None:
            raise
        return existing, False
