"""Thin Celery tasks: beat runs the sweeps."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import reminders, services


@shared_task
def run_workgroups_sweeps_task() -> dict[str, int]:
    today = timezone.localdate()
    return {
        "offers_lapsed": services.offers_lapse_sweep(today=today),
        "session_reminders": reminders.session_reminder_sweep(today=today),
        "absence_followups": reminders.absence_followup_sweep(today=today),
        "evaluation_requests": reminders.evaluation_request_sweep(today=today),
    }
