"""Reads for governance: compliance on a date, the published board, the checklist."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Prefetch

from hubops.charts import Chart, Series, grouped_bar_chart
from hubops.formats import format_date
from hubops.models import AcademicYear
from hubops.roles import has_role
from privacy.selectors import dpias
from workgroups import selectors as workgroup_selectors
from workgroups.models import ReportStatus

from . import rules, workflow
from .access import EDIT_ROLES, GOVERNANCE_ROLES
from .models import (
    AnnualPlanVersion,
    Appointment,
    BoardAttendance,
    BoardInterest,
    BoardMeeting,
    BoardMember,
    BudgetLine,
    ChecklistEntry,
    GrantYear,
    GroupPlan,
    LocalLeader,
    MeetingStatus,
    ObjectiveStatus,
    Payment,
    ReportDueDate,
    ServiceLevelAgreement,
    TeamRole,
)
from .objectives import OBJECTIVES, Objective

ROLE_LABELS = {choice.value: choice.label for choice in TeamRole}
HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.NOTES_DRAFTED, MeetingStatus.NOTES_AGREED)


def appointment_list():
    return Appointment.objects.select_related("line_manager").order_by("group", "role", "starts_on")


def team_compliance_on(on: date, appointments=None) -> rules.TeamCompliance:
    rows = list(appointments if appointments is not None else appointment_list())
    result = rules.team_compliance([a.fact() for a in rows], on, role_labels=ROLE_LABELS)
    return result


def board_makeup_on(on: date, members=None) -> rules.BoardMakeup:
    rows = list(members if members is not None else BoardMember.objects.all())
    return rules.board_makeup([m.fact() for m in rows], on)


# -- the published board --------------------------------------------------------------------------

PUBLIC_BOARD_CACHE_SECONDS = 300


@dataclass
class PublicMember:
    name: str
    role: str
    organisation: str
    category: str
    term_starts_on: date
    term_ends_on: date | None
    current: bool
    interests: list[BoardInterest]
    attended: int
    possible: int


def public_board(today: date) -> dict:
    """Who is on the board (and who served in the past twelve months), with interests and
    attendance at the meetings held in the twelve months to ``today``. Cached briefly: the
    page is public and the data changes a few times a year."""
    key = f"governance:public_board:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    since = today - timedelta(days=365)
    members = list(
        BoardMember.objects.exclude(term_ends_on__lt=since)
        .filter(term_starts_on__lte=today)
        .prefetch_related(
            Prefetch("interests", queryset=BoardInterest.objects.order_by("-declared_on"))
        )
    )
    meetings = list(
        BoardMeeting.objects.filter(
            held_on__gt=since, held_on__lte=today, status__in=HELD_STATUSES
        ).values_list("pk", "held_on")
    )
    present: dict[int, int] = defaultdict(int)
    for member_id in BoardAttendance.objects.filter(
        meeting_id__in=[pk for pk, _ in meetings], present=True
    ).values_list("member_id", flat=True):
        present[member_id] += 1
    rows = []
    for m in members:
        possible = sum(1 for _, held_on in meetings if m.serving_on(held_on))
        rows.append(
            PublicMember(
                name=m.name,
                role=m.role_label,
                organisation=m.organisation,
                category=m.get_category_display(),
                term_starts_on=m.term_starts_on,
                term_ends_on=m.term_ends_on,
                current=m.serving_on(today),
                interests=list(m.interests.all()),
                attended=present[m.pk],
                possible=possible,
            )
        )
    result = {
        "current": [r for r in rows if r.current],
        "past": [r for r in rows if not r.current],
        "meetings_counted": len(meetings),
        "since": since,
    }
    cache.set(key, result, PUBLIC_BOARD_CACHE_SECONDS)
    return result


# -- meetings -------------------------------------------------------------------------------------


def meeting_list(academic_year: AcademicYear | None = None):
    qs = BoardMeeting.objects.select_related("academic_year").order_by("-held_on")
    if academic_year is not None:
        qs = qs.filter(academic_year=academic_year)
    return qs


def meeting_get(meeting_id: int) -> BoardMeeting:
    return BoardMeeting.objects.select_related(
        "academic_year",
        "agenda_drafted_by",
        "agenda_agreed_by",
        "notes_drafted_by",
        "notes_chair_agreed_by",
        "notes_sll_agreed_by",
    ).get(pk=meeting_id)


def meeting_get_for_user(user, meeting_id: int) -> BoardMeeting | None:
    """The meeting, for someone who reads governance's pages (every meeting), else ``None``."""
    if not has_role(user, *GOVERNANCE_ROLES):
        return None
    try:
        return meeting_get(meeting_id)
    except BoardMeeting.DoesNotExist:
        return None


# -- the Grant Offer Letter checklist ----------------------------------------------------------


@dataclass
class ChecklistRow:
    objective: Objective
    status: str
    evidence: list[str] = field(default_factory=list)
    computed: bool = False

    @property
    def status_label(self) -> str:
        return ObjectiveStatus(self.status).label


def _result(status: str, *evidence: str) -> tuple[str, list[str]]:
    return status, [e for e in evidence if e]


MET, AT_RISK, MISSING = ObjectiveStatus.MET, ObjectiveStatus.AT_RISK, ObjectiveStatus.MISSING


class _Checks:
    """Computed objectives for one academic year, assessed on ``today``."""

    def __init__(self, year: AcademicYear, today: date):
        self.year, self.today = year, today
        self.on = min(max(today, year.starts_on), year.ends_on)
        self.appointments = list(appointment_list())
        self.team = team_compliance_on(self.on, self.appointments)
        self.members = list(BoardMember.objects.all())
        self.board = board_makeup_on(self.on, self.members)
        self.meetings = list(BoardMeeting.objects.filter(academic_year=year))

    def team_roles(self):
        missing = [p for p in self.team.problems if p.startswith("No one") or "neither" in p]
        if missing:
            return _result(MISSING, *missing)
        soon = [
            f"{a.person} ({a.role_label}) leaves on {format_date(a.ends_on)}."
            for a in self.team.ending_soon
        ]
        return _result(AT_RISK if soon else MET, "Every required role is named.", *soon)

    def job_descriptions(self):
        lacking = [
            f"{a.person_name} ({a.role_label}) has no job description."
            for a in self.appointments
            if a.fact().active_on(self.on) and not a.job_description
        ]
        if not self.team.active:
            return _result(MISSING, "No one is appointed.")
        return (
            _result(AT_RISK if lacking else MET, *lacking)
            if lacking
            else _result(MET, "Every current appointment has a job description.")
        )

    def induction(self):
        outstanding = [
            f"{a.person} ({a.role_label}) has not completed the NCETM Induction Programme."
            for a in self.team.induction_outstanding
        ]
        if outstanding:
            return _result(AT_RISK, *outstanding)
        return _result(MET, "No induction outstanding.")

    def capacity(self):
        at_start = team_compliance_on(self.year.starts_on, self.appointments)
        now = self.team

        def ok(t):
            return (
                t.leadership_days >= rules.MIN_LEADERSHIP_DAYS
                and t.operational_days >= rules.MIN_OPERATIONAL_DAYS
            )

        evidence = (
            f"On {format_date(self.year.starts_on)}: leadership {at_start.leadership_days} and "
            f"operational {at_start.operational_days} days a week.",
            f"On {format_date(self.on)}: leadership {now.leadership_days} and operational "
            f"{now.operational_days} days a week.",
        )
        if ok(at_start) and ok(now):
            return _result(MET, *evidence)
        return _result(AT_RISK if ok(at_start) or ok(now) else MISSING, *evidence)

    def contingency(self):
        active = [a for a in self.appointments if a.fact().active_on(self.on)]
        lacking = [
            f"No contingency cover recorded for {a.person_name} ({a.role_label})."
            for a in active
            if not a.contingency_cover.strip()
        ]
        if not active:
            return _result(MISSING, "No one is appointed.")
        return (
            _result(AT_RISK, *lacking)
            if lacking
            else _result(MET, "Contingency cover is recorded for every current appointment.")
        )

    def independent_chair(self):
        reasons = [f for f in self.board.failures if "Chair" in f]
        if reasons:
            return _result(MISSING, *reasons)
        chair = next(m for m in self.board.members if m.is_chair)
        return _result(MET, f"{chair.name} is the independent Chair.")

    def board_balance(self):
        reasons = [f for f in self.board.failures if "Chair" not in f]
        if reasons:
            return _result(MISSING, *reasons)
        ending = [
            f"{m.name}'s term ends on {format_date(m.term_ends_on)}."
            for m in self.board.terms_ending
        ]
        return _result(
            AT_RISK if ending else MET, "The board's make-up meets the terms of reference.", *ending
        )

    def board_published(self):
        if self.board.members:
            return _result(MET, f"{len(self.board.members)} members are published on /board/.")
        return _result(MISSING, "No board members are recorded, so none are published.")

    def _held(self):
        return [m for m in self.meetings if m.status in HELD_STATUSES]

    def agenda_notes(self):
        held = self._held()
        if not held:
            return _result(AT_RISK, "No meeting has been held this year yet.")
        problems = []
        for m in held:
            if not m.agenda_agreed_at:
                problems.append(
                    f"The agenda for {format_date(m.held_on)} was not agreed by the Chair."
                )
            if m.status != MeetingStatus.NOTES_AGREED:
                missing = [
                    who
                    for who, at in (
                        ("the Chair", m.notes_chair_agreed_at),
                        ("the SLL", m.notes_sll_agreed_at),
                    )
                    if not at
                ]
                problems.append(
                    f"The notes of {format_date(m.held_on)} are not yet agreed by "
                    f"{' and '.join(missing)}."
                )
        if problems:
            return _result(AT_RISK, *problems)
        return _result(MET, f"Agendas and notes of all {len(held)} meetings held were agreed.")

    def three_meetings(self):
        held = len(self._held())
        planned = len([m for m in self.meetings if m.status != MeetingStatus.CANCELLED])
        evidence = f"{held} held and {planned - held} more scheduled in {self.year}."
        if held >= rules.MIN_MEETINGS_PER_YEAR:
            return _result(MET, evidence)
        if planned >= rules.MIN_MEETINGS_PER_YEAR and self.today <= self.year.ends_on:
            return _result(AT_RISK, evidence)
        return _result(MISSING, evidence)

    def _slas(self):
        return list(
            ServiceLevelAgreement.objects.filter(
                starts_on__lte=self.on, ends_on__gte=self.on
            ).select_related("leader")
        )

    def llme_recruited(self):
        leaders = LocalLeader.objects.count()
        active = {s.leader_id for s in self._slas()}
        if not active:
            return _result(MISSING, f"{leaders} LLME recorded; none has an SLA in force.")
        return _result(MET, f"{len(active)} LLME have an SLA in force.")

    def llme_slas(self):
        slas = self._slas()
        if not slas:
            return _result(MISSING, "No SLA is in force.")
        unsigned = [
            f"The SLA of {s.leader} is awaiting signature."
            for s in slas
            if s.status_on(self.on) == "Awaiting signature"
        ]
        return (
            _result(AT_RISK, *unsigned)
            if unsigned
            else _result(MET, f"All {len(slas)} SLAs in force are signed by both sides.")
        )

    def annual_plan(self):
        plan = getattr(self.year, "annual_plan", None)
        versions = list(plan.versions.all()) if plan else []
        if not versions:
            return _result(MISSING, f"No annual plan is recorded for {self.year}.")
        return _result(
            MET,
            *[
                f"{v.get_review_point_display()} agreed on {format_date(v.agreed_on)}."
                for v in versions
            ],
        )

    def group_plans(self):
        plans = list(GroupPlan.objects.filter(academic_year=self.year))
        if not plans:
            return _result(MISSING, "No Work Group, programme or community plans are recorded.")
        missing = [
            f"{p.title} is not uploaded to MHPod." for p in plans if not p.uploaded_to_mhpod_on
        ]
        return (
            _result(AT_RISK, *missing)
            if missing
            else _result(MET, f"All {len(plans)} plans are uploaded to MHPod.")
        )

    def _grant(self):
        return GrantYear.objects.filter(academic_year=self.year).first()

    def forecasts(self):
        grant = self._grant()
        if grant is None:
            return _result(MISSING, f"No grant is recorded for {self.year}.")
        lines = list(grant.lines.prefetch_related("quarters"))
        gaps = [
            f"{line.title} has no forecast for every quarter."
            for line in lines
            if len(line.quarters.all()) < 4
        ]
        if not lines:
            return _result(MISSING, "No budget lines are recorded.")
        if grant.risk != "none" and not grant.contingency.strip():
            gaps.append(f"{grant.get_risk_display()} without a contingency plan.")
        if gaps:
            return _result(AT_RISK, *gaps)
        return _result(
            MET,
            f"Forecasts are recorded for {len(lines)} budget lines.",
            f"{grant.get_risk_display()}." if grant.risk != "none" else "",
        )

    def payment_agreements(self):
        grant = self._grant()
        payments = list(Payment.objects.filter(grant=grant)) if grant else []
        lacking = [
            f"{p.payee}: £{p.amount} has no signed agreement."
            for p in payments
            if not p.agreement_signed_on
        ]
        if lacking:
            return _result(MISSING, *lacking)
        return _result(MET, f"All {len(payments)} payments are under a signed agreement.")

    # -- from the other apps' records ------------------------------------------------------------
    def evaluation_reports(self):
        groups = list(workgroup_selectors.completed_groups_in(self.year))
        if not groups:
            return _result(
                AT_RISK if self.today <= self.year.ends_on else MISSING,
                f"No Work Group has completed in {self.year} yet.",
            )
        lacking = [
            f"{g.code}: the Lead's evaluation report is not submitted."
            for g in groups
            if getattr(g, "lead_report", None) is None or g.lead_report.status == ReportStatus.DRAFT
        ]
        if lacking:
            return _result(AT_RISK if self.today <= self.year.ends_on else MISSING, *lacking)
        return _result(
            MET, f"All {len(groups)} completed Work Groups have the Lead's evaluation report."
        )

    def participation_returns(self):
        exports = workgroup_selectors.participation_exports_between(
            self.year.starts_on, self.year.ends_on
        )
        latest = exports.first()
        if latest is None:
            return _result(
                AT_RISK if self.today <= self.year.ends_on else MISSING,
                f"No participation return has been exported in {self.year}.",
            )
        return _result(
            MET,
            f"{exports.count()} participation returns exported; the latest on "
            f"{format_date(latest.at)} ({latest.people_count} people).",
        )

    def dpia_current(self):
        signed = [d for d in dpias() if d.signed_off_on]
        if not signed:
            return _result(MISSING, "No signed-off DPIA is recorded.")
        latest = max(signed, key=lambda d: d.review_on)
        evidence = (
            f"'{latest.title}' signed off on {format_date(latest.signed_off_on)}; "
            f"review due {format_date(latest.review_on)}."
        )
        if latest.review_on < self.today:
            return _result(AT_RISK, f"{evidence} The review is overdue.")
        return _result(MET, evidence)

    def _reports_due(self, kind: str) -> list[ReportDueDate]:
        return list(ReportDueDate.objects.filter(kind=kind, academic_year=self.year))

    def _reporting(self, kind: str, what: str):
        rows = self._reports_due(kind)
        if not rows:
            return _result(AT_RISK, f"No due dates are set for the {what} in {self.year}.")
        missed = [
            f"The {what} due {format_date(due.due_on)} is not signed off."
            for due in rows
            if due.met_on is None and due.due_on < self.today
        ]
        late = [
            f"The {what} due {format_date(due.due_on)} was signed off late, "
            f"on {format_date(due.met_on)}."
            for due in rows
            if due.met_on is not None and due.met_on > due.due_on
        ]
        signed = sum(due.met_on is not None for due in rows)
        evidence = f"{signed} of {len(rows)} signed off by the SLL."
        if missed:
            return _result(MISSING, *missed, evidence)
        return _result(AT_RISK if late else MET, *late, evidence)

    def progress_reports(self):
        return self._reporting("progress", "progress report")

    def annual_reporting(self):
        return self._reporting("annual", "annual report")

    def external_audit(self):
        grant = self._grant()
        if grant and grant.external_audit_on:
            return _result(MET, f"External audit on {format_date(grant.external_audit_on)}.")
        if self.today <= self.year.ends_on:
            return _result(AT_RISK, "No external audit recorded yet.")
        return _result(MISSING, "No external audit recorded.")


def checklist(academic_year: AcademicYear, today: date) -> list[ChecklistRow]:
    checks = _Checks(academic_year, today)
    entries = {e.objective: e for e in ChecklistEntry.objects.filter(academic_year=academic_year)}
    rows = []
    for objective in OBJECTIVES:
        if objective.computed:
            status, evidence = getattr(checks, objective.computed)()
            rows.append(ChecklistRow(objective, status, evidence, computed=True))
        elif objective.code in entries:
            entry = entries[objective.code]
            rows.append(
                ChecklistRow(objective, entry.status, [entry.evidence] if entry.evidence else [])
            )
        else:
            rows.append(ChecklistRow(objective, MISSING, ["Not yet assessed by staff."]))
    return rows


# -- LLME ---------------------------------------------------------------------------------------


def _groups_led_by_user() -> dict[int, list[str]]:
    """Work Groups ("CODE Title") by the user id of each of their leads."""
    result: dict[int, list[str]] = defaultdict(list)
    for user_id, code, title in workgroup_selectors.groups_led():
        result[user_id].append(f"{code} {title}")
    return result


@dataclass
class LeaderRow:
    leader: LocalLeader
    roles: list[str]
    programmes: list[str]
    sla_status: str
    sla_ends_on: date | None
    groups: list[str]
    sla: ServiceLevelAgreement | None = None


def local_leader_list(today: date) -> list[LeaderRow]:
    leaders = LocalLeader.objects.select_related("school").prefetch_related("programmes", "slas")
    groups = _groups_led_by_user()
    rows = []
    for leader in leaders:
        slas = sorted(leader.slas.all(), key=lambda s: s.starts_on, reverse=True)
        current = next(
            (s for s in slas if s.starts_on <= today <= s.ends_on), slas[0] if slas else None
        )
        roles = [
            label
            for flag, label in (
                (leader.is_work_group_lead, "Work Group Lead"),
                (leader.is_cohort_lead, "Cohort Lead"),
                (leader.is_community_lead, "Community Lead"),
            )
            if flag
        ]
        rows.append(
            LeaderRow(
                leader=leader,
                roles=roles,
                programmes=[p.get_programme_display() for p in leader.programmes.all()],
                sla_status=current.status_on(today) if current else "No SLA",
                sla_ends_on=current.ends_on if current else None,
                groups=groups.get(leader.user_id, []) if leader.user_id else [],
                sla=current,
            )
        )
    return rows


# -- money ----------------------------------------------------------------------------------------


@dataclass
class QuarterRow:
    quarter: int
    forecast: Decimal | None
    actual: Decimal | None


@dataclass
class MonthRow:
    month: date
    forecast: Decimal
    actual: Decimal | None


def _month_rows(grant: GrantYear, lines: list[BudgetLine]) -> list[MonthRow]:
    """Each month of the year: a third of its quarter's forecast, and the actuals recorded."""
    year = grant.academic_year
    actual: dict[date, Decimal] = defaultdict(Decimal)
    recorded: set[date] = set()
    forecast: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        for figure in line.quarters.all():
            forecast[figure.quarter] += figure.forecast
        for spend in line.months.all():
            actual[spend.month] += spend.actual
            recorded.add(spend.month)
    return [
        MonthRow(
            month,
            (forecast[rules.quarter_of(month, year.starts_on)] / 3).quantize(Decimal("1")),
            actual[month] if month in recorded else None,
        )
        for month in rules.months_of(year.starts_on, year.ends_on)
    ]


def finance_summary(academic_year: AcademicYear) -> dict | None:
    grant = (
        GrantYear.objects.filter(academic_year=academic_year)
        .select_related("academic_year")
        .prefetch_related("lines__quarters", "lines__months", "payments")
        .first()
    )
    if grant is None:
        return None
    rows = []
    totals: dict[int, list[Decimal]] = {q: [Decimal(0), Decimal(0)] for q in range(1, 5)}
    all_lines = list(grant.lines.all())
    for line in all_lines:
        by_q = {q.quarter: q for q in line.quarters.all()}
        quarters = []
        for q in range(1, 5):
            fig = by_q.get(q)
            quarters.append(
                QuarterRow(q, fig.forecast if fig else None, fig.actual if fig else None)
            )
            if fig:
                totals[q][0] += fig.forecast
                totals[q][1] += fig.actual or 0
        rows.append({"line": line, "quarters": quarters, "months": list(line.months.all())})
    return {
        "grant": grant,
        "lines": rows,
        "totals": [QuarterRow(q, f, a) for q, (f, a) in totals.items()],
        "months": _month_rows(grant, all_lines),
        "payments": list(grant.payments.all()),
    }


def finance_charts(summary: dict | None) -> list[Chart]:
    """Forecast against actual spend, by budget line (for the quarters with an actual, so the
    gap is the under- or overspend so far) and by quarter, as charts with their tables."""
    if not summary:
        return []
    lines, forecast_to_date, actual_to_date = [], [], []
    for row in summary["lines"]:
        done = [q for q in row["quarters"] if q.actual is not None]
        lines.append(row["line"].title)
        forecast_to_date.append(float(sum(q.forecast or 0 for q in done)))
        actual_to_date.append(float(sum(q.actual for q in done)) if done else None)
    gap = sum(a or 0 for a in actual_to_date) - sum(forecast_to_date)
    if gap < 0:
        verdict = f"£{-gap:,.0f} under the forecast so far"
    elif gap > 0:
        verdict = f"£{gap:,.0f} over the forecast so far"
    else:
        verdict = "on the forecast so far"
    quarters = summary["totals"]
    return [
        grouped_bar_chart(
            title="Forecast against actual spend by budget line, quarters to date",
            description="For each budget line, the forecast and the actual spend for the "
            f"quarters whose actuals are in. In total the hub is {verdict}.",
            categories=lines,
            series=[
                Series("Forecast to date", forecast_to_date),
                Series("Actual to date", actual_to_date),
            ],
            unit="£",
            axis_label="Pounds",
            slug="finance-lines",
        ),
        grouped_bar_chart(
            title="Forecast against actual spend by quarter",
            description="All budget lines together, quarter by quarter; a quarter without an "
            "actual has not been reported yet.",
            categories=[f"Quarter {q.quarter}" for q in quarters],
            series=[
                Series("Forecast", [float(q.forecast or 0) for q in quarters]),
                Series(
                    "Actual",
                    [float(q.actual) if q.actual else None for q in quarters],
                ),
            ],
            unit="£",
            axis_label="Pounds",
            slug="finance-quarters",
        ),
        grouped_bar_chart(
            title="Forecast against actual spend by month",
            description="All budget lines together, month by month: the forecast is a third "
            "of the quarter's; a month without an actual has not ended or is not recorded yet.",
            categories=[f"{m.month:%B %Y}" for m in summary["months"]],
            series=[
                Series("Forecast", [float(m.forecast) for m in summary["months"]]),
                Series(
                    "Actual",
                    [None if m.actual is None else float(m.actual) for m in summary["months"]],
                ),
            ],
            unit="£",
            axis_label="Pounds",
            slug="finance-months",
        ),
    ]


def capacity_chart(team: rules.TeamCompliance) -> Chart:
    """MHLM capacity in post against the minimum days a week (11 leadership, 10 operational)."""
    return grouped_bar_chart(
        title="MHLM capacity against the minimum days a week",
        description=f"Days a week in post: leadership {float(team.leadership_days):g} against "
        f"the minimum of {float(rules.MIN_LEADERSHIP_DAYS):g}, operational "
        f"{float(team.operational_days):g} against {float(rules.MIN_OPERATIONAL_DAYS):g}.",
        categories=["Leadership", "Operational"],
        series=[
            Series("In post", [float(team.leadership_days), float(team.operational_days)]),
            Series(
                "Minimum",
                [float(rules.MIN_LEADERSHIP_DAYS), float(rules.MIN_OPERATIONAL_DAYS)],
                "#505a5f",
            ),
        ],
        unit="days",
        axis_label="Days a week",
        slug="capacity",
    )


# -- the records staff keep (record_views.py) -----------------------------------------------------


def board_member_list():
    return BoardMember.objects.order_by("-is_chair", "name")


def appointment_get_for_user(user, pk: int) -> Appointment | None:
    return Appointment.objects.filter(pk=pk).first() if has_role(user, *EDIT_ROLES) else None


def board_member_get_for_user(user, pk: int) -> BoardMember | None:
    return BoardMember.objects.filter(pk=pk).first() if has_role(user, *EDIT_ROLES) else None


def leader_get_for_user(user, pk: int) -> LocalLeader | None:
    return LocalLeader.objects.filter(pk=pk).first() if has_role(user, *EDIT_ROLES) else None


def sla_get_for_user(user, pk: int) -> ServiceLevelAgreement | None:
    if not has_role(user, *EDIT_ROLES):
        return None
    return ServiceLevelAgreement.objects.select_related("leader").filter(pk=pk).first()


def plan_versions(academic_year: AcademicYear) -> list[AnnualPlanVersion]:
    return list(
        AnnualPlanVersion.objects.filter(plan__academic_year=academic_year).order_by("agreed_on")
    )


def grant_for(academic_year: AcademicYear) -> GrantYear | None:
    return (
        GrantYear.objects.filter(academic_year=academic_year)
        .select_related("academic_year")
        .first()
    )


def months_ended(academic_year: AcademicYear, today: date) -> list[date]:
    """The months of the year whose actual spend can be recorded (those that have ended)."""
    return [
        m
        for m in rules.months_of(academic_year.starts_on, academic_year.ends_on)
        if not workflow.month_refusal(
            m,
            year_starts_on=academic_year.starts_on,
            year_ends_on=academic_year.ends_on,
            today=today,
        )
    ]


# -- reads for the apps above (reports, continuity): they never query these models themselves --


def report_due_dates():
    """Every reporting deadline, soonest first, with its year."""
    return ReportDueDate.objects.select_related("academic_year").order_by("due_on", "kind", "pk")


def report_due_dates_unmet_on(days: list[date]):
    """The deadlines not yet met that fall on one of ``days``, with their year."""
    return ReportDueDate.objects.filter(due_on__in=days, met_on__isnull=True).select_related(
        "academic_year"
    )


def report_due_date_first(*, kind: str, academic_year: AcademicYear | None = None):
    """The first deadline of ``kind`` (in ``academic_year`` when given), or ``None``."""
    found = ReportDueDate.objects.filter(kind=kind)
    if academic_year is not None:
        found = found.filter(academic_year=academic_year)
    return found.order_by("due_on", "pk").first()


def report_due_date_exists(*, kind: str, academic_year: AcademicYear, due_on: date) -> bool:
    return ReportDueDate.objects.filter(
        kind=kind, academic_year=academic_year, due_on=due_on
    ).exists()


def llme_figures(year: AcademicYear) -> dict[str, float]:
    """How many LLME and Work Group Leads are recorded, and the SLAs (and their release days)
    in force during ``year``."""
    slas = ServiceLevelAgreement.objects.filter(
        starts_on__lte=year.ends_on, ends_on__gte=year.starts_on
    )
    return {
        "leaders": LocalLeader.objects.count(),
        "work_group_leads": LocalLeader.objects.filter(is_work_group_lead=True).count(),
        "slas": slas.count(),
        "release_days": float(sum(s.release_days for s in slas)),
    }


def current_appointments(today: date):
    """The leadership and management team's appointments running on ``today``."""
    return (
        Appointment.objects.filter(starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .order_by("group", "role")
    )


def local_leaders():
    return LocalLeader.objects.select_related("school", "user").order_by("name")


def running_slas(today: date):
    """SLAs still running on ``today`` (not ended, not terminated)."""
    return ServiceLevelAgreement.objects.filter(ends_on__gte=today, terminated_on__isnull=True)
