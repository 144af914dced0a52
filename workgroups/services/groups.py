"""Work Groups themselves: create and edit the record, assign Leads, and the status moves
through :data:`workflow.WORK_GROUP` (completing also completes the participants who meet the
completion rule)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hubops import audit
from hubops.roles import Role, users_with_role
from hubops.workflow import transition

from .. import caching, selectors, workflow
from ..models import GroupStatus, RegStatus, WorkGroup
from ..workflow import WorkGroupError
from ._core import catalogue_changed, move_registration


def _group_move(
    group: WorkGroup, name: str, actor, now: datetime, action: str, roles=None, **data
) -> None:
    transition(
        group,
        workflow.WORK_GROUP,
        name,
        actor=actor,
        action=action,
        roles=roles,
        subject=selectors.group_facts(group, now),
        data=data,
        on_commit=caching.bump_catalogue_version,
    )


@transaction.atomic
def work_group_move(
    *,
    group_id: int,
    actor,
    move: str,
    today: date | None = None,
    now: datetime | None = None,
    roles: set[str] | None = None,
) -> WorkGroup:
    """Publish, return to draft, mark as running or cancel a group, by the name of the move in
    :data:`workflow.WORK_GROUP` (completing has its own service: it completes participants).
    ``roles``: the actor's names in the machine (``None``: the system, no role check)."""
    if move == "complete":
        work_group_complete(group_id=group_id, actor=actor, now=now, roles=roles)
        return WorkGroup.objects.get(pk=group_id)
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    _group_move(
        group, move, actor, now or timezone.now(), "workgroups.workgroup.status_changed", roles
    )
    return group


@transaction.atomic
def work_group_set_status(*, group_id: int, actor, status: str) -> WorkGroup:
    """Move the group to ``status`` by whichever move of the machine leads there."""
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    now = timezone.now()
    step = workflow.WORK_GROUP.check_target(
        group.status, status, subject=selectors.group_facts(group, now)
    )
    return work_group_move(group_id=group.pk, actor=actor, move=step.name, now=now)


@transaction.atomic
def work_group_complete(
    *, group_id: int, actor, now: datetime | None = None, roles: set[str] | None = None
) -> int:
    """Close the group: confirmed participants who meet the completion rule complete. Only
    once its last session has ended (the machine's guard), so no certificate counts sessions
    still to come."""
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    now = now or timezone.now()
    workflow.WORK_GROUP.check(
        "complete", group.status, roles=roles, subject=selectors.group_facts(group, now)
    )
    done = 0
    for reg in selectors.registrations_of_group(group).filter(status=RegStatus.CONFIRMED):
        if selectors.meets_completion_rule(reg):
            reg.work_group = group
            move_registration(reg, "complete", actor, "workgroups.registration.completed")
            done += 1
    _group_move(
        group, "complete", actor, now, "workgroups.workgroup.completed", roles, completed=done
    )
    return done


#: The fields hub staff edit on the Work Group page (status, Leads and sessions have their own
#: services).
GROUP_FIELDS = (
    "code",
    "title",
    "description",
    "project",
    "phases",
    "audience",
    "format",
    "venue",
    "capacity_schools",
    "places_per_school",
    "recruitment",
    "allowed_la_codes",
    "prerequisite_project",
    "prerequisite_stage",
    "needs_approval",
    "completion_min_sessions",
    "registration_opens_on",
    "registration_closes_on",
    "flyer",
)


@transaction.atomic
def work_group_save(*, group_id: int | None, actor, data: dict) -> WorkGroup:
    """Create a Work Group (as a draft) or change its record. Capacity never drops below the
    schools that already hold places."""
    unknown = set(data) - set(GROUP_FIELDS)
    if unknown:
        raise WorkGroupError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    if group_id:
        group = WorkGroup.objects.select_for_update().get(pk=group_id)
        holding = selectors.schools_holding(group.pk)
        if data.get("capacity_schools", group.capacity_schools) < holding:
            raise WorkGroupError(
                f"{holding} schools already hold places: the group needs room for at least "
                f"{holding}."
            )
    else:
        group = WorkGroup(status=GroupStatus.DRAFT)
    changed = [name for name, value in data.items() if getattr(group, name, None) != value]
    for name in changed:
        setattr(group, name, data[name])
    try:
        group.full_clean()
    except ValidationError as error:
        raise WorkGroupError(" ".join(error.messages)) from None
    if group.pk:
        group.save(update_fields=[*changed, "updated_at"])
    else:
        group.save()
    audit.record(
        actor,
        group,
        "workgroups.workgroup." + ("changed" if group_id else "created"),
        data={"fields": sorted(changed)},
    )
    catalogue_changed()
    return group


@transaction.atomic
def work_group_assign_leads(*, group_id: int, actor, lead_ids: list[int]) -> WorkGroup:
    """Who leads the group: holders of the Work Group Lead role only. A published or running
    group keeps at least one Lead."""
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    leads = list(users_with_role(Role.WORK_GROUP_LEAD).filter(pk__in=lead_ids))
    if len(leads) != len(set(lead_ids)):
        raise WorkGroupError("Choose people who hold the Work Group Lead role.")
    if not leads and group.status in (GroupStatus.PUBLISHED, GroupStatus.RUNNING):
        raise WorkGroupError("A published or running Work Group needs a Work Group Lead.")
    before = set(group.leads.values_list("pk", flat=True))
    group.leads.set(leads)
    audit.record(
        actor,
        group,
        "workgroups.workgroup.leads_changed",
        data={"from": sorted(before), "to": sorted(u.pk for u in leads)},
    )
    catalogue_changed()
    return group
