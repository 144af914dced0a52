from django.contrib import admin

from . import models


@admin.register(models.PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "published_on"]


@admin.register(models.DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "received_on", "due_on", "extended_to", "status"]
    list_filter = ["kind", "status"]
    readonly_fields = ["verification_token", "reference"]


@admin.register(models.Restriction)
class RestrictionAdmin(admin.ModelAdmin):
    list_display = ["email", "started_on", "lifted_on"]


@admin.register(models.LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    list_display = ["object_type", "object_id", "reason", "placed_on", "released_on"]


@admin.register(models.RetentionSettings)
class RetentionSettingsAdmin(admin.ModelAdmin):
    list_display = ["programme_ends_on", "months_after_programme"]


@admin.register(models.RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["as_of", "approved_at", "executed_at"]
    readonly_fields = ["report", "destroyed", "executed_at"]


@admin.register(models.Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ["disclosed_on", "recipient", "purpose", "people_count"]


@admin.register(models.DPIA)
class DPIAAdmin(admin.ModelAdmin):
    list_display = ["title", "review_on", "signed_off_by", "signed_off_on"]


@admin.register(models.Breach)
class BreachAdmin(admin.ModelAdmin):
    list_display = ["reference", "found_at", "ico_deadline", "ico_notified_at"]
    readonly_fields = ["ico_deadline"]

    def save_model(self, request, obj, form, change):
        import datetime as dt
        import secrets

        obj.ico_deadline = obj.found_at + dt.timedelta(hours=72)
        if not obj.reference:
            obj.reference = f"BR-{secrets.token_hex(3).upper()}"
        super().save_model(request, obj, form, change)
