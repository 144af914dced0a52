"""Read-only views of continuity's records: runs are made by the commands and beat, renewals
are marked on /staff/continuity/ (through the service), never edited here."""

from django.contrib import admin

from .models import BackupRun, SlaRenewal


@admin.register(BackupRun)
class BackupRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "status", "trigger", "archive_name", "rows", "files"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in BackupRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SlaRenewal)
class SlaRenewalAdmin(admin.ModelAdmin):
    list_display = ["sla", "flagged_on", "renewed_on"]
    list_filter = ["renewed_on"]
    readonly_fields = ["sla", "flagged_on", "reason", "renewed_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
