"""Pure rules for Work Groups: registration transitions and eligibility. No ORM here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Recruitment, RegStatus

S = RegStatus
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.CONFIRMED, S.DECLINED, S.WITHDRAWN},
    S.CONFIRMED: {S.WITHDRAWN, S.COMPLETED},
    S.WAITING: {S.OFFERED, S.WITHDRAWN, S.DECLINED},
    S.OFFERED: {S.CONFIRMED, S.PENDING, S.DECLINED, S.WITHDRAWN},
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
    S.COMPLETED: set(),
}


class WorkGroupError(Exception):
    """A move the rules refuse; the message is for the person who tried it."""


class IllegalMove(WorkGroupError):
    """The status change is not in the transition table."""


class NotEligible(WorkGroupError):
    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def check_move(current: str, new: str) -> None:
    if new not in TRANSITIONS.get(current, set()):
        raise IllegalMove(
            f"A registration that is {S(current).label.lower()} cannot become "
            f"{S(new).label.lower()}."
        )


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


def eligibility(f: Facts, today: date) -> list[str]:
    """Plain reasons why this person and school cannot register now; empty when they can."""
    reasons: list[str] = []
    if not f.group_open:
        reasons.append("This Work Group is not taking registrations.")
    if f.opens_on and today < f.opens_on:
        reasons.append(f"Registration opens on {f.opens_on:%-d %B %Y}.")
    if f.closes_on and today > f.closes_on:
        reasons.append(f"Registration closed on {f.closes_on:%-d %B %Y}.")
    if not f.school_open:
        reasons.append("The school is not open, according to Get Information About Schools.")
    if f.recruitment == Recruitment.AREA and f.school_la_code not in f.hub_la_codes:
        reasons.append(
            "This Work Group is for schools in the hub's area, and "
            f"{f.school_la_name or 'the school’s local authority'} is outside it."
        )
    if f.recruitment == Recruitment.NAMED_LAS and f.school_la_code not in f.allowed_la_codes:
        reasons.append(
            f"This Work Group is only for schools in certain local authorities, and "
            f"{f.school_la_name or 'the school’s local authority'} is not one of them."
        )
    if f.recruitment == Recruitment.PREREQUISITE and not f.prerequisite_met:
        reasons.append(
            f"This Work Group is for schools that have completed {f.prerequisite_label}, and "
            "we have no record that the school has."
        )
    if f.recruitment == Recruitment.INVITATION and not f.invited:
        reasons.append(
            "This Work Group is by invitation only, and we have no invitation for you or the "
            "school."
        )
    if f.already_registered:
        reasons.append("You have already registered for this Work Group.")
    elif f.school_registrations >= f.places_per_school:
        reasons.append(
            f"The school already has its {f.places_per_school} places in this Work Group."
        )
    return reasons
