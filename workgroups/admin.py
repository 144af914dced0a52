"""Thin admin: state changes go through services (actions), not field edits."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from . import services, workflow
from .models import (
    Attendance,
    Certificate,
    Invitation,
    LeadReport,
    ParticipantEvaluation,
    ParticipationExport,
    Project,
    ReachTarget,
    Registration,
    RegStatus,
    Session,
    WorkGroup,
)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "academic_year", "is_tfm", "tfm_stage"]
    list_filter = ["kind", "is_tfm", "academic_year"]
    search_fields = ["code", "title"]


class SessionInline(admin.TabularInline):
    """Read-only: sessions are added, changed and cancelled on the staff page, through
    ``session_save`` and ``session_cancel`` (the 3 to 7 sessions rule, the participants'
    mails and calendar files)."""

    model = Session
    extra = 0
    fields = ["starts_at", "ends_at", "venue", "online_link", "cancelled", "staff_page"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Change or cancel")
    def staff_page(self, obj):
        if not obj.pk:
            return ""
        url = reverse("workgroups_staff:session_edit", args=[obj.work_group_id, obj.pk])
        return format_html('<a href="{}">On the staff page</a>', url)


@admin.register(WorkGroup)
class WorkGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "project", "status", "recruitment", "capacity_schools"]
    list_filter = ["status", "recruitment", "format", "project"]
    search_fields = ["code", "title"]
    filter_horizontal = ["leads"]
    readonly_fields = ["status"]
    inlines = [SessionInline]
    actions = ["publish"]

    @admin.action(description="Publish the selected Work Groups")
    def publish(self, request, queryset):
        for group in queryset:
            try:
                services.work_group_move(group_id=group.pk, actor=request.user, move="publish")
            except workflow.WorkGroupError as exc:
                self.message_user(request, f"{group.code}: {exc}", messages.ERROR)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["reference", "work_group", "full_name", "school", "status", "created_at"]
    list_filter = ["status", "work_group"]
    # 20,000 rows at a large hub: one query for the page (its group and school joined), no
    # count of the whole table.
    list_select_related = ["work_group", "school"]
    list_per_page = 50
    show_full_result_count = False
    search_fields = ["reference", "full_name", "email", "school__name", "school__urn"]
    raw_id_fields = ["user", "school"]
    readonly_fields = ["status", "offer_expires_on", "decided_at", "decline_reason"]
    actions = ["approve", "withdraw"]

    @admin.action(description="Approve the selected pending registrations")
    def approve(self, request, queryset):
        for reg in queryset.filter(status=RegStatus.PENDING):
            services.registration_approve(
                registration_id=reg.pk, actor=request.user, today=timezone.localdate()
            )

    @admin.action(description="Withdraw the selected registrations")
    def withdraw(self, request, queryset):
        for reg in queryset:
            try:
                services.registration_withdraw(
                    registration_id=reg.pk, actor=request.user, today=timezone.localdate()
                )
            except workflow.WorkGroupError as exc:
                self.message_user(request, f"{reg.reference}: {exc}", messages.ERROR)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    """Registers are taken on the staff page (``attendance_mark``: only once a session has
    started); here they are read."""

    list_display = ["registration", "session", "status", "marked_at"]
    readonly_fields = ["session", "registration", "status", "marked_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LeadReport)
class LeadReportAdmin(admin.ModelAdmin):
    list_display = ["work_group", "status", "submitted_at"]
    readonly_fields = ["status", "submitted_at", "submitted_by"]


admin.site.register(Invitation)
admin.site.register(ParticipantEvaluation)
admin.site.register(ReachTarget)


@admin.register(ParticipationExport)
class ParticipationExportAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "file_format", "people_count", "row_count"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Issued certificates, read-only: a certificate is never edited or regenerated."""

    list_display = ["code", "registration", "issued_on", "sha256"]
    search_fields = ["code", "registration__reference", "registration__full_name"]
    readonly_fields = ["registration", "code", "issued_on", "file", "sha256", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
