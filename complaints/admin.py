"""Complaints in the admin. Confidentiality holds here too: the complaint list shows only the
complaints the signed-in user may open (never one about them), every stage, status and deadline
field is read-only (they change only through the services the staff pages call), and what the
admin may save goes through the same services: the learning note (``complaint_set_actions``),
letter templates (``letter_template_save``, checked by the sandbox) and a new policy version
(``policy_version_add``; a published version is never edited)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone

from hubops.personal_data import record_view

from . import letters, selectors, services
from .models import Complaint, ComplaintRecord, LetterTemplate, PolicyVersion


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecordInline(ReadOnlyInline):
    model = ComplaintRecord
    fields = ("at", "kind", "visibility", "stage", "author", "body")
    readonly_fields = fields


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("reference", "status", "route", "received_on", "ack_due_on", "late")
    list_filter = ("status", "route", "late")
    search_fields = ("reference",)
    list_per_page = 50
    show_full_result_count = False
    inlines = [RecordInline]
    fields = (
        "reference",
        "status",
        "outcome",
        "route",
        "concerns",
        "full_name",
        "email",
        "phone",
        "address",
        "about_kind",
        "about_detail",
        "issue_date",
        "what_happened",
        "received_on",
        "ack_due_on",
        "acknowledged_on",
        "response_due_on",
        "response_extended_to",
        "responded_on",
        "appeal_due_on",
        "appeal_decided_on",
        "late_note",
        "actions_taken",
    )

    def get_readonly_fields(self, request, obj=None):
        return [f for f in self.fields if f != "actions_taken"]

    def get_queryset(self, request):
        visible = selectors.complaint_list(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)

    def has_add_permission(self, request):
        return False  # complaints come in through the form or the staff pages

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        if obj is not None and selectors.complaint_get_for_user(request.user, obj.pk) is None:
            return False
        return super().has_view_permission(request, obj) or selectors.can_use_complaints_area(
            request.user
        )

    def has_module_permission(self, request):
        return super().has_module_permission(request) or selectors.can_use_complaints_area(
            request.user
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            record_view(request.user, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Only the learning note is editable: saved by the service, with its audit event."""
        services.complaint_set_actions(
            complaint_id=obj.pk, actor=request.user, actions_taken=obj.actions_taken
        )

    def save_related(self, request, form, formsets, change):
        """Nothing related is editable here (the record is read-only)."""


class LetterTemplateAdminForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ("kind", "subject", "body")

    def clean(self):
        data = super().clean()
        for name in ("subject", "body"):
            try:
                letters.validate(data.get(name) or "")
            except letters.LetterTemplateError as error:
                self.add_error(name, str(error))
        return data


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    form = LetterTemplateAdminForm
    list_display = ("kind", "subject", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        return ("kind",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        saved = services.letter_template_save(
            kind=obj.kind, subject=obj.subject, body=obj.body, actor=request.user
        )
        obj.pk = saved.pk


class PolicyVersionAdminForm(forms.ModelForm):
    """A new version: the number is the next one; the dates are checked by the service."""

    class Meta:
        model = PolicyVersion
        fields = ("body", "approved_on", "review_due_on")

    def clean(self):
        data = super().clean()
        approved, review = data.get("approved_on"), data.get("review_due_on")
        if approved and review and review <= approved:
            self.add_error("review_due_on", "The review date must be after the approval date.")
        if approved and approved > timezone.localdate():
            self.add_error("approved_on", "The approval date must be today or in the past.")
        return data


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Adds go through ``services.policy_version_add`` (as the staff page); a published version
    is read-only."""

    form = PolicyVersionAdminForm
    list_display = ("version", "approved_on", "review_due_on")

    def get_readonly_fields(self, request, obj=None):
        return ("version", "body", "approved_on", "review_due_on") if obj is not None else ()

    def get_fields(self, request, obj=None):
        return (
            ("version", "body", "approved_on", "review_due_on")
            if obj
            else super().get_fields(request, obj)
        )

    def save_model(self, request, obj, form, change):
        if change:
            return  # published versions are kept as they are
        saved = services.policy_version_add(
            actor=request.user,
            today=timezone.localdate(),
            body=obj.body,
            approved_on=obj.approved_on,
            review_due_on=obj.review_due_on,
        )
        obj.pk, obj.version = saved.pk, saved.version
