from django.apps import AppConfig


class HubopsConfig(AppConfig):
    name = "hubops"
    verbose_name = "Hub"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from . import checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(_create_roles, sender=self)
        # Framework hook, not domain flow: however a user's groups change (admin, shell,
        # loader), the staff flag follows the roles they hold.
        user_model = self.get_model("User")
        m2m_changed.connect(
            _groups_changed,
            sender=user_model.groups.through,
            dispatch_uid="hubops-staff-flag-follows-roles",
        )
        post_save.connect(
            _user_saved, sender=user_model, dispatch_uid="hubops-staff-flag-follows-superuser"
        )
        # Cache invalidation: a changed account is read afresh at the next request.
        for signal in (post_save, post_delete):
            signal.connect(_forget_account, sender=user_model, dispatch_uid=f"account-{signal}")
        # Storage, not domain flow: however an attachment goes (its email erased, forgotten
        # once sent, destroyed by the retention schedule), a file no email carries goes too.
        post_delete.connect(
            _attachment_deleted,
            sender=self.get_model("OutgoingAttachment"),
            dispatch_uid="outbox-file-follows-its-emails",
        )
        # The embedded default cache is the database cache: `migrate` makes its table, so
        # every way the hub is set up (make run, Docker, the test database) has it.
        post_migrate.connect(_create_cache_table, sender=self)

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


def _forget_account(sender, instance, **kwargs) -> None:
    from .cache import forget_accounts

    forget_accounts([instance.pk])


def _attachment_deleted(sender, instance, **kwargs) -> None:
    from .outbox import forget_unused_files

    forget_unused_files([instance.file_id])


def _user_saved(sender, instance, created, update_fields, raw=False, **kwargs) -> None:
    """A new account, or a save that may have touched the flags (not the service's own
    ``update_fields=["is_staff"]`` save when it already agrees)."""
    if raw:
        return
    if update_fields is not None and not {"is_staff", "is_superuser"} & set(update_fields):
        return
    from .services import user_sync_staff_flag

    user_sync_staff_flag(user=instance)


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    from django.contrib.auth import get_user_model

    from .cache import forget_accounts
    from .services import user_sync_staff_flag

    if action == "pre_clear" and reverse:
        # ``group.user_set.clear()``: remember who was in the group, to resync them after.
        instance._hubops_cleared_user_ids = list(instance.user_set.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        forget_accounts([instance.pk])  # the cached account carries its roles
        user_sync_staff_flag(user=instance)
        return
    if action == "post_clear":
        ids = instance.__dict__.pop("_hubops_cleared_user_ids", [])
    else:
        ids = pk_set
    forget_accounts(ids or [])
    for user in get_user_model().objects.filter(pk__in=ids or []):
        user_sync_staff_flag(user=user)


def _create_cache_table(using: str = "default", **kwargs) -> None:
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _calendar_changed(**kwargs) -> None:
    from .services import calendar_changed

    calendar_changed()
