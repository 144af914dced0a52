from django.apps import AppConfig


class HubopsConfig(AppConfig):
    name = "hubops"
    verbose_name = "Hub"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(_create_roles, sender=self)
        # The embedded default cache is the database cache: `migrate` makes its table, so
        # every way the hub is set up (make run, Docker, the test database) has it.
        post_migrate.connect(_create_cache_table, sender=self)
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


def _create_cache_table(using: str = "default", **kwargs) -> None:
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _calendar_changed(**kwargs) -> None:
    from .services import calendar_changed

    calendar_changed()
