"""Thin Celery tasks for the hub core."""

from __future__ import annotations

import smtplib

from celery import shared_task

from . import emails


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_templated_email_task(**kwargs) -> int:
    return emails.send_templated_email(**kwargs)


@shared_task
def ping_task(marker: str) -> str:
    """Used by /healthz-style checks and the integration test: proves a worker runs tasks."""
    return marker


@shared_task(acks_late=True)
def import_schools_task(*, import_id: int) -> None:
    from .gias import school_import_run

    school_import_run(import_id=import_id)
