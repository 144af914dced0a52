"""What continuity did and how it went: one row per backup, verification, restore, export."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class RunKind(models.TextChoices):
    BACKUP = "backup", "Backup"
    VERIFY = "verify", "Verification"
    CONTACTS = "contacts", "Key-contacts export"
    HANDOVER_EXPORT = "handover_export", "Handover export"
    HANDOVER_IMPORT = "handover_import", "Handover import"


class RunStatus(models.TextChoices):
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class BackupRun(models.Model):
    kind = models.CharField(max_length=20, choices=RunKind.choices)
    status = models.CharField(max_length=10, choices=RunStatus.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(default=timezone.now)
    trigger = models.CharField(max_length=40, help_text='"nightly", "command" or who ran it.')
    archive_name = models.CharField(max_length=255, blank=True)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    archive_bytes = models.BigIntegerField(null=True, blank=True)
    tables = models.PositiveIntegerField(null=True, blank=True)
    rows = models.BigIntegerField(null=True, blank=True)
    files = models.PositiveIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True, help_text="What went wrong, or what differed.")

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-started_at"], name="continuity_run_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RunKind.values), name="continuity_backuprun_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values),
                name="continuity_backuprun_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


class SlaRenewal(models.Model):
    """An SLA carried over in a handover: the successor Lead School must renew it with the
    local leader (the specification: "the new lead school will aim to renew relationships ...
    through new service level agreements")."""

    sla = models.OneToOneField(
        "governance.ServiceLevelAgreement", on_delete=models.CASCADE, related_name="+"
    )
    flagged_on = models.DateField()
    reason = models.CharField(max_length=200)
    renewed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["renewed_on", "sla__ends_on"]

    def __str__(self) -> str:
        return f"Renew {self.sla}"
