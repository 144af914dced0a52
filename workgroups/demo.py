"""Fictional Work Groups demo data: projects, one group of each recruitment kind, sessions and
registrations. Idempotent (keyed on codes). Every person is invented."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from hubops.models import Hub, School
from hubops.roles import Role, ensure_roles
from hubops.selectors import academic_year_for

from .models import (
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
