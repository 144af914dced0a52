"""A Strategic Board meeting's moves, who makes each and the guards that keep its record true.

The spec (Annex B): "The Chair and hub Senior Leadership Link work together to set the agenda
and agree meeting notes". So the SLL drafts the agenda and the Chair agrees it; hub staff
record who came (which makes the meeting held) and draft the notes; the Chair and the SLL each
agree the notes, and when both have, the notes are locked as a PDF.

Guards that keep the record true:

- a meeting is held (attendance recorded) only on or after its date;
- notes are agreed on the date a person says they were agreed: not before the meeting, not in
  the future, and never stamped "today" for a meeting months ago;
- each of the Chair and the SLL agrees once; the notes lock only when both have.

Pure: no ORM. Services pass :class:`MeetingFacts`; pages ask :func:`available`.

SLAs and board members' terms have no status field: an SLA's status is derived from its dates
and signatures (``ServiceLevelAgreement.status_on``), a member serves between the dates of
their term. Their date rules are the pure functions at the end of this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from hubops.formats import format_date
from hubops.workflow import DomainError, IllegalMove, Machine, move


class GovernanceError(DomainError):
    """A request the governance rules refuse; the message is shown to the person as it is."""


class MoveRefused(GovernanceError, IllegalMove):
    """A meeting move refused by :data:`MEETING` (status, role or guard)."""


# -- statuses (the values of ``models.MeetingStatus``) ------------------------------------------

PLANNED = "planned"
AGENDA_DRAFTED = "agenda_drafted"
AGENDA_AGREED = "agenda_agreed"
HELD = "held"
NOTES_DRAFTED = "notes_drafted"
NOTES_AGREED = "notes_agreed"
CANCELLED = "cancelled"

LABELS = {
    PLANNED: "Planned",
    AGENDA_DRAFTED: "Agenda drafted by the SLL",
    AGENDA_AGREED: "Agenda agreed by the Chair",
    HELD: "Held",
    NOTES_DRAFTED: "Notes drafted",
    NOTES_AGREED: "Notes agreed and locked",
    CANCELLED: "Cancelled",
}

# -- who (the actor names of this machine; ``access.actor_roles`` maps a user onto them) --------

SLL = "sll"
CHAIR = "chair"
OFFICE = "office"  # hub staff, the Maths Hub Lead and the SLL: whoever edits governance

WHO = {SLL: "the Senior Leadership Link", CHAIR: "the Chair", OFFICE: "hub staff"}


@dataclass(frozen=True)
class MeetingFacts:
    """What the guards look at: the meeting's day, today, and for agreeing the notes the date
    given, which side is agreeing ("chair" or "sll") and who has agreed already."""

    held_on: date
    today: date
    agreed_on: date | None = None
    side: str = ""
    chair_agreed: bool = False
    sll_agreed: bool = False


def _held_on_or_after_its_day(f: MeetingFacts) -> str | None:
    if f.held_on > f.today:
        return (
            f"This meeting is on {format_date(f.held_on)}: record attendance on or after that day."
        )
    return None


def _agreed_on_a_true_date(f: MeetingFacts) -> str | None:
    if f.agreed_on is None:
        return "Enter the date the notes were agreed."
    if f.agreed_on < f.held_on:
        return f"The notes cannot have been agreed before the meeting on {format_date(f.held_on)}."
    if f.agreed_on > f.today:
        return "The date the notes were agreed must be today or in the past."
    return None


def _not_agreed_by_this_side(f: MeetingFacts) -> str | None:
    done = f.chair_agreed if f.side == CHAIR else f.sll_agreed if f.side == SLL else False
    return "You have already agreed these notes." if done else None


def _agreed_by_both(f: MeetingFacts) -> str | None:
    if f.chair_agreed and f.sll_agreed:
        return None
    return "The notes lock when both the Chair and the Senior Leadership Link have agreed them."


BEFORE_THE_MEETING = (PLANNED, AGENDA_DRAFTED, AGENDA_AGREED)

MEETING = Machine(
    noun="board meeting",
    labels=LABELS,
    who=WHO,
    moves=(
        move(
            "draft_agenda",
            (PLANNED, AGENDA_DRAFTED),
            AGENDA_DRAFTED,
            "Draft the agenda",
            roles=SLL,
        ),
        move("agree_agenda", AGENDA_DRAFTED, AGENDA_AGREED, "Agree the agenda", roles=CHAIR),
        move(
            "record_attendance",
            (AGENDA_AGREED, HELD),
            HELD,
            "Record attendance",
            roles=OFFICE,
            guards=[_held_on_or_after_its_day],
        ),
        move("draft_notes", (HELD, NOTES_DRAFTED), NOTES_DRAFTED, "Draft the notes", roles=OFFICE),
        move(
            "agree_notes",
            NOTES_DRAFTED,
            NOTES_DRAFTED,
            "Agree the notes",
            roles=(CHAIR, SLL),
            guards=[_not_agreed_by_this_side, _agreed_on_a_true_date],
        ),
        # Made by the system within agree_notes, the moment the second side agrees.
        move("lock_notes", NOTES_DRAFTED, NOTES_AGREED, "Lock the notes", guards=[_agreed_by_both]),
        move(
            "cancel",
            BEFORE_THE_MEETING,
            CANCELLED,
            "Cancel the meeting",
            roles=OFFICE,
            needs_comment=True,
            confirm=True,
        ),
    ),
)

#: What a person is told when a move is not possible from the meeting's status (the step that
#: has to come first), rather than the machine's generic sentence.
HINTS = {
    "draft_agenda": "The agenda can only be drafted before it is agreed.",
    "agree_agenda": "The SLL must draft the agenda before the Chair agrees it.",
    "record_attendance": "Attendance can be recorded once the agenda is agreed, and before notes.",
    "draft_notes": "Notes can be drafted once the meeting is held, until agreed.",
    "agree_notes": "Notes must be drafted before they are agreed.",
    "lock_notes": "Notes must be drafted before they are agreed.",
    "cancel": "Only a meeting that has not been held can be cancelled.",
}


def check(
    name: str, status: str, *, roles: Iterable[str] | None, subject: MeetingFacts | None = None
):
    """``MEETING.check``, refusing with :class:`MoveRefused` (a :class:`GovernanceError`) and,
    when the status is the reason, the step that has to come first."""
    try:
        return MEETING.check(name, status, roles=roles, subject=subject)
    except IllegalMove as refused:
        if status not in MEETING.get(name).sources:
            hint = f"{HINTS[name]} (Now: {MEETING.label(status)}.)"
            raise MoveRefused(hint) from None
        raise MoveRefused(str(refused), reasons=refused.reasons) from None


def available(status: str, *, roles: Iterable[str] | None, subject: MeetingFacts):
    """The moves to offer this person as buttons and forms (never the system's lock)."""
    return [m for m in MEETING.available(status, roles=roles, subject=subject) if m.roles]


def papers_open(status: str) -> bool:
    """Papers can be recorded as circulated until the notes are locked or it is cancelled."""
    return status not in (CANCELLED, NOTES_AGREED)


def notes_side(roles: Iterable[str] | None, *, chair_agreed: bool, sll_agreed: bool) -> str:
    """Whose agreement a person gives: the Chair's if they are the Chair and it is still to
    give, else the SLL's (a superuser holds both and gives the one outstanding)."""
    held = set(roles) if roles is not None else {CHAIR, SLL}
    if CHAIR in held and not chair_agreed:
        return CHAIR
    if SLL in held and not sll_agreed:
        return SLL
    return CHAIR if CHAIR in held else SLL if SLL in held else ""


# -- terms, appointments and SLAs: date rules -----------------------------------------------------


def term_refusal(starts_on: date, ends_on: date | None) -> str | None:
    """A term, appointment or agreement ends on or after the day it starts."""
    if ends_on is not None and ends_on < starts_on:
        return f"The end date must be on or after the start date, {format_date(starts_on)}."
    return None


def extension_refusal(current_end: date | None, new_end: date) -> str | None:
    """Extending a term moves its end later, never earlier (ending early is 'end')."""
    if current_end is None:
        return "This term has no end date to extend."
    if new_end <= current_end:
        return f"The new end date must be after the current one, {format_date(current_end)}."
    return None


def ending_refusal(starts_on: date, current_end: date | None, ends_on: date) -> str | None:
    """Ending a term early: on or after its start, and not after its current end."""
    if ends_on < starts_on:
        return f"The term cannot end before it started, on {format_date(starts_on)}."
    if current_end is not None and ends_on > current_end:
        return f"The term already ends on {format_date(current_end)}: to make it longer, extend it."
    return None


def month_refusal(month: date, *, year_starts_on: date, year_ends_on: date, today: date):
    """Actual spend is recorded for a month of the grant's year that has ended."""
    first = month.replace(day=1)
    if not year_starts_on.replace(day=1) <= first <= year_ends_on:
        return "That month is not in the grant's year."
    next_month = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    if next_month > today:
        return "Actual spend can be recorded only for a month that has ended."
    return None
