from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy and data protection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hubops import outbox, personal_data

        from . import services

        personal_data.set_restriction_provider(services.restricted_people)
        personal_data.set_disclosure_recorder(services.disclosure_record)
        # The outcome of a request (an erasure's confirmation above all) must not leave the
        # person's address and details in the outbox once it has gone.
        outbox.forget_when_sent("privacy/email/closed")

        from . import workspace

        workspace.register()

        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_show_changed_notice, dispatch_uid="privacy_changed_notice")


def _show_changed_notice(sender, request, user, **kwargs) -> None:
    """A returning user who accepted an older version than the current one is told at sign-in
    (not someone who has never accepted one, such as a person who has just signed up)."""
    from django.contrib import messages
    from django.utils import timezone

    from .selectors import current_notice, notice_changed_since_accepted

    notice = current_notice(timezone.localdate())
    if request is not None and notice_changed_since_accepted(user, notice):
        messages.info(
            request,
            f"Our privacy notice has changed (version {notice.version}, last updated "
            f"{notice.published_on:%-d %B %Y}). Read it on the Privacy notice page.",
            fail_silently=True,
        )
