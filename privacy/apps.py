from django.apps import AppConfig
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone

from hubops.formats import format_date


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy and data protection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The app's modules need the models loaded: imported here, once the registry is ready.
        from hubops import disclosures, outbox, page_cache, restriction  # noqa: PLC0415 (models must be loaded first)

        from . import services, workspace  # noqa: PLC0415 (models must be loaded first)

        restriction.set_restriction_provider(services.restricted_people)
        disclosures.set_disclosure_recorder(services.disclosure_record)
        # The outcome of a request (an erasure's confirmation above all) must not leave the
        # person's address and details in the outbox once it has gone.
        outbox.forget_when_sent("privacy/email/closed")
        workspace.register()
        # Cache invalidation: the staff lists' copies (hubops.page_cache) show these.
        from . import models  # noqa: PLC0415 (models must be loaded first)

        page_cache.bump_on_changes("privacy", models.DataRequest, models.Breach)
        user_logged_in.connect(_show_changed_notice, dispatch_uid="privacy_changed_notice")


def _show_changed_notice(sender, request, user, **kwargs) -> None:
    """A returning user who accepted an older version than the current one is told at sign-in
    (not someone who has never accepted one, such as a person who has just signed up)."""
    from .selectors import (  # noqa: PLC0415 (apps.py is imported before the models load)
        current_notice,
        notice_changed_since_accepted,
    )

    notice = current_notice(timezone.localdate())
    if request is not None and notice_changed_since_accepted(user, notice):
        messages.info(
            request,
            f"Our privacy notice has changed (version {notice.version}, last updated "
            f"{format_date(notice.published_on)}). Read it on the Privacy notice page.",
            fail_silently=True,
        )
