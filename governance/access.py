"""Who may use governance's pages and make its moves: the roles, and a user's actor names in
``governance.workflow.MEETING``."""

from __future__ import annotations

from datetime import date
from typing import Any

from hubops.roles import Role, has_role
from hubops.workflow import Move

from . import workflow

#: Everyone who reads governance's staff pages.
GOVERNANCE_ROLES = (Role.HUB_STAFF, Role.MHL, Role.SLL, Role.BOARD_CHAIR)
#: Whoever edits governance's records (the Chair reads).
EDIT_ROLES = (Role.HUB_STAFF, Role.MHL, Role.SLL)


def actor_roles(user: Any) -> set[str] | None:
    """The machine's names for what ``user`` may do; ``None`` for the system (no user)."""
    if user is None:
        return None
    names = set()
    if has_role(user, Role.SLL):
        names.add(workflow.SLL)
    if has_role(user, Role.BOARD_CHAIR):
        names.add(workflow.CHAIR)
    if has_role(user, *EDIT_ROLES):
        names.add(workflow.OFFICE)
    return names


def can_edit(user: Any) -> bool:
    return user is None or has_role(user, *EDIT_ROLES)


def moves_for(user: Any, meeting: Any, today: date) -> list[Move]:
    """The meeting moves ``user`` can make now (buttons on the page, items on the home)."""
    roles = actor_roles(user)
    chair_agreed = meeting.notes_chair_agreed_at is not None
    sll_agreed = meeting.notes_sll_agreed_at is not None
    facts = workflow.MeetingFacts(
        held_on=meeting.held_on,
        today=today,
        # Offer "agree the notes" when some true date exists for it; the form asks which.
        agreed_on=max(today, meeting.held_on),
        side=workflow.notes_side(roles, chair_agreed=chair_agreed, sll_agreed=sll_agreed),
        chair_agreed=chair_agreed,
        sll_agreed=sll_agreed,
    )
    return workflow.available(meeting.status, roles=roles, subject=facts)
