"""What the Work Groups writes share: the catalogue's version bump on commit, a registration's
mail, its row locked with its group's, and its moves through :data:`workflow.REGISTRATION`."""

from __future__ import annotations

from django.db import transaction

from hubops.emails import queue_email
from hubops.workflow import transition

from .. import caching, workflow
from ..models import Registration, WorkGroup


def catalogue_changed() -> None:
    transaction.on_commit(caching.bump_catalogue_version)


def registration_context(reg: Registration) -> dict:
    return {
        "reference": reg.reference,
        "full_name": reg.full_name,
        "group_code": reg.work_group.code,
        "group_title": reg.work_group.title,
        "school_name": reg.school.name,
        "status": reg.get_status_display(),
        "offer_expires_on": reg.offer_expires_on.isoformat() if reg.offer_expires_on else "",
        "decline_reason": reg.decline_reason,
    }


def email_registration(reg: Registration, prefix: str) -> None:
    if reg.email:
        queue_email(
            to=[reg.email],
            template_prefix=f"workgroups/email/{prefix}",
            context=registration_context(reg),
        )


def lock_registration(registration_id: int) -> tuple[WorkGroup, Registration]:
    group_id = Registration.objects.values_list("work_group_id", flat=True).get(pk=registration_id)
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    reg = Registration.objects.select_for_update().select_related("school").get(pk=registration_id)
    reg.work_group = group
    return group, reg


def move_registration(
    reg: Registration, name: str, actor, action: str, *, subject=None, **changes
) -> None:
    """A registration move through :data:`workflow.REGISTRATION`, on a locked row."""
    transition(
        reg,
        workflow.REGISTRATION,
        name,
        actor=actor,
        action=action,
        subject=subject,
        changes=changes,
    )
    catalogue_changed()
