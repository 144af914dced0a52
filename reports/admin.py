from django.contrib import admin

from .models import Report, ReportEvent


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor_name", "action", "comment"]
    exclude = ["actor"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: the sign-off workflow on /staff/reports/ owns every change, so an issued
    report cannot be edited here either."""

    list_display = ["title", "status", "signer_name", "signed_at", "submitted_on"]
    list_filter = ["kind", "status", "academic_year"]
    inlines = [ReportEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
