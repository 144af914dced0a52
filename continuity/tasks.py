"""Beat tasks: the nightly backup (then prune and verify) and the key-contacts refresh."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def backup_nightly_task() -> int | None:
    run = services.backup_nightly()
    return run.pk if run else None


@shared_task
def key_contacts_export_task() -> int:
    return services.key_contacts_export(trigger="beat").pk
