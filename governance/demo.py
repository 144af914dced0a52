"""Fictional governance demo data: an MHLM team, a Strategic Board, meetings, LLME, plans and
money. Idempotent. Every name is invented."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hubops.calendar import add_months
from hubops.roles import Role, users_with_role
from hubops.selectors import academic_year_for

from .models import (
    AnnualPlan,
    AnnualPlanVersion,
    Appointment,
    BoardAction,
    BoardAttendance,
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
    MeetingStatus,
    MeetingTerm,
    Payment,
    QuarterFigure,
    ReviewPoint,
    ServiceLevelAgreement,
    TeamGroup,
    TeamRole,
)
from .services import DEFAULT_AGENDAS

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


def load(*, hub, today: date) -> None:
    year = academic_year_for(today)
    if year is None:
        return
    start = year.starts_on
    for name, role, group, days in TEAM:
        Appointment.objects.get_or_create(
            person_name=name,
            role=role,
            defaults={
                "email": f"{name.split()[0].lower()}@{D}",
                "group": group,
                "days_per_week": Decimal(days),
                "starts_on": start,
                # The project manager leaves before the summer: the compliance view shows it.
                "ends_on": start + timedelta(days=240)
                if role == TeamRole.PROJECT_MANAGER
                else None,
                "job_description": "As in the NCETM role description.",
                "contingency_cover": "Covered by the Maths Hub Lead.",
                "induction_status": InductionStatus.IN_PROGRESS
                if role == TeamRole.AMHL_POST16
                else InductionStatus.NOT_NEEDED,
            },
        )
    members = []
    for name, org, category, independent, chair in BOARD:
        member, created = BoardMember.objects.get_or_create(
            name=name,
            category=category,
            defaults={
                "organisation": org,
                "independent": independent,
                "is_chair": chair,
                "term_starts_on": start - timedelta(days=365),
                "term_ends_on": start + timedelta(days=365 * 2 - 1),
            },
        )
        if created:
            BoardInterest.objects.create(
                member=member,
                declared_on=start,
                description="Trustee of a demo trust" if chair else "None",
            )
        members.append(member)
    for term, offset in (
        (MeetingTerm.AUTUMN, 75),
        (MeetingTerm.SPRING, 190),
        (MeetingTerm.SUMMER, 290),
    ):
        held_on = start + timedelta(days=offset)
        meeting, created = BoardMeeting.objects.get_or_create(
            academic_year=year,
            term=term,
            defaults={
                "held_on": held_on,
                "papers_due_on": held_on - timedelta(days=7),
                "agenda": "\n".join(DEFAULT_AGENDAS[term]),
                "location": "Lead School (demo)",
            },
        )
        if created and held_on < today:
            meeting.status = MeetingStatus.NOTES_DRAFTED
            meeting.quorate = True
            meeting.notes = "The board reviewed the plan. (Demo notes awaiting the Chair.)"
            meeting.save()
            BoardAttendance.objects.bulk_create(
                BoardAttendance(meeting=meeting, member=m, present=i < 7)
                for i, m in enumerate(members)
            )
    for i, name in enumerate(("Quinn Demo", "Rowan Demo", "Sage Demo")):
        leader, created = LocalLeader.objects.get_or_create(
            name=name,
            defaults={"email": f"{name.split()[0].lower()}@{D}", "is_cohort_lead": i == 2},
        )
        if created:
            CompletedProgramme.objects.create(leader=leader, programme="pd_lead")
            ServiceLevelAgreement.objects.create(
                leader=leader,
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
    plan, _ = AnnualPlan.objects.get_or_create(academic_year=year)
    AnnualPlanVersion.objects.get_or_create(
        plan=plan,
        review_point=ReviewPoint.INITIAL,
        defaults={"agreed_on": start, "summary": "The initial annual plan (demo)."},
    )
    grant, created = GrantYear.objects.get_or_create(
        academic_year=year, defaults={"amount": Decimal("400000")}
    )
    if created:
        for kind, title, budget in (
            (BudgetKind.LEADERSHIP, "Leadership and management (fixed)", Decimal("249500")),
            (BudgetKind.PROJECT, "Project funding (variable)", Decimal("150500")),
        ):
            line = BudgetLine.objects.create(grant=grant, kind=kind, title=title, budget=budget)
            QuarterFigure.objects.bulk_create(
                QuarterFigure(line=line, quarter=q, forecast=budget / 4) for q in range(1, 5)
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
_ACTUAL_FACTORS = {
    BudgetKind.LEADERSHIP: (0.98, 1.01, 0.97, 1.0),
    BudgetKind.PROJECT: (0.8, 1.12, 0.9, 1.0),
}


def load_workspace(*, hub, today: date) -> None:
    """What the governance homes show: actual spend for the quarters already ended, the demo
    Work Group Lead's LLME record, an SLA ending within weeks and board actions (one overdue).
    Idempotent: actuals only fill empty quarters; the rest is keyed on names."""
    year = academic_year_for(today)
    if year is None:
        return
    for fig in QuarterFigure.objects.filter(line__grant__academic_year=year, actual__isnull=True):
        ended = add_months(year.starts_on, 3 * fig.quarter) - timedelta(days=1)
        if ended < today:
            factor = _ACTUAL_FACTORS.get(fig.line.kind, (1, 1, 1, 1))[fig.quarter - 1]
            fig.actual = (fig.forecast * Decimal(str(factor))).quantize(Decimal("1"))
            fig.save(update_fields=["actual"])
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
        ServiceLevelAgreement.objects.create(
            leader=leader,
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
