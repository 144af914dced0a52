from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy and data protection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hubops.staff_home import StaffLink, register_section

        from . import selectors as privacy_selectors

        may = privacy_selectors.can_handle_privacy
        register_section(
            "Privacy",
            50,
            [
                StaffLink("Data-rights requests", "privacy_staff:requests", may),
                StaffLink("Retention and destruction", "privacy_staff:retention", may),
                StaffLink("Sharing log", "privacy_staff:sharing", may),
                StaffLink("Breach log", "privacy_staff:breaches", may),
                StaffLink("DPIA register", "privacy_staff:dpias", may),
            ],
        )

        from hubops import personal_data

        from . import services

        personal_data.set_restriction_provider(services.restricted_people)
        personal_data.set_disclosure_recorder(services.disclosure_record)

        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_show_changed_notice, dispatch_uid="privacy_changed_notice")


def _show_changed_notice(sender, request, user, **kwargs) -> None:
    """A returning user whose accepted version is not the current one is told at sign-in."""
    from django.contrib import messages
    from django.utils import timezone

    from .selectors import current_notice, has_accepted

    notice = current_notice(timezone.localdate())
    if request is not None and notice is not None and not has_accepted(user, notice):
        messages.info(
            request,
            f"Our privacy notice has changed (version {notice.version}, last updated "
            f"{notice.published_on:%-d %B %Y}). Read it on the Privacy notice page.",
            fail_silently=True,
        )
