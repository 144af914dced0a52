from django.apps import AppConfig


class WorkgroupsConfig(AppConfig):
    name = "workgroups"
    verbose_name = "Work Groups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hubops.staff_home import StaffLink, register_section

        from . import selectors as wg_selectors

        register_section(
            "Work Groups",
            30,
            [
                StaffLink(
                    "Work Groups, sessions and registers",
                    "workgroups_staff:group_list",
                    wg_selectors.can_see_staff_pages,
                ),
                StaffLink(
                    "Participation returns",
                    "workgroups_staff:exports",
                    wg_selectors.is_staff_manager,
                ),
                StaffLink(
                    "Teaching for Mastery reach",
                    "workgroups_staff:reach",
                    wg_selectors.is_staff_manager,
                ),
            ],
        )

        # Cache invalidation is a framework hook: any save of what the public catalogue shows
        # (including admin edits) bumps the catalogue's cache version.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import models, selectors

        def bump(**kwargs):
            selectors.bump_catalogue_version()

        for model in (models.Project, models.WorkGroup, models.Session, models.Registration):
            post_save.connect(bump, sender=model, dispatch_uid=f"wg-bump-save-{model.__name__}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"wg-bump-del-{model.__name__}")
        m2m_changed.connect(bump, sender=models.WorkGroup.leads.through, dispatch_uid="wg-leads")
