from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports to the DfE and the NCETM"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import workspace

        workspace.register()
