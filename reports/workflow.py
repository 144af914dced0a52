"""The sign-off of a report as a :class:`hubops.workflow.Machine` (Annex C: the MHL does the
initial quality assurance, the Senior Leadership Link the final quality assurance and sign-off).
Pure: no ORM.

    draft --submit--> submitted for QA --mhl_approve--> MHL approved --sign--> issued
                                        \\-mhl_return--> draft      \\-sll_return--> draft
    issued --record_submission--> submitted to the DfE / the NCETM

Who may make each move is part of the table ("staff" = hub staff, the MHL or the SLL). A report
goes to quality assurance only with every narrative section written (a guard, so the page does
not offer the move until then). A return needs a comment for the author. An issued report is
frozen: its PDF and figures never change, and there is no move out of issued except recording
its submission.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hubops.workflow import DomainError, IllegalMove, Machine, Move, move

from .narrative import unwritten_sections

__all__ = ["IllegalMove", "MACHINE", "ReportError", "available", "check"]

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

# The people in the table: hub staff (the MHL and the SLL are staff too), the MHL, the SLL.
STAFF, MHL, SLL = "staff", "mhl", "sll"
WHO = {MHL: "the Maths Hub Lead", SLL: "the Senior Leadership Link", STAFF: "hub staff"}


class ReportError(DomainError):
    """A change to a report that cannot be made (a wrong password, a return with no comment);
    the message says why."""


def every_section_written(report: Any) -> str | None:
    """The guard on "submit": the report's narrative has every section its kind asks for."""
    missing = unwritten_sections(getattr(report, "kind", ""), getattr(report, "narrative", {}))
    if missing:
        return (
            "Write every section before quality assurance. Not yet written: "
            + ", ".join(missing)
            + "."
        )
    return None


MACHINE = Machine(
    noun="report",
    moves=(
        move(
            "submit",
            DRAFT,
            SUBMITTED,
            "Submit for quality assurance",
            roles=STAFF,
            guards=[every_section_written],
        ),
        move("mhl_approve", SUBMITTED, MHL_APPROVED, "Approve (initial QA)", roles=MHL),
        move("mhl_return", SUBMITTED, DRAFT, "Return with comments", roles=MHL, needs_comment=True),
        move("sign", MHL_APPROVED, ISSUED, "Sign off and issue", roles=SLL),
        move(
            "sll_return",
            MHL_APPROVED,
            DRAFT,
            "Return with comments",
            roles=SLL,
            needs_comment=True,
        ),
        move("record_submission", ISSUED, SENT, "Record submission", roles=STAFF),
    ),
    labels=STATUS_LABELS,
    who=WHO,
)
MOVES = MACHINE.moves
BY_NAME = {m.name: m for m in MOVES}


def check(name: str, status: str, roles: Iterable[str], subject: Any = None) -> Move:
    """The move ``name`` from ``status`` by someone holding ``roles`` (a subset of
    {"staff", "mhl", "sll"}), or :class:`IllegalMove` with a reason a person can read."""
    return MACHINE.check(name, status, roles=set(roles), subject=subject)


def available(status: str, roles: Iterable[str], subject: Any = None) -> list[Move]:
    """The moves to offer as buttons (a guard that fails hides its move)."""
    return MACHINE.available(status, roles=set(roles), subject=subject)


def held_back(status: str, roles: Iterable[str], subject: Any) -> list[tuple[Move, list[str]]]:
    """Moves this person could make from ``status`` but for a guard, with the reasons (the page
    says what is missing instead of offering a button that would be refused)."""
    roles = set(roles)
    offered = set(available(status, roles, subject))
    return [
        (m, MACHINE.reasons(m.name, status, roles=roles, subject=subject))
        for m in MOVES
        if status in m.sources and m.allows(roles) and m not in offered
    ]
