"""The privacy admin, for superusers: state fields are read-only, and every change of state
goes through the same services as the staff pages (``/staff/privacy/``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from hubops.workflow import DomainError

from . import services
from .models import (
    DPIA,
    Breach,
    DataRequest,
    Disclosure,
    LegalHold,
    PrivacyNotice,
    Restriction,
    RetentionRun,
    RetentionSettings,
)
from .services.breaches import BREACH_FIELDS, DPIA_FIELDS


def _each(modeladmin, request, queryset, run, done: str) -> None:
    """Run ``run(obj)`` (a service) for each selected row; say what happened and what was
    refused, with the service's reason."""
    count = 0
    for obj in queryset:
        try:
            run(obj)
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.WARNING)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, f"{done}: {count}.", messages.SUCCESS)


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    """A published version is what people accepted: it is never edited. New versions are
    published on the staff page (people who accepted the old one are asked again)."""

    list_display = ["version", "title", "published_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    """Requests are logged and moved on the staff pages; here only the free text can be
    corrected. The status and the dates the ICO's clock runs on are read-only."""

    list_display = ["reference", "kind", "received_on", "due_on", "extended_to", "status"]
    list_filter = ["kind", "status"]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = [
        "reference",
        "kind",
        "status",
        "received_on",
        "due_on",
        "extended_to",
        "extension_reason",
        "closed_on",
        "outcome",
        "verification_token",
        "identity_verified_at",
        "identity_verified_by",
        "via_staff",
        "user",
    ]
    actions = ["confirm_identity"]

    def has_add_permission(self, request):
        return False  # logged through data_request_create (the due date, the identity check)

    @admin.action(description="Confirm the identity of the selected requests")
    def confirm_identity(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda r: services.data_request_confirm_identity(
                data_request_id=r.pk, actor=request.user
            ),
            "Identity confirmed",
        )


@admin.register(Restriction)
class RestrictionAdmin(admin.ModelAdmin):
    list_display = ["email", "started_on", "lifted_on"]
    readonly_fields = ["email", "user", "request", "started_on", "lifted_on"]
    actions = ["lift"]

    def has_add_permission(self, request):
        return False  # a restriction is carried out from its request

    @admin.action(description="Lift the selected restrictions")
    def lift(self, request, queryset):
        _each(
            self,
            request,
            queryset.filter(lifted_on__isnull=True),
            lambda r: services.restriction_lift(
                restriction_id=r.pk, today=timezone.localdate(), actor=request.user
            ),
            "Restrictions lifted",
        )


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    list_display = ["object_type", "object_id", "reason", "placed_on", "released_on"]


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(admin.ModelAdmin):
    list_display = ["programme_ends_on", "months_after_programme"]


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["as_of", "approved_at", "executed_at"]
    readonly_fields = [
        "prepared_at",
        "as_of",
        "report",
        "approved_by",
        "approved_at",
        "executed_at",
        "destroyed",
    ]
    actions = ["approve"]

    def has_add_permission(self, request):
        return False  # prepared by the retention sweep

    @admin.action(description="Approve the selected dry runs")
    def approve(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda run: services.retention_run_approve(retention_run_id=run.pk, actor=request.user),
            "Approved",
        )


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ["disclosed_on", "recipient", "purpose", "people_count"]


class DPIAAdminForm(forms.ModelForm):
    class Meta:
        model = DPIA
        fields = list(DPIA_FIELDS)

    def clean(self):
        data = super().clean()
        if bool(data.get("signed_off_by")) != bool(data.get("signed_off_on")):
            raise forms.ValidationError("A sign-off needs both who signed it off and the date.")
        return data


@admin.register(DPIA)
class DPIAAdmin(admin.ModelAdmin):
    list_display = ["title", "review_on", "signed_off_by", "signed_off_on"]
    form = DPIAAdminForm

    def save_model(self, request, obj, form, change):
        values = {
            name: form.cleaned_data[name] for name in DPIA_FIELDS if name in form.cleaned_data
        }
        if change:
            services.dpia_update(dpia_id=obj.pk, actor=request.user, **values)
        else:
            obj.pk = services.dpia_create(actor=request.user, **values).pk
        obj.refresh_from_db()


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    """A breach is logged through ``breach_log`` (its reference and 72-hour deadline); the
    ICO decision and closing are moves on the staff page, read-only here."""

    list_display = ["reference", "found_at", "ico_deadline", "ico_notified_at", "closed_on"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["close"]

    def get_readonly_fields(self, request, obj=None):
        state = ["reference", "ico_deadline", "ico_notified_at", "ico_not_notified_reason"]
        state.append("closed_on")
        return [*state, "found_at"] if obj is not None else state

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        fields = {
            name: form.cleaned_data[name] for name in BREACH_FIELDS if name in form.cleaned_data
        }
        logged = services.breach_log(
            found_at=form.cleaned_data["found_at"], actor=request.user, **fields
        )
        obj.pk = logged.pk
        obj.refresh_from_db()

    @admin.action(description="Close the selected breaches (ICO decision recorded)")
    def close(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda b: services.breach_close(
                breach_id=b.pk, actor=request.user, today=timezone.localdate()
            ),
            "Breaches closed",
        )
