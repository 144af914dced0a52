"""Fictional governance demo data: an MHLM team, a Strategic Board, meetings, LLME, plans and
money. Idempotent. Every name is invented."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hubops.roles import Role, users_with_role
from hubops.selectors import academic_year_for

from . import records, rules, services, workflow
from .models import (
    AnnualPlanVersion,
    Appointment,
    BoardAction,
    BoardInterest,
    BoardMeeting,
    BoardMember,
    BudgetKind,
    BudgetLine,
    CompletedProgramme,
    GrantYear,
    GroupPlan,
    InductionStatus,
    LocalLeader,
    MeetingTerm,
    Payment,
    ReviewPoint,
    TeamGroup,
    TeamRole,
)

D = "demo.hub.example"
TEAM = [
    ("Avery Demo", TeamRole.SLL, TeamGroup.LEADERSHIP, "1"),
    ("Blake Demo", TeamRole.MHL, TeamGroup.LEADERSHIP, "4"),
    ("Casey Demo", TeamRole.AMHL_PRIMARY, TeamGroup.LEADERSHIP, "2"),
    ("Devon Demo", TeamRole.AMHL_SECONDARY, TeamGroup.LEADERSHIP, "2"),
    ("Emery Demo", TeamRole.AMHL_POST16, TeamGroup.LEADERSHIP, "1"),
    ("Finley Demo", TeamRole.HT_ADVOCATE_PRIMARY, TeamGroup.LEADERSHIP, "1"),
    ("Gray Demo", TeamRole.COORDINATOR, TeamGroup.OPERATIONAL, "5"),
    ("Harper Demo", TeamRole.PROJECT_MANAGER, TeamGroup.OPERATIONAL, "5"),
]
BOARD = [
    ("Indigo Demo", "Riverside Demo Learning Trust", "trust", True, True),
    ("Jules Demo", "Brookfield Demo Primary School", "school_primary", True, False),
    ("Kai Demo", "Willowmere Demo Primary School", "school_primary", True, False),
    ("Logan Demo", "Oakhollow Demo Academy", "school_secondary", True, False),
    ("Marley Demo", "Larkspur Demo High School", "school_secondary", True, False),
    ("Nico Demo", "Fernbank Demo Sixth Form College", "college_post16", True, False),
    ("Oakley Demo", "University of Demo", "university", True, False),
    ("Parker Demo", "NCETM", "ncetm", True, False),
    ("Avery Demo", "Lead School (demo)", "sll", False, False),
    ("Blake Demo", "Lead School (demo)", "hub_lead", False, False),
]


def _first(role: Role):
    """The demo account holding ``role`` (None, the system, when the accounts are not loaded)."""
    return users_with_role(role).filter(email__endswith=f"@{D}").order_by("pk").first()


def _team(start: date, office) -> None:
    for name, role, group, days in TEAM:
        if Appointment.objects.filter(person_name=name, role=role).exists():
            continue
        records.appointment_create(
            actor=office,
            today=start,
            person_name=name,
            role=role,
            group=group,
            email=f"{name.split()[0].lower()}@{D}",
            days_per_week=Decimal(days),
            starts_on=start,
            # The project manager leaves before the summer: the compliance view shows it.
            ends_on=start + timedelta(days=240) if role == TeamRole.PROJECT_MANAGER else None,
            job_description="As in the NCETM role description.",
            contingency_cover="Covered by the Maths Hub Lead.",
            induction_status=InductionStatus.IN_PROGRESS
            if role == TeamRole.AMHL_POST16
            else InductionStatus.NOT_NEEDED,
        )


def _board(start: date, today: date, office) -> list[BoardMember]:
    members = []
    for name, org, category, independent, chair in BOARD:
        member = BoardMember.objects.filter(name=name, category=category).first()
        if member is None:
            member = records.board_member_appoint(
                actor=office,
                today=today,
                name=name,
                organisation=org,
                category=category,
                independent=independent,
                is_chair=chair,
                term_starts_on=start - timedelta(days=365),
                term_ends_on=start + timedelta(days=365 * 2 - 1),
            )
            BoardInterest.objects.create(
                member=member,
                declared_on=start,
                description="Trustee of a demo trust" if chair else "None",
            )
        members.append(member)
    return members


def _meetings(year, today: date, members: list[BoardMember], office) -> None:
    """Three meetings; those already past are taken through their moves to notes drafted (the
    Chair and the SLL have still to agree them)."""
    sll, chair = _first(Role.SLL), _first(Role.BOARD_CHAIR)
    for term, offset in (
        (MeetingTerm.AUTUMN, 75),
        (MeetingTerm.SPRING, 190),
        (MeetingTerm.SUMMER, 290),
    ):
        if BoardMeeting.objects.filter(academic_year=year, term=term).exists():
            continue
        held_on = year.starts_on + timedelta(days=offset)
        meeting = services.meeting_schedule(
            academic_year_id=year.pk,
            today=today,
            term=term,
            held_on=held_on,
            actor=office,
            location="Lead School (demo)",
        )
        if held_on >= today:
            continue
        pk = meeting.pk
        services.meeting_draft_agenda(meeting_id=pk, actor=sll, today=today, agenda=meeting.agenda)
        services.meeting_agree_agenda(meeting_id=pk, actor=chair, today=today)
        services.meeting_record_attendance(
            meeting_id=pk, actor=office, today=today, present_ids={m.pk for m in members[:7]}
        )
        services.meeting_draft_notes(
            meeting_id=pk,
            actor=office,
            today=today,
            notes="The board reviewed the plan. (Demo notes awaiting the Chair.)",
        )


def _leaders(year, office) -> None:
    start = year.starts_on
    for i, name in enumerate(("Quinn Demo", "Rowan Demo", "Sage Demo")):
        leader, created = LocalLeader.objects.get_or_create(
            name=name,
            defaults={"email": f"{name.split()[0].lower()}@{D}", "is_cohort_lead": i == 2},
        )
        if not created:
            continue
        CompletedProgramme.objects.create(leader=leader, programme="pd_lead")
        records.sla_create(
            leader_id=leader.pk,
            actor=office,
            today=start,
            starts_on=start,
            ends_on=year.ends_on,
            deliverables="Lead one Work Group: plan, six sessions, evaluation report.",
            release_days=Decimal("6"),
            payment=Decimal("1800"),
            hub_signed_on=start,
            leader_signed_on=start if i else None,
        )
        GroupPlan.objects.create(
            academic_year=year,
            kind="work_group",
            title=f"Work Group plan ({name})",
            leader=leader,
            uploaded_to_mhpod_on=start + timedelta(days=30) if i else None,
        )


def load(*, hub, today: date) -> None:
    year = academic_year_for(today)
    if year is None:
        return
    start = year.starts_on
    office = _first(Role.HUB_STAFF)
    _team(start, office)
    members = _board(start, today, office)
    _meetings(year, today, members, office)
    _leaders(year, office)
    if not AnnualPlanVersion.objects.filter(plan__academic_year=year).exists():
        records.plan_version_record(
            academic_year_id=year.pk,
            actor=office,
            today=today,
            review_point=ReviewPoint.INITIAL,
            agreed_on=start,
            summary="Priorities: Teaching for Mastery reach; secondary recruitment. (Demo.)",
        )
    grant, created = GrantYear.objects.get_or_create(
        academic_year=year, defaults={"amount": Decimal("400000")}
    )
    if created:
        for kind, title, budget in (
            (BudgetKind.LEADERSHIP, "Leadership and management (fixed)", Decimal("249500")),
            (BudgetKind.PROJECT, "Project funding (variable)", Decimal("150500")),
        ):
            records.budget_line_create(
                grant_id=grant.pk,
                actor=office,
                today=today,
                kind=kind,
                title=title,
                budget=budget,
                forecasts=[budget / 4] * 4,
            )
        Payment.objects.create(
            grant=grant,
            payee="Rowan Demo",
            agreement_reference="SLA-DEMO-1",
            agreement_signed_on=start,
            amount=Decimal("900"),
            paid_on=start + timedelta(days=60),
        )
    load_workspace(hub=hub, today=today)


# How each budget line's actual spend runs against its forecast in the quarters already ended:
# leadership close to plan, project funding under in the first quarter and over in the second.
_ACTUAL_FACTORS: dict[str, tuple[float, ...]] = {
    BudgetKind.LEADERSHIP: (0.98, 1.01, 0.97, 1.0),
    BudgetKind.PROJECT: (0.8, 1.12, 0.9, 1.0),
}


def load_workspace(*, hub, today: date) -> None:
    """What the governance homes show: actual spend for the months already ended, the demo
    Work Group Lead's LLME record, an SLA ending within weeks and board actions (one overdue).
    Idempotent: actuals only fill empty months; the rest is keyed on names."""
    year = academic_year_for(today)
    if year is None:
        return
    office = _first(Role.HUB_STAFF)
    lines = BudgetLine.objects.filter(grant__academic_year=year).prefetch_related(
        "quarters", "months"
    )
    for line in lines:
        forecasts = {q.quarter: q.forecast for q in line.quarters.all()}
        recorded = {m.month for m in line.months.all()}
        for month in rules.months_of(year.starts_on, year.ends_on):
            quarter = rules.quarter_of(month, year.starts_on)
            if month in recorded or workflow.month_refusal(
                month, year_starts_on=year.starts_on, year_ends_on=year.ends_on, today=today
            ):
                continue
            factor = _ACTUAL_FACTORS.get(line.kind, (1, 1, 1, 1))[quarter - 1]
            records.spend_record(
                line_id=line.pk,
                actor=office,
                today=today,
                month=month,
                actual=(forecasts.get(quarter, Decimal(0)) / 3 * Decimal(str(factor))).quantize(
                    Decimal("1")
                ),
            )
    lead = (
        users_with_role(Role.WORK_GROUP_LEAD).filter(email__endswith=f"@{D}").order_by("pk").first()
    )
    if lead is not None:
        LocalLeader.objects.filter(name="Rowan Demo", user__isnull=True).update(user=lead)
    ends = max(today + timedelta(days=25), year.starts_on)
    leader, created = LocalLeader.objects.get_or_create(
        name="Tate Demo", defaults={"email": f"tate@{D}"}
    )
    if created:
        records.sla_create(
            leader_id=leader.pk,
            actor=office,
            today=today,
            starts_on=year.starts_on,
            ends_on=ends,
            deliverables="Lead one autumn Work Group: plan, four sessions, evaluation report.",
            release_days=Decimal("4"),
            payment=Decimal("1200"),
            hub_signed_on=year.starts_on,
            leader_signed_on=year.starts_on,
        )
    meeting = BoardMeeting.objects.filter(academic_year=year, held_on__lt=today).first()
    if meeting is not None and not meeting.actions.exists():
        BoardAction.objects.bulk_create(
            [
                BoardAction(
                    meeting=meeting,
                    description="Share the revised recruitment plan with the board.",
                    owner_name="Harper Demo",
                    due_on=today - timedelta(days=3),
                ),
                BoardAction(
                    meeting=meeting,
                    description="Bring the spring evaluation summary to the next meeting.",
                    owner_name="Blake Demo",
                    due_on=today + timedelta(days=10),
                ),
            ]
        )
