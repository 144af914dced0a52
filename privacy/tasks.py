"""Beat tasks: data-request reminders, the breach 72-hour clock, the retention schedule."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def privacy_sweeps_task() -> dict[str, int]:
    today = timezone.localdate()
    requests = services.request_sweep(today)
    breaches = services.breach_sweep(timezone.now())
    dpias = services.dpia_review_sweep(today)
    return {"requests": requests, "breaches": breaches, "dpias": dpias}


@shared_task
def retention_task() -> int | None:
    run = services.retention_sweep(timezone.localdate())
    return run.pk if run else None
