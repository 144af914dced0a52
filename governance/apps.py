from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance and reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import workspace

        workspace.register()
