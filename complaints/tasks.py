"""Thin Celery tasks for complaints (names kept: the beat schedule in settings uses them)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task
def complaints_sweeps_task() -> int:
    """Run by beat every morning: ``reminders.complaints_sweeps``."""
    return reminders.complaints_sweeps(today=timezone.localdate())
