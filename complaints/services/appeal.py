"""Stage 3: the complainant asks for an appeal inside the window, the Lead School convenes a
panel of senior leaders who were not involved, and the panel's written decision is final."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from hubops import audit
from hubops.emails import queue_email
from hubops.formats import format_date
from hubops.models import User
from hubops.roles import Role, users_with_role
from hubops.selectors import school_calendar

from .. import deadlines, selectors
from ..models import Complaint, Delivery, LetterKind, Outcome, RecordKind, Status, Visibility
from ..workflow import ComplaintError, appeal_window_open
from ._core import add_record, check, lock, panel_access_ended, setting, staff_url
from .handling import require_decision
from .letters import letter_send
from .routing import escalation_emails

#: Whether the complainant may still ask for an appeal (the machine's guard, for the pages).
appeal_open = appeal_window_open

# Audit actions at stage 3 or that only read: taking part in them is not handling the
# complaint before the appeal.
_NOT_HANDLING = (
    "complaints.complaint.viewed",
    "complaints.complaint.exported",
    "complaints.attachment.downloaded",
    "complaints.letter.downloaded",
    "complaints.complaint.appeal_requested",
    "complaints.complaint.panel_convened",
    "complaints.complaint.panel_member_added",
    "complaints.complaint.panel_member_removed",
    "complaints.complaint.panel_access_ended",
    "complaints.complaint.appeal_decided",
)


def _appeal_recipients(c: Complaint) -> list[str]:
    subjects = set(c.subjects.values_list("pk", flat=True))
    return [
        u.email
        for u in (users_with_role(Role.SLL) | users_with_role(Role.LEAD_SCHOOL_HEAD)).distinct()
        if u.pk not in subjects
    ] or escalation_emails(c)


@transaction.atomic
def complaint_request_appeal(
    *, complaint_id: int, today: date, grounds: str, actor: Any = None
) -> Complaint:
    """The complainant (through the link, ``actor=None``) or the handler recording a letter
    asks for an appeal; the panel's deadline starts."""
    c = lock(complaint_id)
    check("request_appeal", c, actor=actor, today=today)
    if not grounds.strip():
        raise ComplaintError("Tell us why you are not satisfied with the response.")
    due = deadlines.appeal_due(school_calendar(), today)
    c.status = Status.APPEAL
    c.appeal_requested_on = today
    c.appeal_grounds = grounds.strip()
    c.appeal_due_on = due.on
    c.deadline_note = due.note
    c.save(
        update_fields=[
            "status",
            "appeal_requested_on",
            "appeal_grounds",
            "appeal_due_on",
            "deadline_note",
            "updated_at",
        ]
    )
    add_record(
        c,
        kind=RecordKind.EVENT,
        body=f"Appeal asked for. The panel must respond by {format_date(due.on)}.",
        actor=actor,
        visibility=Visibility.SHARED,
    )
    audit.record(actor, c, "complaints.complaint.appeal_requested")
    to = _appeal_recipients(c)
    if to:
        queue_email(
            to=to,
            template_prefix="complaints/email/appeal_requested",
            context={"reference": c.reference, "due_on": format_date(due.on), "url": staff_url(c)},
        )
    return c


def involved_user_ids(c: Complaint) -> set[int]:
    """Everyone involved before the appeal: the people it is about, the handler, whoever
    wrote a record or a letter at stages 1 and 2, and whoever acted on it then (the audit
    log's non-reading actions)."""
    ids = set(c.subjects.values_list("pk", flat=True))
    if c.handler_id:
        ids.add(c.handler_id)
    ids.update(
        c.records.filter(stage__lt=3, author__isnull=False).values_list("author_id", flat=True)
    )
    ids.update(
        c.letters.exclude(kind=LetterKind.APPEAL_OUTCOME)
        .filter(created_by__isnull=False)
        .values_list("created_by_id", flat=True)
    )
    ids.update(
        audit.events_for(c)
        .filter(actor__isnull=False)
        .exclude(action__in=_NOT_HANDLING)
        .values_list("actor_id", flat=True)
    )
    return ids


def _check_members(c: Complaint, members: list[User]) -> None:
    minimum = int(setting("COMPLAINTS_APPEAL_PANEL_MIN", 2))
    if len(members) < minimum:
        raise ComplaintError(f"Choose at least {minimum} senior leaders for the panel.")
    involved = involved_user_ids(c)
    refusals = [why for m in members if (why := selectors.panel_refusal(c, m, involved))]
    if refusals:
        raise ComplaintError(" ".join(refusals))


def _audit_panel(c: Complaint, actor: Any, before: set[int], members: list[User]) -> None:
    after = {m.pk for m in members}
    audit.record(
        actor,
        c,
        "complaints.complaint.panel_convened",
        data={"members": len(members), "member_ids": sorted(after)},
    )
    for member in members:
        if member.pk not in before:
            audit.record(
                actor,
                c,
                "complaints.complaint.panel_member_added",
                data={"member": member.pk, "access": "this complaint, until the appeal ends"},
            )
    for pk in sorted(before - after):
        audit.record(actor, c, "complaints.complaint.panel_member_removed", data={"member": pk})
    panel_access_ended(c, actor, sorted(before - after))


@transaction.atomic
def complaint_set_panel(*, complaint_id: int, actor: Any, members: list[User]) -> Complaint:
    """Convene (or change) the appeal panel. Only holders of ``Role.LEAD_SCHOOL_SENIOR_LEADER``
    who were not involved before the appeal may sit, never anyone the complaint is about. Each
    member is granted access to this one complaint until the appeal ends; every grant and
    removal is audited."""
    c = lock(complaint_id)
    check("convene_panel", c, actor=actor)
    members = list({m.pk: m for m in members}.values())
    _check_members(c, members)
    before = set(c.panel.values_list("pk", flat=True))
    c.panel.set(members)
    add_record(
        c,
        kind=RecordKind.EVENT,
        body="Appeal panel convened: " + ", ".join(m.full_name or m.email for m in members) + ".",
        actor=actor,
    )
    _audit_panel(c, actor, before, members)
    newcomers = [m.email for m in members if m.pk not in before]
    if newcomers:
        queue_email(
            to=newcomers,
            template_prefix="complaints/email/panel_convened",
            context={
                "reference": c.reference,
                "due_on": format_date(c.appeal_due_on),
                "url": staff_url(c),
            },
        )
    return c


@transaction.atomic
def complaint_decide_appeal(
    *,
    complaint_id: int,
    actor: Any,
    today: date,
    outcome: str,
    summary: str,
    delivery: str = Delivery.EMAIL,
) -> Complaint:
    """The panel's written decision, marked final; the complaint closes."""
    c = lock(complaint_id)
    check("decide_appeal", c, actor=actor, today=today, outcome=outcome, person_needed=True)
    require_decision(outcome, summary, missing="Write the panel's findings and reasons.")
    c.status = Status.CLOSED
    c.outcome = outcome
    c.appeal_outcome = outcome
    c.appeal_summary = summary.strip()
    c.appeal_decided_on = today
    c.decision_final = True
    c.closed_on = today
    c.save(
        update_fields=[
            "status",
            "outcome",
            "appeal_outcome",
            "appeal_summary",
            "appeal_decided_on",
            "decision_final",
            "closed_on",
            "updated_at",
        ]
    )
    letter_send(
        c,
        kind=LetterKind.APPEAL_OUTCOME,
        actor=actor,
        today=today,
        delivery=delivery,
        extra={"outcome": Outcome(outcome).label, "summary": c.appeal_summary},
    )
    add_record(
        c,
        kind=RecordKind.DECISION,
        body=f"Appeal decision (final): {Outcome(outcome).label}.",
        actor=actor,
        visibility=Visibility.SHARED,
    )
    audit.record(actor, c, "complaints.complaint.appeal_decided", data={"outcome": outcome})
    panel_access_ended(c, actor, sorted(c.panel.values_list("pk", flat=True)))
    return c
