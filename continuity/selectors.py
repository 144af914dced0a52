"""Continuity reads."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from hubops.formats import format_datetime
from hubops.roles import Role, has_role

from .models import BackupRun, RunKind, RunStatus, SlaRenewal

CONTINUITY_ROLES = (Role.DATA_PROTECTION_LEAD, Role.MHL)
# A nightly backup older than this means the schedule has stopped.
STALE_AFTER = dt.timedelta(hours=36)


def can_see_continuity(user) -> bool:
    return bool(user.is_staff and has_role(user, *CONTINUITY_ROLES))


def runs_recent(limit: int = 60) -> QuerySet[BackupRun]:
    return BackupRun.objects.all()[:limit]


def continuity_status(now: dt.datetime) -> dict:
    """The headline: the newest backup and verification, and what needs attention."""
    backup = BackupRun.objects.filter(kind=RunKind.BACKUP).first()
    good_backup = BackupRun.objects.filter(kind=RunKind.BACKUP, status=RunStatus.SUCCEEDED).first()
    verify = BackupRun.objects.filter(kind=RunKind.VERIFY).first()
    contacts = BackupRun.objects.filter(kind=RunKind.CONTACTS, status=RunStatus.SUCCEEDED).first()
    problems = []
    if good_backup is None:
        problems.append("There is no backup yet.")
    elif now - good_backup.finished_at > STALE_AFTER:
        problems.append(
            f"The newest backup is from {format_datetime(good_backup.finished_at)}: the nightly "
            "backup has stopped running."
        )
    if backup is not None and backup.status == RunStatus.FAILED:
        problems.append(f"The last backup failed: {backup.detail.splitlines()[0][:300]}")
    if verify is not None and verify.status == RunStatus.FAILED:
        problems.append(
            f"The last restore test failed ({verify.archive_name}): "
            f"{(verify.detail.splitlines() or [''])[0][:300]}"
        )
    return {
        "backup": good_backup,
        "verify": verify,
        "contacts": contacts,
        "problems": problems,
    }


def sla_renewals_open() -> QuerySet[SlaRenewal]:
    """SLAs carried over in a handover that the successor has not yet renewed."""
    return SlaRenewal.objects.filter(renewed_on__isnull=True).select_related("sla__leader")


def sla_renewal_get_for_user(user, pk: int) -> SlaRenewal | None:
    """One SLA renewal, for someone who may see the continuity pages."""
    if not can_see_continuity(user):
        return None
    return SlaRenewal.objects.select_related("sla__leader").filter(pk=pk).first()
