"""Stages 1 and 2, as the handler works them: the written record, the move to a formal
complaint, the acknowledgement, a holding letter, the stage 2 response, closing; and what the
complainant adds through their private link. Each move is checked by ``workflow.MACHINE``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from hubops import audit
from hubops.emails import queue_email
from hubops.formats import format_date
from hubops.selectors import school_calendar

from .. import deadlines
from ..models import (
    DECISION_OUTCOMES,
    Complaint,
    ComplaintRecord,
    Delivery,
    LetterKind,
    Outcome,
    RecordKind,
    Status,
    Visibility,
)
from ..workflow import ComplaintError, IllegalMove
from ._core import add_record, check, lock, panel_access_ended, setting, staff_url
from .attachments import attachment_store
from .filing import DEADLINE_FIELDS, apply_formal_clock, apply_lateness
from .letters import letter_send
from .links import link_issue
from .routing import handler_emails

NOTE_KINDS = {RecordKind.NOTE, RecordKind.CALL, RecordKind.MEETING, RecordKind.DECISION}


@transaction.atomic
def complaint_add_note(
    *, complaint_id: int, actor: Any, kind: str, body: str, visibility: str
) -> ComplaintRecord:
    c = lock(complaint_id)
    if kind not in NOTE_KINDS:
        raise ComplaintError("Choose a note, call, meeting or decision.")
    if not body.strip():
        raise ComplaintError("Write what happened.")
    record = add_record(c, kind=kind, body=body.strip(), actor=actor, visibility=visibility)
    audit.record(actor, c, "complaints.complaint.recorded", data={"kind": kind})
    return record


@transaction.atomic
def complaint_make_formal(*, complaint_id: int, actor: Any, received_on: date) -> Complaint:
    """Stage 1 to stage 2: the complainant put the complaint in writing on ``received_on``."""
    c = lock(complaint_id)
    check("make_formal", c, actor=actor)
    c.status = Status.FORMAL
    apply_formal_clock(c, received_on)
    apply_lateness(c)
    fields = ["status", "formal_on", *DEADLINE_FIELDS]
    c.save(update_fields=[f for f in fields if f != "appeal_due_on"] + ["updated_at"])
    add_record(c, kind=RecordKind.EVENT, body="Moved to stage 2: formal complaint.", actor=actor)
    audit.record(actor, c, "complaints.complaint.made_formal")
    return c


@transaction.atomic
def complaint_acknowledge(
    *, complaint_id: int, actor: Any, today: date, delivery: str = Delivery.EMAIL
) -> Complaint:
    c = lock(complaint_id)
    check("acknowledge", c, actor=actor, today=today)
    c.acknowledged_on = today
    c.save(update_fields=["acknowledged_on", "updated_at"])
    letter_send(c, kind=LetterKind.ACKNOWLEDGEMENT, actor=actor, today=today, delivery=delivery)
    audit.record(actor, c, "complaints.complaint.acknowledged")
    return c


@transaction.atomic
def complaint_send_holding_letter(
    *,
    complaint_id: int,
    actor: Any,
    today: date,
    reason: str,
    new_date: date,
    delivery: str = Delivery.EMAIL,
) -> Complaint:
    """Before the response is due, explain why it is not possible and give a new date."""
    c = lock(complaint_id)
    check("send_holding_letter", c, actor=actor, today=today)
    due = c.response_effective_due_on
    if due and new_date <= due:
        raise ComplaintError(f"The new date must be after {format_date(due)}.")
    if not reason.strip():
        raise ComplaintError("Explain why the response will take longer.")
    c.response_extended_to = new_date
    c.holding_reason = reason.strip()
    c.save(update_fields=["response_extended_to", "holding_reason", "updated_at"])
    letter_send(
        c,
        kind=LetterKind.HOLDING,
        actor=actor,
        today=today,
        delivery=delivery,
        extra={"response_due_on": format_date(due)},
    )
    audit.record(
        actor, c, "complaints.complaint.response_delayed", data={"new_date": new_date.isoformat()}
    )
    return c


def require_decision(outcome: str, summary: str, *, missing: str) -> None:
    """A decision (stage 2 or the panel's) is upheld, partly upheld or not upheld, with reasons."""
    if outcome not in DECISION_OUTCOMES:
        raise ComplaintError("Choose upheld, partly upheld or not upheld.")
    if not summary.strip():
        raise ComplaintError(missing)


@transaction.atomic
def complaint_respond(
    *,
    complaint_id: int,
    actor: Any,
    today: date,
    outcome: str,
    summary: str,
    delivery: str = Delivery.EMAIL,
) -> Complaint:
    """The stage 2 outcome letter; the appeal window opens."""
    c = lock(complaint_id)
    check("respond", c, actor=actor, today=today)
    require_decision(
        outcome, summary, missing="Write the findings and the reasons for the decision."
    )
    weeks = int(setting("COMPLAINTS_APPEAL_WINDOW_SCHOOL_WEEKS", 4))
    c.status = Status.RESPONDED
    c.responded_on = today
    c.stage2_outcome = outcome
    c.stage2_summary = summary.strip()
    c.appeal_window_ends_on = deadlines.appeal_window_end(school_calendar(), today, weeks).on
    c.save(
        update_fields=[
            "status",
            "responded_on",
            "stage2_outcome",
            "stage2_summary",
            "appeal_window_ends_on",
            "updated_at",
        ]
    )
    token = link_issue(c)
    letter_send(
        c,
        kind=LetterKind.STAGE2_OUTCOME,
        actor=actor,
        today=today,
        delivery=delivery,
        extra={"outcome": Outcome(outcome).label, "summary": c.stage2_summary},
        token=token,
    )
    add_record(
        c,
        kind=RecordKind.DECISION,
        body=f"Stage 2 decision: {Outcome(outcome).label}.",
        actor=actor,
        visibility=Visibility.SHARED,
    )
    audit.record(actor, c, "complaints.complaint.responded", data={"outcome": outcome})
    return c


@transaction.atomic
def complaint_close(
    *, complaint_id: int, actor: Any, outcome: str, today: date, note: str = ""
) -> Complaint:
    """Close an open complaint with an outcome its stage allows (``CLOSING_OUTCOMES``); after
    the stage 2 response (the appeal window ended) the outcome is the response's."""
    c = lock(complaint_id)
    if c.status == Status.RESPONDED:
        outcome = c.stage2_outcome or outcome
    was_appeal = c.status == Status.APPEAL
    check("close_appeal" if was_appeal else "close", c, actor=actor, today=today, outcome=outcome)
    if not outcome:
        raise ComplaintError("Select the outcome")
    c.status, c.outcome, c.closed_on = Status.CLOSED, outcome, today
    c.save(update_fields=["status", "outcome", "closed_on", "updated_at"])
    if was_appeal:
        panel_access_ended(c, actor, sorted(c.panel.values_list("pk", flat=True)))
    add_record(
        c,
        kind=RecordKind.EVENT,
        body=f"Closed: {Outcome(outcome).label}." + (f" {note.strip()}" if note.strip() else ""),
        actor=actor,
    )
    audit.record(actor, c, "complaints.complaint.closed", data={"outcome": outcome})
    return c


@transaction.atomic
def complaint_set_actions(*, complaint_id: int, actor: Any, actions_taken: str) -> Complaint:
    """What the hub changed because of the complaint (the annual figures print it)."""
    c = lock(complaint_id)
    c.actions_taken = actions_taken.strip()
    c.save(update_fields=["actions_taken", "updated_at"])
    audit.record(actor, c, "complaints.complaint.actions_recorded")
    return c


@transaction.atomic
def complaint_add_information(
    *, complaint_id: int, text: str, files: list[tuple[str, bytes]]
) -> ComplaintRecord:
    """The complainant adds to their complaint through the private link."""
    c = lock(complaint_id)
    if not c.is_open:
        raise IllegalMove("This complaint is closed: contact the hub if you need to tell us more.")
    text = text.strip()
    if not text and not files:
        raise ComplaintError("Write something or attach a file.")
    for name, data in files:
        attachment_store(data=data, original_name=name, complaint=c)
    names = ", ".join(n for n, _ in files)
    record = add_record(
        c,
        kind=RecordKind.INFORMATION,
        body=text + (f"\n\nFiles: {names}" if names else ""),
        visibility=Visibility.SHARED,
    )
    audit.record(None, c, "complaints.complaint.information_added", data={"files": len(files)})
    to = (
        handler_emails(c)
        if c.status != Status.APPEAL
        else list(c.panel.values_list("email", flat=True))
    )
    if to:
        queue_email(
            to=to,
            template_prefix="complaints/email/information_added",
            context={"reference": c.reference, "url": staff_url(c)},
        )
    return record
