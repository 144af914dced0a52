"""Roles are Django groups. Selectors and views ask ``has_role(user, Role.X)``; the admin
assigns people to groups. ``ensure_roles()`` creates the groups (run by migrate and load_demo).

Holding a role and the staff flag are one thing: ``is_staff`` is true exactly for superusers and
holders of a role (``staff_flag_for``). ``hubops.services.user_sync_staff_flag`` keeps it so
whenever someone's groups change (the admin, the shell, a loader: the ``m2m_changed`` hook in
``hubops.apps``), a data migration set it for existing accounts, and the ``hubops.W001`` system
check (``manage.py check --database default``) names any account where they disagree."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    HUB_STAFF = "Hub staff", "Hub staff (co-ordinator, project manager, assistant leads)"
    MHL = "Maths Hub Lead", "Maths Hub Lead (MHL)"
    SLL = "Senior Leadership Link", "Senior Leadership Link (SLL)"
    WORK_GROUP_LEAD = "Work Group Lead", "Work Group Lead (LLME)"
    COMPLAINTS_HANDLER = "Complaints handler", "Complaints handler"
    DATA_PROTECTION_LEAD = "Data protection lead", "Data protection lead"
    BOARD_CHAIR = "Board Chair", "Strategic Board Chair"
    LEAD_SCHOOL_HEAD = "Lead School head", "Head teacher or CEO of the Lead School"
    # The people the Lead School may put on a complaint's appeal panel (stage 3). Holding the
    # role opens nothing by itself: a holder sees one complaint only while sitting on its
    # panel during the appeal.
    LEAD_SCHOOL_SENIOR_LEADER = (
        "Lead School senior leader",
        "Senior leader of the Lead School (may sit on an appeal panel)",
    )


def ensure_roles() -> None:
    from django.contrib.auth.models import Group  # noqa: PLC0415 (Role is importable before apps load)

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def has_role(user, *roles: Role) -> bool:
    """Whether ``user`` holds any of ``roles``. Superusers hold every role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    names = role_names(user)
    return any(role.value in names for role in roles)


def users_with_role(role: Role):
    from django.contrib.auth import get_user_model  # noqa: PLC0415 (as above)

    return get_user_model().objects.filter(groups__name=role.value, is_active=True)


def role_names(user) -> set[str]:
    """The names of the groups ``user`` is in (read once per request and kept on the user)."""
    if user is None or not user.is_authenticated:
        return set()
    names = getattr(user, "_hubops_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._hubops_role_names = names
    return names


def holds_a_role(user) -> bool:
    """Whether ``user`` is in any role's group (superusers are not assumed to be)."""
    return not role_names(user).isdisjoint(Role.values)


def staff_flag_for(user) -> bool:
    """What ``user.is_staff`` must be: true for superusers and for every holder of a role."""
    return bool(user.is_superuser) or user.groups.filter(name__in=Role.values).exists()
