"""What every complaints write does first and last: lock the row, check the move with the
person's roles, and add to the written record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from hubops import audit
from hubops.formats import absolute_url

from .. import selectors
from ..models import Complaint, ComplaintRecord, Status, Visibility
from ..workflow import MACHINE, Facts


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def lock(complaint_id: int) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint_id)


def staff_url(c: Complaint) -> str:
    return absolute_url(reverse("complaints_staff:detail", args=[c.pk]))


def roles_of(actor: Any, c: Complaint, *, person_needed: bool = False) -> set[str] | None:
    """The actor's roles on ``c`` for ``MACHINE.check``; ``None`` (no role check) when the
    system or the complainant acts (no signed-in person), unless ``person_needed``."""
    if not getattr(actor, "is_authenticated", False):
        return set() if person_needed else None
    return selectors.complaint_roles(actor, c)


def check(
    name: str,
    c: Complaint,
    *,
    actor: Any,
    today: Any = None,
    outcome: str = "",
    person_needed: bool = False,
) -> None:
    """``MACHINE.check`` for ``actor`` on the locked ``c``: raises ``IllegalMove`` with the
    reasons a person can read."""
    MACHINE.check(
        name,
        c.status,
        roles=roles_of(actor, c, person_needed=person_needed),
        subject=Facts(complaint=c, today=today, outcome=outcome),
    )


def stage_of(c: Complaint) -> int:
    if c.status == Status.INFORMAL:
        return 1
    if c.status == Status.APPEAL:
        return 3
    return 2 if c.formal_on else 1


def add_record(
    c: Complaint,
    *,
    kind: str,
    body: str,
    actor: Any = None,
    visibility: str = Visibility.INTERNAL,
) -> ComplaintRecord:
    return ComplaintRecord.objects.create(
        complaint=c,
        kind=kind,
        body=body,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        visibility=visibility,
        stage=stage_of(c),
    )


def panel_access_ended(c: Complaint, actor: Any, members: list[int]) -> None:
    """The appeal is over (or the member was taken off): their access to it ends, on record."""
    if members:
        audit.record(
            actor,
            c,
            "complaints.complaint.panel_access_ended",
            data={"members": sorted(members)},
        )
