from django.apps import AppConfig


class WorkgroupsConfig(AppConfig):
    name = "workgroups"
    verbose_name = "Work Groups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Cache invalidation is a framework hook: any save of what the public catalogue shows
        # (including admin edits) bumps the catalogue's cache version.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import caching, models, workspace

        workspace.register()

        def bump(**kwargs):
            caching.bump_catalogue_version()

        for model in (models.Project, models.WorkGroup, models.Session, models.Registration):
            post_save.connect(bump, sender=model, dispatch_uid=f"wg-bump-save-{model.__name__}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"wg-bump-del-{model.__name__}")
        m2m_changed.connect(bump, sender=models.WorkGroup.leads.through, dispatch_uid="wg-leads")

        # A deleted certificate (erasure) takes its stored PDF with it.
        def delete_certificate_file(sender, instance, **kwargs):
            if instance.file and instance.file.name:
                instance.file.storage.delete(instance.file.name)

        post_delete.connect(
            delete_certificate_file, sender=models.Certificate, dispatch_uid="wg-certificate-file"
        )
