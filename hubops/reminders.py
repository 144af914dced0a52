"""Exactly-once reminders.

A sweep (one per kind of deadline, run by beat) finds what is due and calls
:func:`remind_once` for each. The reminder is claimed by inserting a :class:`ReminderLog` row
whose unique key is (object, kind, due date), and its email is written to the outbox
(``hubops/outbox.py``) in the same transaction: a second sweep, or two sweeps at once, cannot
claim it again; a worker that dies before the commit leaves nothing claimed, so the next sweep
sends it; and once the claim commits, so has its message, which the outbox's drain sends even if
the broker was down at that moment. "Claimed" always means "will be sent".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, models, transaction

from . import emails
from .models import ReminderLog


def already_sent(obj: models.Model, kind: str, due_on: date) -> bool:
    return ReminderLog.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), kind=kind, due_on=due_on
    ).exists()


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
    queued now. The ReminderLog claim and the outbox row share one savepoint: both or neither."""
    recipients = emails.allowed_recipients(to)
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                kind=kind,
                due_on=due_on,
                recipients=", ".join(recipients),
            )
            if recipients:
                emails.queue_email(
                    to=recipients,
                    template_prefix=template_prefix,
                    context=context,
                    attachments=attachments,
                )
    except IntegrityError:
        return False
    return True
