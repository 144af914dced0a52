"""Exactly-once reminders, claimed in batches.

A sweep (one per kind of deadline, run by beat) builds what is due as :class:`Reminder` items
and hands them to :func:`remind_batch`. Each reminder is claimed by inserting a
:class:`ReminderLog` row whose unique key is (object, kind, due date), and its email is queued
in the same transaction: a second sweep, or two sweeps at once, cannot claim it again, and a
worker that dies before the commit leaves nothing claimed, so the next sweep sends it.

Work per batch of about :data:`BATCH_SIZE` reminders is a constant number of statements, however
many reminders are due: one query for the claims that already exist, one for the restricted
people among the recipients, one ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` for the new
claims (it says exactly which ones this sweep won, even against a sweep running at the same
time), and one call of :func:`hubops.emails.queue_emails` for their messages. A rerun that
finds everything claimed issues one query per batch and writes nothing.

:func:`remind_once` is the one-item form, for sweeps that find a handful of objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from . import emails
from .models import ReminderLog

BATCH_SIZE = 1000

Key = tuple[str, str, str, date]


@dataclass
class Reminder:
    """One reminder a sweep found due. ``context`` may be a callable, so a rerun that finds the
    reminder already claimed never builds it."""

    object_type: str
    object_id: str
    kind: str
    due_on: date
    to: Iterable[str]
    template_prefix: str
    context: dict[str, Any] | Callable[[], dict[str, Any]] | None = None
    attachments: Iterable[dict[str, str]] = field(default_factory=tuple)

    @classmethod
    def about(cls, obj: models.Model, **kwargs: Any) -> Reminder:
        return cls(object_type=obj._meta.label_lower, object_id=str(obj.pk), **kwargs)

    @property
    def key(self) -> Key:
        return (self.object_type, self.object_id, self.kind, self.due_on)

    def built_context(self) -> dict[str, Any]:
        context = self.context() if callable(self.context) else self.context
        return dict(context or {})


def already_sent(obj: models.Model, kind: str, due_on: date) -> bool:
    return ReminderLog.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), kind=kind, due_on=due_on
    ).exists()


def person_email(recipients: list[str]) -> str:
    """The indexed lookup key of a reminder to one person: their address, normalised."""
    return recipients[0].strip().lower() if len(recipients) == 1 else ""


def _chunks(items: Iterable[Reminder], size: int) -> Iterator[list[Reminder]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def existing_claims(keys: Iterable[Key]) -> set[Key]:
    """Which of ``keys`` are claimed already: one query (per object type in the batch)."""
    by_type: dict[str, list[Key]] = {}
    for key in keys:
        by_type.setdefault(key[0], []).append(key)
    found: set[Key] = set()
    for object_type, group in by_type.items():
        wanted = set(group)
        rows = ReminderLog.objects.filter(
            object_type=object_type,
            object_id__in={k[1] for k in group},
            kind__in={k[2] for k in group},
            due_on__in={k[3] for k in group},
        ).values_list("object_type", "object_id", "kind", "due_on")
        found.update(row for row in rows if row in wanted)
    return found


def _insert_claims(rows: list[tuple[Reminder, list[str]]]) -> set[Key]:
    """Insert the claims in one statement; return the keys this call inserted (a claim another
    sweep made first is skipped, not an error)."""
    table = connection.ops.quote_name(ReminderLog._meta.db_table)
    columns = ["object_type", "object_id", "kind", "due_on", "sent_at", "recipients", "email"]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    values, params = [], []
    for item, recipients in rows:
        values.append("(%s, %s, %s, %s, %s, %s, %s)")
        params += [
            item.object_type,
            item.object_id,
            item.kind,
            connection.ops.adapt_datefield_value(item.due_on),
            now,
            ", ".join(recipients),
            person_email(recipients),
        ]
    # Only quoted identifiers and placeholders are interpolated; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({quoted}) VALUES {', '.join(values)} "  # noqa: S608
        "ON CONFLICT DO NOTHING RETURNING object_type, object_id, kind, due_on"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    claimed = set()
    for object_type, object_id, kind, due_on in returned:
        if isinstance(due_on, str):  # SQLite returns the stored text
            due_on = date.fromisoformat(due_on)
        claimed.add((object_type, object_id, kind, due_on))
    return claimed


def _claim_batch(batch: list[Reminder]) -> int:
    unique: dict[Key, Reminder] = {}
    for item in batch:
        unique.setdefault(item.key, item)
    claimed_before = existing_claims(unique)
    new = [item for key, item in unique.items() if key not in claimed_before]
    if not new:
        return 0
    # Restricted people (and any other recipient filter) once for the whole batch.
    addresses = {a for item in new for a in item.to if a}
    allowed = set(emails.allowed_recipients(sorted(addresses)))
    rows = [(item, [a for a in item.to if a and a in allowed]) for item in new]
    with transaction.atomic():
        won = _insert_claims(rows)
        emails.queue_emails(
            {
                "to": recipients,
                "template_prefix": item.template_prefix,
                "context": item.built_context(),
                "attachments": list(item.attachments),
            }
            for item, recipients in rows
            if item.key in won and recipients
        )
    return len(won)


def remind_batch(items: Iterable[Reminder], *, batch_size: int = BATCH_SIZE) -> int:
    """Claim and queue every reminder in ``items`` not sent before, ``batch_size`` at a time,
    each batch in its own transaction. Returns how many were queued now."""
    return sum(_claim_batch(batch) for batch in _chunks(items, batch_size))


def remind_once(
    *,
    obj: models.Model,
    kind: str,
    due_on: date,
    to: Iterable[str],
    template_prefix: str,
    context: dict[str, Any] | None = None,
    attachments: Iterable[dict[str, str]] = (),
) -> bool:
    """Queue one reminder about ``obj`` unless it was sent before. Returns whether it was
    queued now."""
    item = Reminder.about(
        obj,
        kind=kind,
        due_on=due_on,
        to=list(to),
        template_prefix=template_prefix,
        context=context,
        attachments=list(attachments),
    )
    return bool(remind_batch([item]))
