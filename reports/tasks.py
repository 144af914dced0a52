from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task
def report_reminders_task() -> int:
    """Beat's daily run of :func:`reports.reminders.report_due_sweep`."""
    return reminders.report_due_sweep(today=timezone.localdate())
