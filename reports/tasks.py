from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def report_reminders_task() -> int:
    return services.reminder_sweep(timezone.localdate())
