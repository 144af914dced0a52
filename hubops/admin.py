from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from . import audit, calendar_io, gias, outbox, services
from .models import (
    AcademicYear,
    AuditEvent,
    CalendarPeriod,
    Hub,
    HubLocalAuthority,
    OutgoingAttachment,
    OutgoingMessage,
    OutgoingStatus,
    ReminderLog,
    School,
    SchoolImport,
    SchoolImportStatus,
    User,
)
from .resources import SafeExportMixin, SchoolResource
from .roles import Role, has_role

# The admin's login goes through allauth, so email verification, rate limits and MFA apply.
admin.site.login = secure_admin_login(admin.site.login)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "full_name", "trn"]
    list_filter = ["is_staff", "is_active", "groups"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Profile",
            {"fields": ("full_name", "previous_names", "date_of_birth", "phone", "trn", "school")},
        ),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    autocomplete_fields = ["school"]
    filter_horizontal = ["groups"]
    # Staff status follows the roles (groups) held and superuser status: it is not edited here.
    readonly_fields = ["is_staff"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.user_sync_staff_flag(user=form.instance, actor=request.user)


class HubLocalAuthorityInline(admin.TabularInline):
    model = HubLocalAuthority
    extra = 1


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "lead_school"]
    autocomplete_fields = ["lead_school"]
    inlines = [HubLocalAuthorityInline]


class GiasUploadForm(forms.Form):
    file = forms.FileField(
        label="GIAS establishments file (CSV)",
        help_text=(
            "The 'edubasealldata' extract downloaded from Get Information About Schools, as it "
            "comes (Windows-1252) or saved as UTF-8. Up to 60 MB."
        ),
    )
    la_codes = forms.CharField(
        label="Only these local authorities (optional)",
        required=False,
        help_text="DfE LA codes separated by spaces or commas, e.g. 307 304. Blank: all.",
    )

    MAX_BYTES = 60 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 60 MB: is it a GIAS extract?")
        return upload

    def clean_la_codes(self):
        codes = self.cleaned_data["la_codes"].replace(",", " ").split()
        bad = [code for code in codes if not code.isdigit() or len(code) > 3]
        if bad:
            raise forms.ValidationError(
                "LA codes are up to 3 digits, like 307. Check: " + ", ".join(bad)
            )
        return codes


@admin.register(School)
class SchoolAdmin(SafeExportMixin, admin.ModelAdmin):
    resource_classes = [SchoolResource]
    list_display = ["urn", "name", "la_name", "phase", "status", "town", "postcode"]
    list_filter = ["status", "phase", "la_name"]
    search_fields = ["=urn", "name", "postcode", "town"]
    list_per_page = 50
    show_full_result_count = False
    import_export_change_list_template = "admin/hubops/school/change_list.html"

    def get_urls(self):
        urls = [
            path(
                "import-gias/",
                self.admin_site.admin_view(self.import_gias_view),
                name="hubops_school_import_gias",
            ),
            path(
                "import-gias/<int:import_id>/",
                self.admin_site.admin_view(self.import_progress_view),
                name="hubops_school_import_progress",
            ),
        ]
        return urls + super().get_urls()

    def _can_import(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_gias_view(self, request):
        if not self._can_import(request):
            raise PermissionDenied
        form = GiasUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                school_import = gias.school_import_start(
                    data=upload.read(),
                    filename=upload.name,
                    la_codes=form.cleaned_data["la_codes"],
                    actor=request.user,
                )
            except gias.GiasFileError as error:
                form.add_error("file", f"{error} Nothing was changed.")
            else:
                return redirect("admin:hubops_school_import_progress", school_import.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import schools from GIAS",
            "form": form,
            "accept": ".csv,text/csv",
            "submit_label": "Import",
            "recent": SchoolImport.objects.select_related("uploaded_by")[:5],
        }
        return TemplateResponse(request, "admin/hubops/school/import_gias.html", context)

    def import_progress_view(self, request, import_id: int):
        if not self._can_import(request):
            raise PermissionDenied
        school_import = get_object_or_404(SchoolImport, pk=import_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Importing {school_import.filename}",
            "school_import": school_import,
            "running": school_import.status
            in (SchoolImportStatus.QUEUED, SchoolImportStatus.RUNNING),
        }
        return TemplateResponse(request, "admin/hubops/school/import_progress.html", context)


class CalendarPeriodInline(admin.TabularInline):
    model = CalendarPeriod
    extra = 0


class CalendarUploadForm(forms.Form):
    file = forms.FileField(
        label="Term dates file (JSON)",
        help_text="A term-dates JSON file: a local authority's published calendar, or terms with "
        "their dates. Up to 2 MB.",
    )
    year = forms.CharField(
        label="Only this academic year (optional)",
        required=False,
        max_length=9,
        help_text="For example 2025/26. Blank: every year in the file.",
    )
    source = forms.CharField(
        label="Local authority (optional)",
        required=False,
        max_length=100,
        help_text="A name or LA code, when the file holds several authorities' dates.",
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB: is it a term-dates file?")
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None and not self.errors:
            try:
                cleaned["plans"] = calendar_io.parse_calendar(
                    upload.read(), year=cleaned["year"] or None, source=cleaned["source"] or None
                )
            except calendar_io.CalendarFileError as error:
                self.add_error("file", f"{error} Nothing was changed.")
        return cleaned


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    inlines = [CalendarPeriodInline]
    change_list_template = "admin/hubops/academicyear/change_list.html"

    def get_urls(self):
        urls = [
            path(
                "load/",
                self.admin_site.admin_view(self.load_calendar_view),
                name="hubops_academicyear_load_calendar",
            ),
        ]
        return urls + super().get_urls()

    def load_calendar_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = CalendarUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                years = calendar_io.load_plans(form.cleaned_data["plans"])
                names = ", ".join(year.name for year in years)
                for year in years:
                    audit.record(
                        request.user,
                        year,
                        "hubops.academicyear.loaded",
                        data={"file": form.cleaned_data["file"].name},
                    )
            self.message_user(request, f"Loaded the term dates for {names}.", messages.SUCCESS)
            return redirect("admin:hubops_academicyear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Load term dates",
            "form": form,
            "accept": ".json,application/json",
            "submit_label": "Load",
        }
        return TemplateResponse(request, "admin/hubops/academicyear/load_calendar.html", context)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_label"]
    list_filter = ["action"]
    search_fields = ["action", "object_label", "actor_label"]
    list_select_related = ["actor"]
    list_per_page = 50
    # The log only grows: page it without counting every row on each page view.
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "kind", "object_type", "object_id", "due_on"]
    list_filter = ["kind"]
    search_fields = ["=email"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OutgoingAttachmentInline(admin.TabularInline):
    model = OutgoingAttachment
    fields = ["filename", "mimetype", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        # The file's size without its bytes.
        return super().get_queryset(request).select_related("file").defer("file__content")

    @admin.display(description="size (bytes)")
    def size(self, obj):
        return obj.file.size

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what waits, and what failed (with a retry action)."""

    list_display = [
        "created_at",
        "template_prefix",
        "to",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error_short",
    ]
    list_filter = ["status", "template_prefix"]
    search_fields = ["to", "message_id", "subject"]
    list_per_page = 50
    # Every mail the hub sends stays here for months: no count of the whole table per page.
    show_full_result_count = False
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutgoingMessage._meta.fields]
    inlines = [OutgoingAttachmentInline]
    actions = ["retry_selected"]

    def has_view_permission(self, request, obj=None):
        # Hub staff watch the outbox (a failed email is theirs to retry), without model perms.
        return super().has_view_permission(request, obj) or has_role(
            request.user, Role.HUB_STAFF, Role.MHL
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description="last error")
    def last_error_short(self, obj):
        return obj.last_error[:120]

    @admin.action(description="Retry the selected failed emails now")
    def retry_selected(self, request, queryset):
        count = outbox.outbox_retry(
            message_ids=list(queryset.values_list("pk", flat=True)), actor=request.user
        )
        skipped = queryset.count() - count
        self.message_user(
            request,
            f"{count} email{'s' if count != 1 else ''} queued to be sent again."
            + (f" {skipped} not failed, left as they were." if skipped else ""),
            messages.SUCCESS if count else messages.WARNING,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        failed = OutgoingMessage.objects.filter(status=OutgoingStatus.FAILED).count()
        if failed and "status__exact" not in request.GET:
            self.message_user(
                request,
                f"{failed} email{'s' if failed != 1 else ''} could not be sent: filter by "
                'status "Failed", select them and choose "Retry".',
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)
