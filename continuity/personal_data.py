"""Continuity's own records hold no personal data: runs record counts, archive names and
reasons (never rows), and an SLA renewal points at the SLA. The archives and the key-contacts
file hold personal data, encrypted; they age out under HUBOPS_BACKUP_RETENTION."""

from hubops.personal_data import register

register("continuity.BackupRun", not_personal="__all__")
register("continuity.SlaRenewal", not_personal="__all__")
