"""Beat tasks, thin wrappers of ``privacy.reminders``: the half-hourly sweeps (data-request
deadlines, the breach 72-hour clock, DPIA reviews) and the nightly retention schedule."""

from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task
def privacy_sweeps_task() -> dict[str, int]:
    return reminders.privacy_sweeps(today=timezone.localdate())


@shared_task
def retention_task() -> int | None:
    run = reminders.retention_sweep(today=timezone.localdate())
    return run.pk if run else None
