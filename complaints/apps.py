from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "Complaints"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from hubops import page_cache
        from hubops.ports import register_calendar_recompute

        from . import models, services

        register_calendar_recompute(services.recompute_deadlines)
        # Cache invalidation: the staff dashboard's copies (hubops.page_cache) show these.
        page_cache.bump_on_changes(
            "complaints",
            models.Complaint,
            models.Complaint.subjects.through,
            models.Complaint.panel.through,
        )

        from . import workspace

        workspace.register()

        # Framework hook: a deleted attachment or letter takes its file with it (erasure and
        # the draft clean-up delete rows).
        def delete_file(sender, instance, **kwargs):
            field = instance.file if sender is models.Attachment else instance.pdf
            if field and field.name:
                field.storage.delete(field.name)

        for model in (models.Attachment, models.Letter):
            post_delete.connect(
                delete_file, sender=model, dispatch_uid=f"complaints-{model.__name__}"
            )
