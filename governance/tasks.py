"""Thin Celery tasks for governance."""

from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task
def run_governance_sweeps_task() -> dict[str, int]:
    return reminders.run_sweeps(timezone.localdate())
