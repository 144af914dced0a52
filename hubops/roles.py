"""Roles are Django groups. Selectors and views ask ``has_role(user, Role.X)``; the admin
assigns people to groups. ``ensure_roles()`` creates the groups (run by migrate and load_demo)."""

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


def ensure_roles() -> None:
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def has_role(user, *roles: Role) -> bool:
    """Whether ``user`` holds any of ``roles``. Superusers hold every role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    names = getattr(user, "_hubops_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._hubops_role_names = names
    return any(role.value in names for role in roles)


def users_with_role(role: Role):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=role.value, is_active=True)
