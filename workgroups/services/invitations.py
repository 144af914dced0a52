"""Invitations: a teacher invites a colleague into the school's places; hub staff invite a
person or a school."""

from __future__ import annotations

from django.db import transaction

from hubops import audit
from hubops.emails import queue_email

from ..models import PLACE_HOLDING, Invitation, InvitationKind, Registration, RegStatus, WorkGroup
from ..workflow import WorkGroupError


@transaction.atomic
def colleague_invite(*, registration_id: int, actor, email: str) -> Invitation:
    reg = Registration.objects.select_related("work_group", "school").get(pk=registration_id)
    if reg.user_id != actor.pk:
        raise WorkGroupError("You can only invite a colleague to your own registration.")
    held = Registration.objects.filter(
        work_group=reg.work_group, school=reg.school, status__in=[*PLACE_HOLDING, RegStatus.WAITING]
    ).count()
    if held >= reg.work_group.places_per_school:
        raise WorkGroupError("Your school already has all its places in this Work Group.")
    inv = Invitation.objects.create(
        work_group=reg.work_group,
        kind=InvitationKind.COLLEAGUE,
        email=email.strip().lower(),
        school=reg.school,
        invited_by=actor,
    )
    audit.record(actor, inv, "workgroups.invitation.created", data={"kind": "colleague"})
    _email_invitation(inv, inviter=actor.full_name or actor.email)
    return inv


@transaction.atomic
def staff_invite(
    *, group_id: int, actor, email: str = "", school_id: int | None = None
) -> Invitation:
    group = WorkGroup.objects.get(pk=group_id)
    inv = Invitation(
        work_group=group,
        kind=InvitationKind.STAFF,
        email=email.strip().lower(),
        school_id=school_id,
        invited_by=actor,
    )
    inv.full_clean()
    inv.save()
    audit.record(actor, inv, "workgroups.invitation.created", data={"kind": "staff"})
    if inv.email:
        _email_invitation(inv, inviter="the hub")
    return inv


def _email_invitation(inv: Invitation, inviter: str) -> None:
    queue_email(
        to=[inv.email],
        template_prefix="workgroups/email/invitation",
        context={
            "group_code": inv.work_group.code,
            "group_title": inv.work_group.title,
            "school_name": inv.school.name if inv.school is not None else "",
            "inviter": inviter,
            "token": inv.token,
        },
    )
