"""Thin Celery tasks for the hub core."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from . import emails, outbox


@shared_task(acks_late=True)
def outbox_drain_task() -> int:
    """Send what is due in the outbox. Kicked when a message is queued, and swept by beat."""
    return outbox.drain().sent


@shared_task
def send_templated_email_task(**kwargs) -> None:
    """Kept for messages published by an older release: they now go through the outbox."""
    with transaction.atomic():
        emails.queue_email(**kwargs)


@shared_task
def ping_task(marker: str) -> str:
    """Used by /healthz-style checks and the integration test: proves a worker runs tasks."""
    return marker


@shared_task(acks_late=True)
def import_schools_task(*, import_id: int) -> None:
    from .gias import school_import_run  # noqa: PLC0415 (gias queues this task: a cycle)

    school_import_run(import_id=import_id)
