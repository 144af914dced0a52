"""Personal data held by governance, for the privacy registry (``hubops.personal_data``).

Erasure anonymises rather than deletes: roles, days a week, board categories, attendance and
money stay, so capacity, quorum, the board's make-up and spending totals are still right once
the person's name, email and account link are gone. Records about the team, the board and LLME
are kept six years after the appointment, term or agreement ends (the grant's audit window).
Agreed board notes are a locked record (their PDF's SHA-256 must stay valid): the people who
agreed them are unlinked, the text is kept.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from hubops.personal_data import ERASED, Category, Erase, Retention, register

from . import models

C = Category
TS = ["created_at", "updated_at"]
AUDIT_WINDOW = 72  # months: six years


def _keep(name: str):
    """An ``anonymise=`` value that leaves a field as it is (figures depend on it)."""
    return lambda obj: getattr(obj, name)


def _by_names(model, field: str, *, user_field: str = ""):
    def find(person):
        query = Q(pk__in=[])
        if person.names:
            query |= Q(**{f"{field}__in": person.names})
        if user_field and person.user is not None:
            query |= Q(**{user_field: person.user})
        return model.objects.filter(query)

    return find


def _models():
    return models


def _six_years(date_field: str, what: str) -> Retention:
    return Retention.after(
        date_field, AUDIT_WINDOW, f"Six years after the {what} ends (the grant's audit window)."
    )


for label in (
    "governance.AgendaTemplate",
    "governance.BoardPaper",
    "governance.AnnualPlan",
    "governance.AnnualPlanVersion",
    "governance.GrantYear",
    "governance.BudgetLine",
    "governance.QuarterFigure",
    "governance.MonthlySpend",
    "governance.ReportDueDate",
):
    register(label, not_personal="__all__")


def _example_team(user):
    m = _models()
    manager = m.Appointment.objects.create(
        person_name="Line Manager Fictional",
        role=m.TeamRole.MHL,
        group=m.TeamGroup.LEADERSHIP,
        days_per_week=4,
        starts_on=date(2025, 9, 1),
    )
    m.Appointment.objects.create(
        person_name=user.full_name,
        email=user.email,
        user=user,
        role=m.TeamRole.COORDINATOR,
        group=m.TeamGroup.OPERATIONAL,
        days_per_week=5,
        starts_on=date(2025, 9, 1),
        line_manager=manager,
        contingency_cover=f"{user.full_name}'s duties pass to the Project Manager.",
    )


register(
    "governance.Appointment",
    description="Your place in the Maths Hub leadership and management team.",
    personal={
        "person_name": C.NAME,
        "email": C.EMAIL,
        "user": C.IDENTIFIER,
        "role": C.ROLE,
        "role_title": C.ROLE,
        "days_per_week": C.ROLE,
        "starts_on": C.ROLE,
        "ends_on": C.ROLE,
        "line_manager": C.IDENTIFIER,
        "induction_status": C.PARTICIPATION,
        "contingency_cover": C.FREE_TEXT,
    },
    not_personal=["group", "job_description", *TS],
    user_field="user",
    email_field="email",
    erase=Erase.ANONYMISE,
    anonymise={
        "person_name": ERASED,
        "email": "",
        "user": None,
        "contingency_cover": "",
        # Capacity and the required roles are counted from these.
        **{f: _keep(f) for f in ("role", "role_title", "days_per_week", "starts_on", "ends_on")},
        "line_manager": _keep("line_manager"),
        "induction_status": _keep("induction_status"),
    },
    retention=_six_years("ends_on", "appointment"),
    example=_example_team,
)


def _example_board(user):
    m = _models()
    member = m.BoardMember.objects.create(
        name=user.full_name,
        email=user.email,
        user=user,
        organisation="Fictional Academy Trust",
        category=m.StakeholderCategory.TRUST,
        independent=True,
        term_starts_on=date(2025, 9, 1),
        term_ends_on=date(2028, 8, 31),
    )
    m.BoardInterest.objects.create(
        member=member,
        declared_on=date(2025, 9, 1),
        description=f"{user.full_name} is a governor of a fictional school.",
    )
    year = m.AcademicYear.objects.get_or_create(
        name="2025/26", defaults={"starts_on": date(2025, 9, 1), "ends_on": date(2026, 8, 31)}
    )[0]
    meeting = m.BoardMeeting.objects.create(
        academic_year=year, term=m.MeetingTerm.AUTUMN, held_on=date(2025, 11, 20)
    )
    m.BoardAttendance.objects.create(meeting=meeting, member=member, present=True)
    m.BoardAction.objects.create(
        meeting=meeting,
        description="Share the Work Group evaluation summary",
        owner=user,
        owner_name=user.full_name,
        due_on=date(2026, 1, 31),
    )


register(
    "governance.BoardMember",
    description="Your membership of the Strategic Board.",
    personal={
        "name": C.NAME,
        "email": C.EMAIL,
        "user": C.IDENTIFIER,
        "organisation": C.SCHOOL,
        "independent": C.ROLE,
        "is_chair": C.ROLE,
        "term_starts_on": C.ROLE,
        "term_ends_on": C.ROLE,
    },
    not_personal=["category", *TS],
    user_field="user",
    email_field="email",
    erase=Erase.ANONYMISE,
    anonymise={
        "name": ERASED,
        "email": "",
        "user": None,
        # The board's make-up over time is checked from these.
        **{
            f: _keep(f)
            for f in ("organisation", "independent", "is_chair", "term_starts_on", "term_ends_on")
        },
    },
    retention=_six_years("term_ends_on", "term on the board"),
    example=_example_board,
)

register(
    "governance.BoardInterest",
    description="Interests you declared as a board member.",
    personal={"member": C.IDENTIFIER, "declared_on": C.OTHER, "description": C.FREE_TEXT},
    not_personal=TS,
    user_field="member__user",
    email_field="member__email",
    export_extra=("member__name",),
    erase=Erase.ANONYMISE,
    anonymise={"member": _keep("member"), "declared_on": _keep("declared_on")},
    retention=Retention.keep(
        "Published while the member serves and for twelve months after; erased with the membership."
    ),
)

register(
    "governance.BoardAttendance",
    description="Board meetings you attended or sent apologies for.",
    personal={"member": C.IDENTIFIER, "present": C.PARTICIPATION, "apologies": C.PARTICIPATION},
    not_personal=["meeting"],
    user_field="member__user",
    email_field="member__email",
    export_extra=("meeting",),
    erase=Erase.KEEP,
    keep_reason="Attendance and quorum are part of the board's record; once your membership "
    "is anonymised these rows no longer identify you.",
    retention=Retention.keep("Kept with the board's record; anonymous once the member is."),
)

register(
    "governance.BoardAction",
    description="Board actions you own.",
    personal={"owner": C.IDENTIFIER, "owner_name": C.NAME},
    not_personal=["meeting", "description", "due_on", "done_on", *TS],
    find=lambda person: _by_names(_models().BoardAction, "owner_name", user_field="owner")(person),
    export_extra=("description", "due_on", "done_on"),
    erase=Erase.ANONYMISE,
    anonymise={"owner": None, "owner_name": ERASED},
    retention=_six_years("due_on", "action"),
)

register(
    "governance.BoardMeeting",
    description="Board agendas and notes you drafted or agreed.",
    personal={
        "agenda_drafted_by": C.IDENTIFIER,
        "agenda_agreed_by": C.IDENTIFIER,
        "notes_drafted_by": C.IDENTIFIER,
        "notes_chair_agreed_by": C.IDENTIFIER,
        "notes_sll_agreed_by": C.IDENTIFIER,
        # Minutes name those present: a locked public-body record, kept whole.
        "notes": C.FREE_TEXT,
        "notes_pdf": C.FREE_TEXT,
    },
    not_personal=[
        "academic_year",
        "term",
        "held_on",
        "location",
        "status",
        "papers_due_on",
        "papers_circulated_on",
        "agenda",
        "agenda_drafted_at",
        "agenda_agreed_at",
        "notes_drafted_at",
        "notes_chair_agreed_at",
        "notes_sll_agreed_at",
        "notes_chair_agreed_on",
        "notes_sll_agreed_on",
        # Why a meeting was cancelled (the form asks for no personal details).
        "cancelled_reason",
        "notes_sha256",
        "quorate",
        *TS,
    ],
    find=lambda person: (
        _models().BoardMeeting.objects.filter(
            Q(agenda_drafted_by=person.user)
            | Q(agenda_agreed_by=person.user)
            | Q(notes_drafted_by=person.user)
            | Q(notes_chair_agreed_by=person.user)
            | Q(notes_sll_agreed_by=person.user)
        )
        if person.user is not None
        else _models().BoardMeeting.objects.none()
    ),
    export=lambda meeting: {
        "meeting": str(meeting),
        "held_on": meeting.held_on.isoformat() if meeting.held_on else None,
        "your_part": "drafted or agreed the agenda or notes",
    },
    erase=Erase.ANONYMISE,
    anonymise={"notes": _keep("notes"), "notes_pdf": _keep("notes_pdf")},
    keep_text={
        "notes": lambda meeting: (
            "agreed board notes are a locked governance record"
            if meeting.status == "notes_agreed"
            else None
        ),
    },
    retention=Retention.keep(
        "Agreed notes are a locked governance record, kept for the life of the hub; people "
        "named in them are not removed from the signed PDF (its SHA-256 must stay valid)."
    ),
)


def _example_llme(user):
    m = _models()
    leader = m.LocalLeader.objects.create(
        name=user.full_name, email=user.email, user=user, is_work_group_lead=True
    )
    m.CompletedProgramme.objects.create(
        leader=leader, programme=m.LeadProgramme.choices[0][0], completed_on=date(2024, 7, 1)
    )
    sla = m.ServiceLevelAgreement.objects.create(
        leader=leader,
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 8, 31),
        deliverables="Lead one Work Group of six sessions.",
        release_days=6,
        payment=1200,
    )
    year = m.AcademicYear.objects.get_or_create(
        name="2025/26", defaults={"starts_on": date(2025, 9, 1), "ends_on": date(2026, 8, 31)}
    )[0]
    grant = m.GrantYear.objects.get_or_create(academic_year=year, defaults={"amount": 100000})[0]
    m.Payment.objects.create(
        grant=grant, payee=user.full_name, sla=sla, amount=600, paid_on=date(2026, 1, 15)
    )


register(
    "governance.LocalLeader",
    description="Your record as a local leader of mathematics education (LLME).",
    personal={
        "name": C.NAME,
        "email": C.EMAIL,
        "user": C.IDENTIFIER,
        "school": C.SCHOOL,
        "is_work_group_lead": C.ROLE,
        "is_cohort_lead": C.ROLE,
        "is_community_lead": C.ROLE,
    },
    not_personal=TS,
    user_field="user",
    email_field="email",
    erase=Erase.ANONYMISE,
    anonymise={
        "name": ERASED,
        "email": "",
        "user": None,
        **{f: _keep(f) for f in ("school", "is_work_group_lead", "is_cohort_lead")},
        "is_community_lead": _keep("is_community_lead"),
    },
    retention=Retention.keep(
        "Kept while you lead for the hub; your SLAs and payments follow the six-year rule."
    ),
    example=_example_llme,
)

register(
    "governance.CompletedProgramme",
    description="Leadership programmes you completed.",
    personal={
        "leader": C.IDENTIFIER,
        "programme": C.PARTICIPATION,
        "completed_on": C.PARTICIPATION,
    },
    not_personal=[],
    user_field="leader__user",
    email_field="leader__email",
    erase=Erase.DELETE,
    retention=Retention.keep("Kept with your LLME record."),
)

register(
    "governance.ServiceLevelAgreement",
    description="Your service level agreements as a local leader.",
    personal={
        "leader": C.IDENTIFIER,
        "starts_on": C.OTHER,
        "ends_on": C.OTHER,
        "deliverables": C.OTHER,
        "release_days": C.OTHER,
        "payment": C.OTHER,
        "hub_signed_on": C.OTHER,
        "leader_signed_on": C.OTHER,
        "terminated_on": C.OTHER,
    },
    not_personal=TS,
    user_field="leader__user",
    email_field="leader__email",
    erase=Erase.KEEP,
    keep_reason="A contract the grant's auditors may ask for (six years after it ends); once "
    "your LLME record is anonymised it no longer names you.",
    retention=_six_years("ends_on", "agreement"),
)

register(
    "governance.Payment",
    description="Payments made to you under a financial agreement.",
    personal={"payee": C.NAME, "sla": C.IDENTIFIER},
    not_personal=["grant", "agreement_reference", "agreement_signed_on", "amount", "paid_on", *TS],
    find=lambda person: _by_names(_models().Payment, "payee")(person),
    export_extra=("amount", "paid_on"),
    erase=Erase.ANONYMISE,
    anonymise={"payee": ERASED, "sla": _keep("sla")},
    retention=Retention.after("paid_on", AUDIT_WINDOW, "Six years after payment (audit)."),
)

register(
    "governance.GroupPlan",
    personal={"leader": C.IDENTIFIER},
    not_personal=["academic_year", "kind", "title", "document", "uploaded_to_mhpod_on", *TS],
    user_field="leader__user",
    email_field="leader__email",
    export_extra=("title",),
    erase=Erase.KEEP,
    keep_reason="A plan is the hub's record; it names you only through your LLME record.",
    retention=Retention.keep("Kept with the hub's plans."),
)

register(
    "governance.ChecklistEntry",
    personal={"updated_by": C.IDENTIFIER},
    not_personal=["academic_year", "objective", "status", "evidence", *TS],
    user_field="updated_by",
    export_extra=("objective",),
    erase=Erase.ANONYMISE,
    anonymise={"updated_by": None},
    retention=Retention.keep("The Grant Offer Letter record, kept for the life of the grant."),
)
