from django.apps import AppConfig


class HubopsConfig(AppConfig):
    name = "hubops"
    verbose_name = "Hub"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        post_migrate.connect(_create_roles, sender=self)

        from . import workspace

        workspace.register()
        # Cache invalidation, not domain flow: any edit to the calendar (admin, loader, shell)
        # must reach the stored deadlines.
        for model_name in ("AcademicYear", "CalendarPeriod"):
            model = self.get_model(model_name)
            post_save.connect(
                _calendar_changed, sender=model, dispatch_uid=f"cal-save-{model_name}"
            )
            post_delete.connect(
                _calendar_changed, sender=model, dispatch_uid=f"cal-delete-{model_name}"
            )


def _create_roles(**kwargs) -> None:
    from .roles import ensure_roles

    ensure_roles()


def _calendar_changed(**kwargs) -> None:
    from .services import calendar_changed

    calendar_changed()
