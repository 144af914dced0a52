"""Data-subject requests: log one, confirm who is asking, extend the deadline, close it.

Every status change goes through :data:`privacy.workflow.REQUEST_MACHINE`; the person is
told by mail, queued in the same transaction (``hubops.emails.queue_email``), with dates as
people read them ("8 December 2026")."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hubops import audit
from hubops.emails import queue_email
from hubops.formats import format_date
from hubops.personal_data import Person
from hubops.selectors import school_calendar

from .. import workflow
from ..models import DataRequest
from ..workflow import REQUEST_MACHINE, TransitionError


def new_reference(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(3).upper()}"


def due_date(received_on: dt.date, months: int = 1) -> dt.date:
    """One calendar month from receipt (the ICO's rule), via the hub calendar."""
    return school_calendar().add_calendar_months(received_on, months)


def _locked(data_request_id: int) -> DataRequest:
    return DataRequest.objects.select_for_update().get(pk=data_request_id)


def _verify(request: DataRequest, *, by: str, actor: Any = None) -> None:
    workflow.check(REQUEST_MACHINE, "verify", request.status, subject=request)
    before = request.status
    request.status = workflow.OPEN
    request.identity_verified_at = timezone.now()
    request.identity_verified_by = by
    request.save(
        update_fields=["status", "identity_verified_at", "identity_verified_by", "updated_at"]
    )
    audit.record(
        actor,
        request,
        "privacy.datarequest.verified",
        data={"by": by, "from": before, "to": request.status},
    )


def data_request_create(
    *,
    kind: str,
    full_name: str,
    email: str,
    details: str = "",
    received_on: dt.date,
    actor: Any = None,
    identity_confirmed_by_staff: bool = False,
    submission_key: str | None = None,
) -> DataRequest:
    """Log a request. From the public form the person's identity is checked by an emailed
    link; staff taking a request by phone or letter confirm identity themselves.
    ``submission_key`` is the public form's one-time key (``hubops.idempotency``): unique, so a
    second copy of the same submission fails instead of logging a second request."""
    email = email.strip().lower()
    user = get_user_model().objects.filter(email__iexact=email).first()
    with transaction.atomic():
        request = DataRequest.objects.create(
            reference=new_reference("DSR"),
            kind=kind,
            full_name=full_name.strip(),
            email=email,
            user=user,
            details=details,
            received_on=received_on,
            due_on=due_date(received_on),
            verification_token=secrets.token_urlsafe(32),
            via_staff=actor is not None,
            submission_key=submission_key or None,
        )
        audit.record(actor, request, "privacy.datarequest.received", data={"kind": kind})
        if identity_confirmed_by_staff:
            _verify(request, by=f"staff: {getattr(actor, 'email', 'staff')}", actor=actor)
        else:
            queue_email(
                to=[email],
                template_prefix="privacy/email/verify",
                context={
                    "reference": request.reference,
                    "kind": request.get_kind_display(),
                    "token": request.verification_token,
                    "due_on": format_date(request.due_on),
                },
            )
    return request


def data_request_verify(*, token: str) -> DataRequest | None:
    """The person clicked the emailed link. Returns the request, or None for a bad token.
    A second click (the request is already open, or closed) changes nothing."""
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().filter(verification_token=token).first()
        if request is None:
            return None
        if request.status == workflow.AWAITING_VERIFICATION:
            _verify(request, by="emailed link")
    return request


def data_request_confirm_identity(*, data_request_id: int, actor: Any) -> DataRequest:
    """Staff checked the person's identity themselves (a letter, a call back)."""
    with transaction.atomic():
        request = _locked(data_request_id)
        _verify(request, by=f"staff: {actor.email}", actor=actor)
    return request


def data_request_extend(
    *, data_request_id: int, reason: str, actor: Any, today: dt.date
) -> DataRequest:
    """Extend by two further months, telling the person. Only within the first month."""
    with transaction.atomic():
        request = _locked(data_request_id)
        refusals = workflow.extension_refusals(
            status=request.status,
            due_on=request.due_on,
            extended_to=request.extended_to,
            today=today,
            reason=reason,
        )
        if refusals:
            raise TransitionError(" ".join(refusals), reasons=refusals)
        request.extended_to = school_calendar().add_calendar_months(request.received_on, 3)
        request.extension_reason = reason.strip()
        request.save(update_fields=["extended_to", "extension_reason", "updated_at"])
        audit.record(
            actor, request, "privacy.datarequest.extended", data={"to": str(request.extended_to)}
        )
        queue_email(
            to=[request.email],
            template_prefix="privacy/email/extended",
            context={
                "reference": request.reference,
                "extended_to": format_date(request.extended_to),
                "reason": request.extension_reason,
            },
        )
    return request


def close_locked(
    request: DataRequest,
    *,
    move: str,
    outcome: str,
    actor: Any,
    today: dt.date,
    email: str = "",
) -> DataRequest:
    """Close a request the caller has locked, by ``move``, and tell the person the outcome (at
    ``email`` when given: an erasure has already anonymised the address on the row)."""
    step = workflow.check(REQUEST_MACHINE, move, request.status, subject=request)
    before = request.status
    request.status = step.target
    request.outcome = outcome
    request.closed_on = today
    request.save(update_fields=["status", "outcome", "closed_on", "updated_at"])
    audit.record(
        actor,
        request,
        "privacy.datarequest.closed",
        data={"status": step.target, "from": before, "to": step.target},
    )
    queue_email(
        to=[email or request.email],
        template_prefix="privacy/email/closed",
        context={"reference": request.reference, "outcome": outcome},
    )
    return request


def data_request_close(
    *, data_request_id: int, status: str, outcome: str, actor: Any, today: dt.date
) -> DataRequest:
    """Close with the outcome staff chose (completed, in part, refused) and tell the person."""
    move = workflow.CLOSING_MOVES.get(status)
    if move is None:
        raise TransitionError("Choose how the request ended: completed, in part or refused.")
    with transaction.atomic():
        request = _locked(data_request_id)
        return close_locked(request, move=move, outcome=outcome, actor=actor, today=today)


def person_for_request(request: DataRequest) -> Person:
    if request.user_id:
        person = Person.for_user(request.user)
        if request.full_name and request.full_name not in person.names:
            return person.with_name(request.full_name)
        return person
    return Person.for_email(request.email, request.full_name)
