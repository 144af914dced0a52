"""Fictional Work Groups demo data: projects, one group of each recruitment kind, sessions and
registrations. Idempotent (keyed on codes). Every person is invented."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hubops.models import Hub, School
from hubops.roles import Role, ensure_roles, users_with_role
from hubops.selectors import academic_year_for

from . import services
from .models import (
    AttendanceStatus,
    Format,
    GroupStatus,
    Project,
    ProjectKind,
    Recruitment,
    Registration,
    RegStatus,
    Session,
    TfmStage,
    WorkGroup,
)

GROUPS = [
    ("WG-DEMO-OPEN", "Fictional Fractions Work Group", Recruitment.OPEN, {}),
    ("WG-DEMO-AREA", "Fictional Number Sense in Our Area", Recruitment.AREA, {}),
    ("WG-DEMO-LA", "Fictional Reasoning for Named Authorities", Recruitment.NAMED_LAS, {}),
    ("WG-DEMO-PRE", "Fictional Embedding Mastery", Recruitment.PREREQUISITE, {}),
    (
        "WG-DEMO-INV",
        "Fictional Leaders' Invitation Group",
        Recruitment.INVITATION,
        {"needs_approval": True},
    ),
]


def load(hub: Hub, today: date) -> None:
    ensure_roles()
    from django.contrib.auth.models import Group

    User = get_user_model()
    lead, created = User.objects.get_or_create(
        email="wg-lead@example.org", defaults={"full_name": "Robin Fictional-Lead"}
    )
    if created:
        lead.set_unusable_password()
        lead.save(update_fields=["password"])
    lead.groups.add(Group.objects.get(name=Role.WORK_GROUP_LEAD.value))
    year = academic_year_for(today)
    dev, _ = Project.objects.get_or_create(
        code="NCP DEMO-TFM",
        defaults={
            "title": "Fictional Teaching for Mastery: development",
            "kind": ProjectKind.NCP,
            "academic_year": year,
            "phase": "primary",
            "is_tfm": True,
            "tfm_stage": TfmStage.DEVELOPMENT,
        },
    )
    innovation, _ = Project.objects.get_or_create(
        code="INN DEMO-1",
        defaults={
            "title": "Fictional Innovation project",
            "kind": ProjectKind.INNOVATION,
            "academic_year": year,
        },
    )
    las = list(hub.local_authorities.values_list("la_code", flat=True))
    schools = list(School.objects.in_area(hub)[:6])
    tz = timezone.get_current_timezone()
    for i, (code, title, recruitment, extra) in enumerate(GROUPS):
        group, made = WorkGroup.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "project": dev if i % 2 == 0 else innovation,
                "description": "A fictional Work Group for the demonstration.",
                "phases": ",primary,",
                "audience": ",teachers,leaders,",
                "format": Format.HYBRID if i == 2 else Format.IN_PERSON,
                "venue": "Fictional Lead School hall",
                "capacity_schools": 3 + i,
                "recruitment": recruitment,
                "allowed_la_codes": ",".join(las[:1]),
                "prerequisite_project": dev if recruitment == Recruitment.PREREQUISITE else None,
                "status": GroupStatus.PUBLISHED,
                "completion_min_sessions": 2,
                **extra,
            },
        )
        if not made:
            continue
        group.leads.add(lead)
        for n in range(3):
            day = today + timedelta(days=14 + 21 * n + i)
            start = datetime.combine(day, time(15, 45), tzinfo=tz)
            Session.objects.create(
                work_group=group, starts_at=start, ends_at=start + timedelta(hours=1, minutes=30)
            )
        if recruitment == Recruitment.OPEN:
            for j, school in enumerate(schools[:2]):
                Registration.objects.create(
                    work_group=group,
                    school=school,
                    full_name=f"Demo Fictional{j}",
                    email=f"demo-teacher{j}@example.org",
                    role_at_school="Class teacher",
                    status=RegStatus.CONFIRMED,
                )
    load_workspace(hub=hub, today=today)


RUNNING_GROUP = ("WG-DEMO-RUN", "Fictional Multiplicative Reasoning (running)")


def load_workspace(hub: Hub, today: date) -> None:
    """The demo Work Group Lead (the account that signs in) leads the demo groups and a running
    group with past sessions (one register taken, one not yet), a session in the coming week,
    and an offer of a place that lapses in three days. Idempotent (keyed on the group code)."""
    lead = (
        users_with_role(Role.WORK_GROUP_LEAD)
        .filter(email__endswith="@demo.hub.example")
        .order_by("pk")
        .first()
    )
    if lead is None:
        return
    for group in WorkGroup.objects.filter(code__startswith="WG-DEMO-"):
        group.leads.add(lead)
    code, title = RUNNING_GROUP
    if WorkGroup.objects.filter(code=code).exists():
        return
    project = Project.objects.filter(code="NCP DEMO-TFM").first()
    if project is None:
        return
    group = WorkGroup.objects.create(
        code=code,
        title=title,
        project=project,
        description="A fictional running Work Group for the demonstration.",
        phases=",primary,",
        audience=",teachers,",
        format=Format.IN_PERSON,
        venue="Fictional Lead School library",
        capacity_schools=6,
        recruitment=Recruitment.AREA,
        status=GroupStatus.RUNNING,
        completion_min_sessions=2,
    )
    group.leads.add(lead)
    tz = timezone.get_current_timezone()
    sessions = []
    for days in (-21, -4, 2, 30):
        start = datetime.combine(today + timedelta(days=days), time(15, 45), tzinfo=tz)
        sessions.append(
            Session.objects.create(
                work_group=group, starts_at=start, ends_at=start + timedelta(hours=1, minutes=30)
            )
        )
    schools = list(School.objects.in_area(hub).order_by("urn")[6:11])
    regs = [
        Registration.objects.create(
            work_group=group,
            school=school,
            full_name=f"Demo Running-Teacher{j}",
            email=f"demo-running{j}@example.org",
            role_at_school="Class teacher",
            status=RegStatus.CONFIRMED,
        )
        for j, school in enumerate(schools[:4])
    ]
    if len(schools) > 4:
        Registration.objects.create(
            work_group=group,
            school=schools[4],
            full_name="Demo Offered-Teacher",
            email="demo-offered@example.org",
            role_at_school="Maths lead",
            status=RegStatus.OFFERED,
            offer_expires_on=today + timedelta(days=3),
        )
    with transaction.atomic():
        services.attendance_mark(
            session_id=sessions[0].pk,
            actor=lead,
            marks={
                r.pk: AttendanceStatus.PRESENT if i else AttendanceStatus.ABSENT
                for i, r in enumerate(regs)
            },
        )
