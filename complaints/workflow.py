"""The complaint's stages as a transition table (pure; no ORM).

informal (stage 1) -> formal (stage 2) -> responded (stage 2 outcome sent; appeal window
open) -> appeal (stage 3) -> closed. A complaint may be closed from any open stage (resolved
informally, withdrawn); a complaint about the Lead School itself is never taken in: it is
recorded already closed, outcome "redirected".
"""

from __future__ import annotations

from .models import DECISION_OUTCOMES, Outcome, Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.INFORMAL: frozenset({Status.FORMAL, Status.CLOSED}),
    Status.FORMAL: frozenset({Status.RESPONDED, Status.CLOSED}),
    Status.RESPONDED: frozenset({Status.APPEAL, Status.CLOSED}),
    Status.APPEAL: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

# Which outcomes may close a complaint from each stage.
CLOSING_OUTCOMES: dict[str, frozenset[str]] = {
    Status.INFORMAL: frozenset({Outcome.RESOLVED_INFORMALLY, Outcome.WITHDRAWN}),
    Status.FORMAL: frozenset({Outcome.WITHDRAWN}),
    Status.RESPONDED: frozenset(DECISION_OUTCOMES),  # the appeal window ended without appeal
    Status.APPEAL: frozenset({*DECISION_OUTCOMES, Outcome.WITHDRAWN}),
    Status.CLOSED: frozenset(),
}


class ComplaintError(Exception):
    """A request the rules refuse; the message is shown to the person as it is."""


class IllegalMove(ComplaintError):
    """The move is not in the transition table from the complaint's stage."""


def check_move(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise IllegalMove(
            f"A complaint at '{Status(current).label}' cannot move to '{Status(target).label}'."
        )


def check_close(current: str, outcome: str) -> None:
    check_move(current, Status.CLOSED)
    if outcome not in CLOSING_OUTCOMES[current]:
        allowed = ", ".join(sorted(Outcome(o).label for o in CLOSING_OUTCOMES[current]))
        raise IllegalMove(
            f"At '{Status(current).label}' a complaint can only be closed as: {allowed}."
        )
