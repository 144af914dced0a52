"""Who a complaint is about, who handles it (the policy's routing) and who hears about it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hubops import audit
from hubops.models import User
from hubops.roles import Role, users_with_role

from ..models import Complaint, Concerns, RecordKind, Route
from ..selectors import HANDLING_ROLES
from ._core import add_record, lock, setting

HANDLER_TITLES = {
    Route.MHL.value: "The Maths Hub Lead",
    Route.SLL.value: "The Senior Leadership Link",
    Route.LEAD_SCHOOL_HEAD.value: "The head teacher of the Lead School",
}


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def subjects_for(concerns: str, subject_name: str | None) -> list[User]:
    """The users a complaint is about: every holder of the MHL or SLL role when it is about
    that role, and staff whose name matches the name given (all matches, to be safe)."""
    if concerns == Concerns.MHL:
        return list(users_with_role(Role.MHL))
    if concerns == Concerns.SLL:
        return list(users_with_role(Role.SLL))
    wanted = _normal(subject_name or "")
    if concerns in (Concerns.STAFF, Concerns.OTHER) and wanted:
        candidates = User.objects.filter(is_active=True).filter(
            is_staff=True
        ) | User.objects.filter(is_active=True, groups__name__in=[r.value for r in Role])
        return [u for u in candidates.distinct() if u.full_name and _normal(u.full_name) == wanted]
    return []


def route_for(concerns: str, subjects: list[User]) -> str:
    """The policy's routing: to the MHL; about the MHL to the SLL; about the SLL to the head
    of the Lead School. A named person who holds the role counts as the role."""
    names = {g for u in subjects for g in u.groups.values_list("name", flat=True)}
    if concerns == Concerns.SLL or Role.SLL.value in names:
        return Route.LEAD_SCHOOL_HEAD
    if concerns == Concerns.MHL or Role.MHL.value in names:
        return Route.SLL
    if concerns == Concerns.LEAD_SCHOOL:
        return Route.DFE
    return Route.MHL


def handler_title(c: Complaint) -> str:
    return HANDLER_TITLES.get(str(c.route), "The Maths Hub Lead")


def _head_fallback() -> list[str]:
    return [e for e in [setting("COMPLAINTS_LEAD_SCHOOL_HEAD_EMAIL", "")] if e]


def handler_emails(c: Complaint) -> list[str]:
    """Who is told about a complaint and reminded of its deadlines (never a subject)."""
    subjects = set(c.subjects.values_list("pk", flat=True))
    if c.handler is not None and c.handler.pk not in subjects:
        return [c.handler.email]
    found = sorted(
        {
            u.email
            for role in HANDLING_ROLES[c.route]
            for u in users_with_role(role)
            if u.pk not in subjects and u.email
        }
    )
    if not found and c.route == Route.LEAD_SCHOOL_HEAD:
        found = _head_fallback()
    return found


def escalation_emails(c: Complaint) -> list[str]:
    """Who hears when a deadline is missed: the SLL, or the Lead School's head when the
    complaint is about the SLL."""
    subjects = set(c.subjects.values_list("pk", flat=True))
    role = Role.LEAD_SCHOOL_HEAD if c.route == Route.LEAD_SCHOOL_HEAD else Role.SLL
    found = [u.email for u in users_with_role(role) if u.pk not in subjects]
    if not found and role == Role.LEAD_SCHOOL_HEAD:
        found = _head_fallback()
    return found


@transaction.atomic
def complaint_set_subjects(*, complaint_id: int, actor: Any, users: list[User]) -> Complaint:
    """Record who the complaint is about: they lose sight of it at once, and the complaint is
    re-routed if one of them holds the MHL or SLL role."""
    c = lock(complaint_id)
    c.subjects.add(*users)
    everyone = list(c.subjects.all())
    route = route_for(c.concerns, everyone)
    changed = []
    if route != c.route and c.route != Route.DFE:
        c.route = route
        changed.append("route")
    if c.handler_id and c.handler_id in {u.pk for u in everyone}:
        c.handler = None
        changed.append("handler")
    if changed:
        c.save(update_fields=[*changed, "updated_at"])
    add_record(
        c,
        kind=RecordKind.EVENT,
        body=f"People the complaint is about recorded ({len(users)}); handled by "
        f"{c.get_route_display()}.",
        actor=actor,
    )
    audit.record(actor, c, "complaints.complaint.subjects_set", data={"route": c.route})
    return c
