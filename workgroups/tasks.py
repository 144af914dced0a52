"""Thin Celery tasks: beat runs the sweeps."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task
def run_workgroups_sweeps_task() -> dict[str, int]:
    return reminders.workgroups_sweeps(today=timezone.localdate())
