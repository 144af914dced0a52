"""Thin Celery tasks for governance: each wraps the service of the same stem."""

from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task
def run_governance_sweeps_task() -> dict[str, int]:
    return reminders.governance_sweeps(today=timezone.localdate())
