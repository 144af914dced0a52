"""Privacy's rules as :class:`hubops.workflow.Machine` s, pure (no ORM): a data-rights
request's statuses, and a breach's stages (the ICO decision within 72 hours, then closing).

A request waits for the person's identity to be checked (an emailed link, or staff), is then
open, and ends completed, completed in part or refused. It may be refused before identity is
confirmed (a request we cannot verify). Extending the deadline is not a status change: its
rules are :func:`extension_refusals`.

A breach has no status column: its stage follows from what is recorded
(:func:`breach_stage`): awaiting the ICO decision until the ICO is told or the reason for not
telling it is recorded, then decided, then closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hubops.workflow import IllegalMove, Machine, Move, move


class TransitionError(IllegalMove):
    """A privacy record cannot make that move now; the message says why. (A
    :class:`hubops.workflow.DomainError`, so the staff pages show it as it is.)"""


def check(machine: Machine, name: str, status: str, *, subject: Any = None) -> Move:
    """``machine.check`` raising :class:`TransitionError`, the error privacy's callers catch."""
    try:
        return machine.check(name, status, subject=subject)
    except IllegalMove as refused:
        raise TransitionError(str(refused), reasons=refused.reasons) from None


# Data-rights requests --------------------------------------------------------------------------

AWAITING_VERIFICATION = "awaiting_verification"
OPEN = "open"
COMPLETED = "completed"
PARTLY_REFUSED = "partly_refused"
REFUSED = "refused"

REQUEST_LABELS = {
    AWAITING_VERIFICATION: "Waiting for identity check",
    OPEN: "Open",
    COMPLETED: "Completed",
    PARTLY_REFUSED: "Completed in part (some refused)",
    REFUSED: "Refused",
}

ERASURE = "erasure"
RESTRICTABLE_KINDS = frozenset({"restriction", "objection", "withdraw_consent"})


def _erasure_only(subject: Any) -> str | None:
    if getattr(subject, "kind", ERASURE) != ERASURE:
        return "Only an erasure request can be carried out as an erasure."
    return None


def _restriction_kinds(subject: Any) -> str | None:
    if getattr(subject, "kind", "restriction") not in RESTRICTABLE_KINDS:
        return "Only a request to restrict, object or withdraw consent restricts processing."
    return None


REQUEST_MACHINE = Machine(
    noun="request",
    moves=(
        move("verify", AWAITING_VERIFICATION, OPEN, "Confirm identity"),
        move("complete", OPEN, COMPLETED, "Close as completed"),
        move("complete_in_part", OPEN, PARTLY_REFUSED, "Close as completed in part"),
        move("refuse", {AWAITING_VERIFICATION, OPEN}, REFUSED, "Refuse"),
        # Carrying out an erasure ends the request: completed, or in part when some records
        # had to be kept (a legal hold, an open complaint).
        move("erase", OPEN, COMPLETED, "Erase this person's data", guards=[_erasure_only]),
        move(
            "erase_in_part",
            OPEN,
            PARTLY_REFUSED,
            "Erase this person's data",
            guards=[_erasure_only],
        ),
        move(
            "restrict",
            OPEN,
            COMPLETED,
            "Restrict processing",
            guards=[_restriction_kinds],
        ),
    ),
    labels=REQUEST_LABELS,
)

#: The outcomes staff choose when closing a request by hand, and the move each one is.
CLOSING_MOVES = {COMPLETED: "complete", PARTLY_REFUSED: "complete_in_part", REFUSED: "refuse"}


def extension_refusals(
    *, status: str, due_on: dt.date, extended_to: dt.date | None, today: dt.date, reason: str
) -> list[str]:
    """Why a request's deadline cannot be extended now (empty: it can). The ICO's rule: by
    two further months, once, decided and told to the person within the first month."""
    if status not in (AWAITING_VERIFICATION, OPEN):
        return ["This request is closed."]
    if extended_to:
        return ["This request has already been extended."]
    if today > due_on:
        return ["An extension must be made, and the person told, within the first month."]
    if not reason.strip():
        return ["Give the reason for the extension; the person is told it."]
    return []


# Breaches ----------------------------------------------------------------------------------------

AWAITING_DECISION = "awaiting_decision"
DECIDED = "decided"
CLOSED = "closed"

BREACH_LABELS = {
    AWAITING_DECISION: "Awaiting the ICO decision",
    DECIDED: "ICO decision recorded",
    CLOSED: "Closed",
}


def breach_stage(*, ico_decided: bool, closed: bool) -> str:
    if closed:
        return CLOSED
    return DECIDED if ico_decided else AWAITING_DECISION


BREACH_MACHINE = Machine(
    noun="breach",
    moves=(
        move("notify_ico", AWAITING_DECISION, DECIDED, "Record that the ICO was told"),
        move(
            "not_notify_ico",
            AWAITING_DECISION,
            DECIDED,
            "Record why the ICO is not told",
            needs_comment=True,
        ),
        move("close", DECIDED, CLOSED, "Close the breach", confirm=True),
    ),
    labels=BREACH_LABELS,
)


def ico_deadline(found_at: dt.datetime) -> dt.datetime:
    """The ICO must be told within 72 hours of the breach being found."""
    return found_at + dt.timedelta(hours=72)


def breach_reminder_hours(found_at: dt.datetime, now: dt.datetime) -> list[int]:
    """The reminders due by ``now``: 24 and 48 hours after discovery, and at the deadline."""
    return [h for h in (24, 48, 72) if now >= found_at + dt.timedelta(hours=h)]
