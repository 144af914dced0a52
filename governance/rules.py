"""Pure compliance rules for governance (Annexes B and C of the DfE specification).

No ORM here: callers pass plain facts and a date, and get back what is met, with a reason for
each failure. Dates are inclusive: an appointment that ends on 31 March still counts on
31 March and not on 1 April.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

# -- the MHLM team (Annex C) ---------------------------------------------------------------------

LEADERSHIP = "leadership"
OPERATIONAL = "operational"

SLL = "sll"
MHL = "mhl"
AMHL_PRIMARY = "amhl_primary"
AMHL_SECONDARY = "amhl_secondary"
AMHL_POST16 = "amhl_post16"
HT_ADVOCATE_PRIMARY = "ht_advocate_primary"
COORDINATOR = "coordinator"
PROJECT_MANAGER = "project_manager"

#: Annex C: "The MHLM Team must have at least one person named for the following roles".
REQUIRED_LEADERSHIP_ROLES: tuple[str, ...] = (
    SLL,
    MHL,
    AMHL_PRIMARY,
    AMHL_SECONDARY,
    AMHL_POST16,
    HT_ADVOCATE_PRIMARY,
)
#: Annex C: the operational team needs a Co-ordinator *or* a Project Manager.
OPERATIONAL_ANY_OF: tuple[str, ...] = (COORDINATOR, PROJECT_MANAGER)

MIN_LEADERSHIP_DAYS = Decimal("11")
MIN_OPERATIONAL_DAYS = Decimal("10")
ENDING_SOON_DAYS = 60


@dataclass(frozen=True)
class AppointmentFact:
    person: str
    role: str
    group: str
    days_per_week: Decimal
    starts_on: date
    ends_on: date | None = None
    needs_induction: bool = False
    induction_complete: bool = False
    role_label: str = ""
    key: object = None

    def active_on(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


@dataclass
class TeamCompliance:
    on: date
    active: list[AppointmentFact]
    missing_roles: list[str]
    operational_lead_missing: bool
    leadership_days: Decimal
    operational_days: Decimal
    induction_outstanding: list[AppointmentFact]
    ending_soon: list[AppointmentFact]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def team_compliance(
    appointments: Iterable[AppointmentFact],
    on: date,
    *,
    role_labels: dict[str, str] | None = None,
    ending_within_days: int = ENDING_SOON_DAYS,
) -> TeamCompliance:
    """The MHLM team on ``on``: required roles named, capacity, induction, endings ahead.

    Missing roles and low capacity are problems (the requirement is not met); induction
    outstanding and appointments ending soon are listed as risks and do not fail the check.
    """
    labels = role_labels or {}
    active = [a for a in appointments if a.active_on(on)]
    held = {a.role for a in active}
    missing = [role for role in REQUIRED_LEADERSHIP_ROLES if role not in held]
    operational_missing = not any(role in held for role in OPERATIONAL_ANY_OF)
    leadership = sum((a.days_per_week for a in active if a.group == LEADERSHIP), Decimal(0))
    operational = sum((a.days_per_week for a in active if a.group == OPERATIONAL), Decimal(0))
    induction = [a for a in active if a.needs_induction and not a.induction_complete]
    horizon = on + timedelta(days=ending_within_days)
    ending = sorted(
        (a for a in active if a.ends_on is not None and a.ends_on <= horizon),
        key=lambda a: a.ends_on or on,
    )
    problems = [f"No one is named as {labels.get(role, role)}." for role in missing]
    if operational_missing:
        problems.append(
            "The operational team has neither a Maths Hub Co-ordinator nor a Maths Hub "
            "Project Manager."
        )
    if leadership < MIN_LEADERSHIP_DAYS:
        problems.append(
            f"Leadership capacity is {_days(leadership)} days a week; at least "
            f"{_days(MIN_LEADERSHIP_DAYS)} are required."
        )
    if operational < MIN_OPERATIONAL_DAYS:
        problems.append(
            f"Operational capacity is {_days(operational)} days a week; at least "
            f"{_days(MIN_OPERATIONAL_DAYS)} are required."
        )
    return TeamCompliance(
        on=on,
        active=active,
        missing_roles=missing,
        operational_lead_missing=operational_missing,
        leadership_days=leadership,
        operational_days=operational,
        induction_outstanding=induction,
        ending_soon=ending,
        problems=problems,
    )


def _days(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


# -- the Strategic Board (NCETM terms of reference) ----------------------------------------------

SCHOOL_PRIMARY = "school_primary"
SCHOOL_SECONDARY = "school_secondary"
SCHOOL_SPECIAL = "school_special"
COLLEGE_POST16 = "college_post16"
TRUST = "trust"
LOCAL_AUTHORITY = "local_authority"
UNIVERSITY = "university"
EMPLOYER = "employer"
MATHS_ED_ORG = "maths_ed_org"
NCETM = "ncetm"
BOARD_SLL = "sll"
BOARD_HUB_LEAD = "hub_lead"
OTHER = "other"

SCHOOL_AND_COLLEGE: dict[str, str] = {
    SCHOOL_PRIMARY: "primary",
    SCHOOL_SECONDARY: "secondary",
    SCHOOL_SPECIAL: "special",
    COLLEGE_POST16: "post-16",
}
MIN_SCHOOLS_AND_COLLEGES = 5
MIN_PHASES = 2
MAX_MATHS_ED_ORGS = 2
TERM_WARNING_DAYS = 90


@dataclass(frozen=True)
class MemberFact:
    name: str
    category: str
    independent: bool
    is_chair: bool
    term_starts_on: date
    term_ends_on: date | None = None
    key: object = None

    def serving_on(self, on: date) -> bool:
        return self.term_starts_on <= on and (self.term_ends_on is None or on <= self.term_ends_on)


@dataclass
class BoardMakeup:
    on: date
    members: list[MemberFact]
    failures: list[str]
    terms_ending: list[MemberFact]

    @property
    def ok(self) -> bool:
        return not self.failures


def board_makeup(
    members: Iterable[MemberFact], on: date, *, warn_within_days: int = TERM_WARNING_DAYS
) -> BoardMakeup:
    """Check the board serving on ``on`` against the terms of reference; one reason per
    failed rule."""
    serving = [m for m in members if m.serving_on(on)]
    failures: list[str] = []
    chairs = [m for m in serving if m.is_chair]
    if not chairs:
        failures.append("The board has no Chair.")
    elif len(chairs) > 1:
        failures.append(f"The board has {len(chairs)} Chairs; it should have one.")
    elif not chairs[0].independent:
        failures.append("The Chair is not independent of the Lead School.")
    independent = sum(1 for m in serving if m.independent)
    if independent * 2 <= len(serving):
        failures.append(
            f"Only {independent} of {len(serving)} members are independent of the Lead School; "
            "most members must be."
        )
    schools = [m for m in serving if m.category in SCHOOL_AND_COLLEGE]
    phases = {SCHOOL_AND_COLLEGE[m.category] for m in schools}
    if len(schools) < MIN_SCHOOLS_AND_COLLEGES:
        failures.append(
            f"{len(schools)} members come from schools and colleges; at least "
            f"{MIN_SCHOOLS_AND_COLLEGES} are required."
        )
    if len(phases) < MIN_PHASES:
        shown = ", ".join(sorted(phases)) or "none"
        failures.append(
            f"School and college members cover {len(phases)} phase(s) ({shown}); they must "
            "come from across phases (at least two)."
        )
    maths_orgs = sum(1 for m in serving if m.category == MATHS_ED_ORG)
    if maths_orgs > MAX_MATHS_ED_ORGS:
        failures.append(
            f"{maths_orgs} members come from maths education organisations; no more than "
            f"{MAX_MATHS_ED_ORGS} may."
        )
    categories = {m.category for m in serving}
    if not categories & {EMPLOYER, UNIVERSITY}:
        failures.append("The board has no employer or university member.")
    if NCETM not in categories:
        failures.append("The board has no NCETM member.")
    if BOARD_SLL not in categories:
        failures.append("The Lead School's Senior Leadership Link is not on the board.")
    if BOARD_HUB_LEAD not in categories:
        failures.append("The Maths Hub Lead is not on the board.")
    horizon = on + timedelta(days=warn_within_days)
    ending = sorted(
        (m for m in serving if m.term_ends_on is not None and m.term_ends_on <= horizon),
        key=lambda m: m.term_ends_on or on,
    )
    return BoardMakeup(on=on, members=serving, failures=failures, terms_ending=ending)


# -- meetings -------------------------------------------------------------------------------------

MIN_MEETINGS_PER_YEAR = 3


def quorum_size(members_in_office: int) -> int:
    """At least half of the members in office (rounded up), and never fewer than three."""
    return max(3, -(-members_in_office // 2)) if members_in_office else 0


def is_quorate(present: int, members_in_office: int) -> bool:
    return members_in_office > 0 and present >= quorum_size(members_in_office)


def meetings_held(meeting_dates: Sequence[date], year_start: date, year_end: date) -> int:
    return sum(1 for d in meeting_dates if year_start <= d <= year_end)


PAPERS_WORKING_DAYS_BEFORE = 5


def working_days_before(is_working_day, day: date, n: int) -> date:
    """The ``n``-th working day before ``day`` (``is_working_day`` is the calendar's test)."""
    current = day
    while n > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current


def quarter_of(month: date, year_starts_on: date) -> int:
    """The grant quarter (1 to 4) a month falls in, counting from the academic year's start."""
    months = (month.year - year_starts_on.year) * 12 + month.month - year_starts_on.month
    return min(max(months // 3 + 1, 1), 4)


def months_of(year_starts_on: date, year_ends_on: date) -> list[date]:
    """The first day of every month of the academic year."""
    first, months = year_starts_on.replace(day=1), []
    while first <= year_ends_on:
        months.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return months
