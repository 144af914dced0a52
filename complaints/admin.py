"""Complaints in the admin. Confidentiality holds here too: the complaint list shows only the
complaints the signed-in user may open (never one about them), state fields are read-only (they
change only through the staff pages' services), and letter templates are checked by the sandbox
before they are saved."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from hubops import audit

from . import letters, selectors
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
            from hubops.personal_data import record_view

            record_view(request.user, obj)
        return super().change_view(request, object_id, form_url, extra_context)


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(request.user, obj, "complaints.lettertemplate.saved")


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "approved_on", "review_due_on")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(request.user, obj, "complaints.policyversion.saved")
