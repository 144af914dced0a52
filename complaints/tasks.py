"""Thin Celery tasks for complaints."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task
def complaints_sweeps_task() -> int:
    """Run by beat every morning: deadline reminders, the policy review, stale drafts."""
    from . import reminders

    today = timezone.localdate()
    sent = reminders.sweep(today)
    reminders.cleanup_drafts(today)
    return sent
