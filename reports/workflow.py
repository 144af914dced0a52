"""The sign-off of a report as a transition table (Annex C: the MHL does the initial quality
assurance, the Senior Leadership Link the final quality assurance and sign-off). Pure: no ORM.

    draft --submit--> submitted for QA --mhl_approve--> MHL approved --sign--> issued
                                        \\-mhl_return--> draft      \\-sll_return--> draft
    issued --record_submission--> submitted to the DfE / the NCETM

Who may make each move is part of the table. An issued report is frozen: its PDF and figures
never change, and there is no move out of issued except recording its submission.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT = "draft"
SUBMITTED = "submitted_for_qa"
MHL_APPROVED = "mhl_approved"
ISSUED = "issued"
SENT = "sent"

STATUS_LABELS = {
    DRAFT: "Draft",
    SUBMITTED: "Awaiting the MHL's quality assurance",
    MHL_APPROVED: "Awaiting the SLL's sign-off",
    ISSUED: "Signed and issued",
    SENT: "Submitted to the DfE or the NCETM",
}

# Who may act: "staff" = hub staff, the MHL or the SLL; "mhl"; "sll".
STAFF, MHL, SLL = "staff", "mhl", "sll"


@dataclass(frozen=True)
class Move:
    name: str
    source: str
    target: str
    actor: str
    label: str
    needs_comment: bool = False


MOVES = (
    Move("submit", DRAFT, SUBMITTED, STAFF, "Submit for quality assurance"),
    Move("mhl_approve", SUBMITTED, MHL_APPROVED, MHL, "Approve (initial QA)"),
    Move("mhl_return", SUBMITTED, DRAFT, MHL, "Return with comments", needs_comment=True),
    Move("sign", MHL_APPROVED, ISSUED, SLL, "Sign off and issue"),
    Move("sll_return", MHL_APPROVED, DRAFT, SLL, "Return with comments", needs_comment=True),
    Move("record_submission", ISSUED, SENT, STAFF, "Record submission"),
)
BY_NAME = {move.name: move for move in MOVES}


class IllegalMove(Exception):
    """The move is not allowed from this status or for this person; the message says why."""


def check(name: str, status: str, roles: set[str]) -> Move:
    """The move ``name`` from ``status`` by someone holding ``roles`` (a subset of
    {"staff", "mhl", "sll"}), or :class:`IllegalMove` with a reason a user can read."""
    move = BY_NAME.get(name)
    if move is None:
        raise IllegalMove("That is not something you can do to a report.")
    if move.source != status:
        raise IllegalMove(
            f"This report is {STATUS_LABELS.get(status, status).lower()}: "
            f"'{move.label}' is not possible now."
        )
    if move.actor not in roles:
        who = {MHL: "the Maths Hub Lead", SLL: "the Senior Leadership Link", STAFF: "hub staff"}
        raise IllegalMove(f"Only {who[move.actor]} can {move.label.lower()}.")
    return move


def available(status: str, roles: set[str]) -> list[Move]:
    return [m for m in MOVES if m.source == status and m.actor in roles]
