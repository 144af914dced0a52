"""Pure rules for Work Groups: the machines of a registration, a Work Group and a session, and
eligibility. No ORM here: the services gather the facts a guard needs and pass them in as the
``subject``, and the staff pages ask the same machines which buttons to show.

- :data:`REGISTRATION` : pending, confirmed, waiting, offered, declined, withdrawn, completed.
- :data:`WORK_GROUP` : draft -> published -> running -> completed; cancelled from any but the
  end. Publishing needs 3 to 7 sessions and a Lead; completing needs the last session over.
- :data:`SESSION` : scheduled -> cancelled; a register is taken only once it has started.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from hubops import workflow as hub
from hubops.formats import format_date
from hubops.workflow import Move, move

from .models import GroupStatus, Recruitment, RegStatus

MIN_SESSIONS, MAX_SESSIONS = 3, 7


class WorkGroupError(hub.DomainError):
    """A move the rules refuse; the message is for the person who tried it."""


class IllegalMove(hub.IllegalMove, WorkGroupError):
    """The move is not in the machine from this status, or one of its guards fails."""


class NotEligible(hub.NotEligible, WorkGroupError):
    """The person or school cannot register now; ``reasons`` says why."""

    def __init__(self, reasons: Iterable[str] | str = ()) -> None:
        found = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__(" ".join(found), reasons=found)


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{format_date(local)} at {local:%H:%M}"


# -- registrations ------------------------------------------------------------------------------

S = RegStatus
STAFF = "staff"  # hub staff or the MHL
LEAD = "lead"  # the group's own Work Group Lead (the pages only ever show a Lead their groups)


@dataclass(frozen=True)
class OfferFacts:
    expires_on: date | None
    today: date


def _offer_open(f: OfferFacts | None) -> str | None:
    if f is not None and f.expires_on and f.expires_on < f.today:
        return "This offer is no longer open."
    return None


def _offer_expired(f: OfferFacts | None) -> str | None:
    if f is not None and not (f.expires_on and f.expires_on < f.today):
        return "The offer has not lapsed yet."
    return None


REGISTRATION = hub.Machine(
    error=IllegalMove,
    noun="registration",
    labels=dict(RegStatus.choices),
    who={STAFF: "hub staff", LEAD: "the Work Group Lead"},
    moves=(
        move("approve", S.PENDING, S.CONFIRMED, "Approve", roles=[STAFF, LEAD]),
        move(
            "decline",
            [S.PENDING, S.WAITING, S.OFFERED],
            S.DECLINED,
            "Decline",
            roles=[STAFF, LEAD],
            needs_comment=True,
        ),
        move("offer", S.WAITING, S.OFFERED, "Offer a place"),
        move("accept", S.OFFERED, S.CONFIRMED, "Accept the place", guards=[_offer_open]),
        move(
            "accept_for_approval",
            S.OFFERED,
            S.PENDING,
            "Accept the place",
            guards=[_offer_open],
        ),
        move("lapse", S.OFFERED, S.DECLINED, "Let the offer lapse", guards=[_offer_expired]),
        move(
            "withdraw",
            [S.PENDING, S.CONFIRMED, S.WAITING, S.OFFERED],
            S.WITHDRAWN,
            "Withdraw",
            confirm=True,
        ),
        move("complete", S.CONFIRMED, S.COMPLETED, "Complete"),
    ),
)

#: Where each registration status can go in one move (read from the machine).
TRANSITIONS: dict[str, set[str]] = {s: REGISTRATION.targets(s) for s in RegStatus.values}


def check_move(current: str, new: str) -> Move:
    """The first registration move from ``current`` to ``new``, or :class:`IllegalMove`."""
    return REGISTRATION.check_target(current, new)


# -- Work Groups --------------------------------------------------------------------------------

G = GroupStatus


@dataclass(frozen=True)
class GroupFacts:
    """What the Work Group guards need, gathered by the service or the page."""

    sessions: int  # sessions not cancelled
    has_lead: bool
    last_ends_at: datetime | None  # the end of the last session not cancelled
    now: datetime


def _sessions_3_to_7(f: GroupFacts) -> str | None:
    if MIN_SESSIONS <= f.sessions <= MAX_SESSIONS:
        return None
    return (
        f"A Work Group needs {MIN_SESSIONS} to {MAX_SESSIONS} sessions before it is "
        f"published; this one has {f.sessions}."
    )


def _has_lead(f: GroupFacts) -> str | None:
    return None if f.has_lead else "A Work Group needs a Work Group Lead before it is published."


def _last_session_over(f: GroupFacts) -> str | None:
    if f.last_ends_at is None:
        return "A Work Group with no sessions cannot be completed."
    if f.last_ends_at > f.now:
        return (
            "A Work Group is completed after its last session, which ends on "
            f"{_when(f.last_ends_at)}."
        )
    return None


WORK_GROUP = hub.Machine(
    error=IllegalMove,
    noun="Work Group",
    labels=dict(GroupStatus.choices),
    who={STAFF: "hub staff", LEAD: "the Work Group Lead"},
    moves=(
        move(
            "publish",
            G.DRAFT,
            G.PUBLISHED,
            "Publish",
            roles=STAFF,
            guards=[_sessions_3_to_7, _has_lead],
        ),
        move("unpublish", G.PUBLISHED, G.DRAFT, "Return to draft", roles=STAFF),
        move("start", G.PUBLISHED, G.RUNNING, "Mark as running", roles=[STAFF, LEAD]),
        move(
            "complete",
            [G.PUBLISHED, G.RUNNING],
            G.COMPLETED,
            "Complete the group",
            roles=[STAFF, LEAD],
            guards=[_last_session_over],
        ),
        move(
            "cancel",
            [G.DRAFT, G.PUBLISHED, G.RUNNING],
            G.CANCELLED,
            "Cancel the group",
            roles=STAFF,
            confirm=True,
        ),
    ),
)


# -- sessions -----------------------------------------------------------------------------------

SCHEDULED, CANCELLED = "scheduled", "cancelled"


def session_status(cancelled: bool) -> str:
    return CANCELLED if cancelled else SCHEDULED


@dataclass(frozen=True)
class SessionFacts:
    starts_at: datetime
    now: datetime


def _started(f: SessionFacts) -> str | None:
    if f.starts_at > f.now:
        return f"The register opens when the session starts, on {_when(f.starts_at)}."
    return None


SESSION = hub.Machine(
    error=IllegalMove,
    noun="session",
    labels={SCHEDULED: "Scheduled", CANCELLED: "Cancelled"},
    moves=(
        move("change", SCHEDULED, SCHEDULED, "Change"),
        move("take_register", SCHEDULED, SCHEDULED, "Take the register", guards=[_started]),
        move("cancel", SCHEDULED, CANCELLED, "Cancel", needs_comment=True, confirm=True),
    ),
)


# -- eligibility --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What eligibility needs to know, gathered by the selector."""

    recruitment: str
    group_open: bool  # published or running
    opens_on: date | None
    closes_on: date | None
    school_open: bool
    school_la_code: str
    school_la_name: str
    hub_la_codes: frozenset[str]
    allowed_la_codes: frozenset[str]
    prerequisite_label: str
    prerequisite_met: bool
    invited: bool
    school_registrations: int  # the school's registrations holding a place or waiting
    places_per_school: int
    already_registered: bool


def _recruitment_reasons(f: Facts) -> list[str]:
    la = f.school_la_name or "the school’s local authority"
    if f.recruitment == Recruitment.AREA and f.school_la_code not in f.hub_la_codes:
        return [f"This Work Group is for schools in the hub's area, and {la} is outside it."]
    if f.recruitment == Recruitment.NAMED_LAS and f.school_la_code not in f.allowed_la_codes:
        return [
            "This Work Group is only for schools in certain local authorities, and "
            f"{la} is not one of them."
        ]
    if f.recruitment == Recruitment.PREREQUISITE and not f.prerequisite_met:
        return [
            f"This Work Group is for schools that have completed {f.prerequisite_label}, and "
            "we have no record that the school has."
        ]
    if f.recruitment == Recruitment.INVITATION and not f.invited:
        return [
            "This Work Group is by invitation only, and we have no invitation for you or the "
            "school."
        ]
    return []


def eligibility(f: Facts, today: date) -> list[str]:
    """Plain reasons why this person and school cannot register now; empty when they can."""
    reasons: list[str] = []
    if not f.group_open:
        reasons.append("This Work Group is not taking registrations.")
    if f.opens_on and today < f.opens_on:
        reasons.append(f"Registration opens on {format_date(f.opens_on)}.")
    if f.closes_on and today > f.closes_on:
        reasons.append(f"Registration closed on {format_date(f.closes_on)}.")
    if not f.school_open:
        reasons.append("The school is not open, according to Get Information About Schools.")
    reasons += _recruitment_reasons(f)
    if f.already_registered:
        reasons.append("You have already registered for this Work Group.")
    elif f.school_registrations >= f.places_per_school:
        reasons.append(
            f"The school already has its {f.places_per_school} places in this Work Group."
        )
    return reasons
