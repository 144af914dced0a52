"""Taking a complaint in: the form's or staff's record, its route and clocks, the copy to the
complainant and the note to the handler; the DfE redirection; the clocks recounted when the
school calendar changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from hubops import audit
from hubops.emails import attachment as email_attachment
from hubops.emails import queue_email
from hubops.formats import format_date
from hubops.selectors import school_calendar

from .. import deadlines
from ..models import (
    OPEN_STATUSES,
    Attachment,
    Complaint,
    Concerns,
    Outcome,
    RecordKind,
    Relationship,
    Route,
    Source,
    Status,
)
from ..workflow import ComplaintError
from ._core import add_record, staff_url
from .letters import copy_pdf
from .links import follow_token_for_submission, follow_url, link_issue
from .routing import handler_emails, route_for, subjects_for

COMPLAINANT_FIELDS = (
    "full_name",
    "email",
    "phone",
    "address",
    "relationship",
    "concerns",
    "subject_name",
    "about_kind",
    "about_detail",
    "issue_date",
    "what_happened",
    "done_so_far",
    "outcome_wanted",
    "adjustments",
)
DEADLINE_FIELDS = [
    "clock_starts_on",
    "ack_due_on",
    "response_due_on",
    "appeal_due_on",
    "deadline_note",
    "late",
    "late_note",
]


def apply_formal_clock(c: Complaint, received: date) -> None:
    """Stage 2 starts on ``received``: the acknowledgement and response dates follow."""
    clock = deadlines.formal_clock(school_calendar(), received)
    c.formal_on = received
    c.clock_starts_on = clock.clock_starts_on
    c.ack_due_on = clock.ack_due_on
    c.response_due_on = clock.response_due_on
    c.deadline_note = clock.note


def apply_lateness(c: Complaint) -> None:
    formal = c.status != Status.INFORMAL
    received = c.formal_on if formal and c.formal_on else c.received_on
    result = deadlines.lateness(school_calendar(), c.issue_date, received, formal=formal)
    c.late, c.late_note = result.late, result.note[:300]


@dataclass
class Filed:
    complaint: Complaint
    token: str


def _complainant_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data.get(k) for k in COMPLAINANT_FIELDS if k in data}
    for k, v in list(fields.items()):
        if v is None and k != "issue_date":
            fields[k] = ""
    return fields


@transaction.atomic
def complaint_file(
    *,
    data: dict[str, Any],
    received_on: date,
    formal: bool,
    source: str = Source.FORM,
    actor: Any = None,
    draft_key: str = "",
    submission_key: str | None = None,
) -> Filed:
    """Take in a complaint (formal on the form, or an informal concern) and start its clocks.
    ``submission_key`` is the form's one-time key (see ``hubops.idempotency``): a second filing
    with the same key fails on its unique constraint, and its private link is derived from it."""
    fields = _complainant_fields(data)
    concerns = fields.get("concerns") or Concerns.OTHER
    if concerns == Concerns.LEAD_SCHOOL:
        raise ComplaintError(
            "A complaint about the Lead School itself must be raised with the DfE directly."
        )
    subjects = subjects_for(concerns, fields.get("subject_name", ""))
    c = Complaint(
        **fields,
        source=source,
        status=Status.FORMAL if formal else Status.INFORMAL,
        route=route_for(concerns, subjects),
        received_on=received_on,
        submission_key=submission_key or None,
    )
    if formal:
        apply_formal_clock(c, received_on)
    else:
        c.clock_starts_on = deadlines.clock_start(school_calendar(), received_on).on
    apply_lateness(c)
    c.full_clean()
    c.save()
    c.subjects.set(subjects)
    if draft_key:
        Attachment.objects.filter(draft_key=draft_key, complaint__isnull=True).update(
            complaint=c, draft_key=""
        )
    how = Source(source).label.lower()
    add_record(
        c,
        kind=RecordKind.EVENT,
        body=f"{'Formal complaint' if formal else 'Informal concern'} received ({how}).",
        actor=actor,
    )
    if c.late:
        add_record(c, kind=RecordKind.NOTE, body=c.late_note, actor=None)
    audit.record(
        actor,
        c,
        "complaints.complaint.filed",
        data={"formal": formal, "route": c.route, "late": c.late, "source": source},
    )
    token = link_issue(
        c, token=follow_token_for_submission(submission_key) if submission_key else None
    )
    _notify_filed(c, token)
    return Filed(c, token)


def _notify_filed(c: Complaint, token: str) -> None:
    formal = c.status == Status.FORMAL
    if c.email:
        pdf = (
            [email_attachment(f"complaint-{c.reference}.pdf", copy_pdf(c), "application/pdf")]
            if formal
            else []
        )
        queue_email(
            to=[c.email],
            template_prefix="complaints/email/received",
            context={
                "reference": c.reference,
                "full_name": c.full_name,
                "formal": formal,
                "ack_due_on": format_date(c.ack_due_on),
                "response_due_on": format_date(c.response_due_on),
                "url": follow_url(token),
                "late": c.late,
            },
            attachments=pdf,
        )
    to = handler_emails(c)
    if to:
        queue_email(
            to=to,
            template_prefix="complaints/email/new_for_handler",
            context={
                "reference": c.reference,
                "stage": c.get_status_display(),
                "url": staff_url(c),
                "ack_due_on": format_date(c.ack_due_on),
            },
        )


@transaction.atomic
def complaint_redirect_to_dfe(*, today: date, relationship: str = "") -> Complaint:
    """A complaint about the Lead School itself is not taken in: the person is told to raise it
    with the DfE. We record that it happened (no personal details)."""
    contact = settings.HUBOPS_DFE_CONTACT_EMAIL
    c = Complaint.objects.create(
        source=Source.DFE_REDIRECT,
        status=Status.CLOSED,
        outcome=Outcome.REDIRECTED,
        route=Route.DFE,
        concerns=Concerns.LEAD_SCHOOL,
        relationship=relationship if relationship in Relationship.values else "",
        received_on=today,
        closed_on=today,
        redirected_to=contact,
    )
    add_record(
        c,
        kind=RecordKind.EVENT,
        body=f"About the Lead School itself: the person was told to contact the DfE ({contact}).",
    )
    audit.record(None, c, "complaints.complaint.redirected", data={"to": contact})
    return c


def _recount(c: Complaint, cal: Any) -> None:
    if c.formal_on:
        clock = deadlines.formal_clock(cal, c.formal_on)
        c.clock_starts_on = clock.clock_starts_on
        c.ack_due_on, c.response_due_on = clock.ack_due_on, clock.response_due_on
        c.deadline_note = clock.note
    else:
        c.clock_starts_on = deadlines.clock_start(cal, c.received_on).on
    if c.appeal_requested_on:
        due = deadlines.appeal_due(cal, c.appeal_requested_on)
        c.appeal_due_on, c.deadline_note = due.on, due.note
    apply_lateness(c)


def recompute_deadlines() -> int:
    """Recount every open complaint's deadlines on the current school calendar (registered with
    ``hubops.ports``). A date staff set in a holding letter is kept."""
    cal = school_calendar()
    changed = 0
    for c in Complaint.objects.filter(status__in=OPEN_STATUSES):
        before = (c.ack_due_on, c.response_due_on, c.appeal_due_on, c.late, c.clock_starts_on)
        _recount(c, cal)
        after = (c.ack_due_on, c.response_due_on, c.appeal_due_on, c.late, c.clock_starts_on)
        if after != before or c.deadline_note:
            c.save(update_fields=[*DEADLINE_FIELDS, "updated_at"])
            changed += 1
    return changed
