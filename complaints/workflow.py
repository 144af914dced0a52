"""The complaint's stages as one :class:`hubops.workflow.Machine` (pure; no queries).

informal (stage 1) -> formal (stage 2) -> responded (stage 2 outcome sent; appeal window
open) -> appeal (stage 3) -> closed. A complaint may be closed from any open stage, with the
outcomes that stage allows (``CLOSING_OUTCOMES``); at stage 3 only the panel decides. A
complaint about the Lead School itself is never taken in: it is recorded already closed,
outcome "redirected" (``services.complaint_redirect_to_dfe``, not a move).

Who may make each move is named by role (the page and the service work the person's roles out
with ``selectors.complaint_roles``):

- ``handler``: the complaint's handling role or assigned handler (``selectors.can_handle``);
- ``escalation``: the Senior Leadership Link or the Lead School's head, who convene the panel;
- ``panel``: a member of the appeal panel while the appeal runs;
- ``complainant``: the person who complained, through their private link.

The guards look at :class:`Facts` (the complaint, today, the outcome asked for) and return a
sentence for the person, or ``None``. Services call ``MACHINE.check``; the complaint page shows
the moves ``MACHINE.available`` gives. The same table is printed in docs/DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hubops import workflow as core
from hubops.formats import format_date

from .models import DECISION_OUTCOMES, Outcome, Status

HANDLER = "handler"
ESCALATION = "escalation"
PANEL = "panel"
COMPLAINANT = "complainant"

# Which outcomes may close a complaint from each stage.
CLOSING_OUTCOMES: dict[str, frozenset[str]] = {
    Status.INFORMAL: frozenset({Outcome.RESOLVED_INFORMALLY, Outcome.WITHDRAWN}),
    Status.FORMAL: frozenset({Outcome.WITHDRAWN}),
    Status.RESPONDED: frozenset(DECISION_OUTCOMES),  # the appeal window ended without appeal
    Status.APPEAL: frozenset({*DECISION_OUTCOMES, Outcome.WITHDRAWN}),
    Status.CLOSED: frozenset(),
}


class ComplaintError(core.DomainError):
    """A request the complaint rules refuse; the message is shown to the person as it is."""


class IllegalMove(ComplaintError, core.IllegalMove):
    """The move is not in the table from the complaint's stage, not this person's, or a guard
    fails. Caught as ``ComplaintError``, ``hubops.workflow.IllegalMove`` or ``DomainError``."""


@dataclass(frozen=True)
class Facts:
    """What the guards read: the complaint (a row, or anything with its fields), the day the
    move is made and the outcome asked for (``""`` when the page only asks what to offer)."""

    complaint: Any
    today: date | None = None
    outcome: str = ""


def _not_acknowledged(f: Facts) -> str | None:
    done = f.complaint.acknowledged_on
    return f"This complaint was acknowledged on {format_date(done)}." if done else None


def _awaiting_response(f: Facts) -> str | None:
    if f.complaint.responded_on:
        return "A holding letter is only for a formal complaint awaiting its response."
    return None


def _before_response_due(f: Facts) -> str | None:
    due = f.complaint.response_effective_due_on
    if due and f.today and f.today > due:
        return (
            f"The response was due on {format_date(due)}: a holding letter must be sent before "
            "the deadline runs out. Send the response now, and record why it was late."
        )
    return None


def appeal_window_open(c: Any, today: date) -> bool:
    return (
        c.status == Status.RESPONDED
        and c.appeal_window_ends_on is not None
        and today <= c.appeal_window_ends_on
    )


def _appeal_window(f: Facts) -> str | None:
    if f.today is None or appeal_window_open(f.complaint, f.today):
        return None
    ends = f.complaint.appeal_window_ends_on
    if ends:
        return f"The time to ask for an appeal ended on {format_date(ends)}."
    return "An appeal can only be asked for after the stage 2 response."


def _outcome_allowed(f: Facts) -> str | None:
    allowed = CLOSING_OUTCOMES.get(f.complaint.status, frozenset())
    if not f.outcome or f.outcome in allowed:
        return None
    names = ", ".join(sorted(Outcome(o).label for o in allowed))
    return f"At '{Status(f.complaint.status).label}' a complaint can only be closed as: {names}."


S = Status
MACHINE = core.Machine(
    noun="complaint",
    error=IllegalMove,
    labels={s.value: s.label for s in Status},
    who={
        HANDLER: "the complaint's handler",
        ESCALATION: "the Senior Leadership Link or the Lead School's head",
        PANEL: "a member of the appeal panel",
        COMPLAINANT: "the complainant",
    },
    moves=(
        core.move("make_formal", S.INFORMAL, S.FORMAL, "Move to stage 2", roles=HANDLER),
        core.move(
            "acknowledge",
            S.FORMAL,
            S.FORMAL,
            "Send the acknowledgement",
            roles=HANDLER,
            guards=[_not_acknowledged],
        ),
        core.move("respond", S.FORMAL, S.RESPONDED, "Send the stage 2 response", roles=HANDLER),
        core.move(
            "send_holding_letter",
            S.FORMAL,
            S.FORMAL,
            "Send a holding letter",
            roles=HANDLER,
            guards=[_awaiting_response, _before_response_due],
            needs_comment=True,
        ),
        core.move(
            "request_appeal",
            S.RESPONDED,
            S.APPEAL,
            "Ask for an appeal",
            roles=[HANDLER, COMPLAINANT],
            guards=[_appeal_window],
            needs_comment=True,
        ),
        core.move(
            "convene_panel", S.APPEAL, S.APPEAL, "Convene the appeal panel", roles=ESCALATION
        ),
        core.move(
            "decide_appeal",
            S.APPEAL,
            S.CLOSED,
            "Record the panel's decision",
            roles=PANEL,
            needs_comment=True,
        ),
        core.move(
            "close",
            [S.INFORMAL, S.FORMAL, S.RESPONDED],
            S.CLOSED,
            "Close the complaint",
            roles=HANDLER,
            guards=[_outcome_allowed],
        ),
        # Stage 3 ended without the panel (the appeal was withdrawn): not offered on the page.
        core.move(
            "close_appeal",
            S.APPEAL,
            S.CLOSED,
            "Close the appeal",
            roles=[HANDLER, ESCALATION],
            guards=[_outcome_allowed],
            confirm=True,
        ),
    ),
)
