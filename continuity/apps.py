from django.apps import AppConfig


class ContinuityConfig(AppConfig):
    name = "continuity"
    verbose_name = "Continuity: backups, restores and handover"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import workspace

        workspace.register()
