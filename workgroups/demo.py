"""Fictional Work Groups demo data: projects, one group of each recruitment kind, sessions and
registrations. Idempotent (keyed on codes). Every person is invented."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from hubops.models import Hub, School
from hubops.roles import Role, ensure_roles, users_with_role
from hubops.selectors import academic_year_for

from . import services
from .caching import bump_catalogue_version
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


def _session_times(today: date, days: list[int]) -> list[tuple[datetime, datetime]]:
    tz = timezone.get_current_timezone()
    out = []
    for n in days:
        start = datetime.combine(today + timedelta(days=n), time(15, 45), tzinfo=tz)
        out.append((start, start + timedelta(hours=1, minutes=30)))
    return out


def _build_group(code: str, lead, data: dict, times, moves=("publish",)) -> WorkGroup:
    """A Work Group as hub staff would make it: the record, its Lead, its sessions, then the
    moves of the machine (publish, start), each through its service."""
    group = services.work_group_save(group_id=None, actor=None, data={"code": code, **data})
    services.work_group_assign_leads(group_id=group.pk, actor=None, lead_ids=[lead.pk])
    sessions = [
        services.session_save(group_id=group.pk, actor=None, starts_at=a, ends_at=b)
        for a, b in times
    ]
    for name in moves:
        services.work_group_move(group_id=group.pk, actor=None, move=name)
    group.demo_sessions = sessions  # type: ignore[attr-defined]
    return group


def _add_participant(group: WorkGroup, school: School, name: str, email: str, role: str):
    return services.registration_add(
        group_id=group.pk,
        actor=None,
        school_id=school.pk,
        full_name=name,
        email=email,
        role_at_school=role,
        source="demo",
    )


def load(hub: Hub, today: date) -> None:
    ensure_roles()
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
    have = set(WorkGroup.objects.filter(code__startswith="WG-DEMO-").values_list("code", flat=True))
    for i, (code, title, recruitment, extra) in enumerate(GROUPS):
        if code in have:
            continue
        data = {
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
            "completion_min_sessions": 2,
            **extra,
        }
        times = _session_times(today, [14 + 21 * n + i for n in range(3)])
        group = _build_group(code, lead, data, times)
        if recruitment == Recruitment.OPEN:
            for j, school in enumerate(schools[:2]):
                _add_participant(
                    group,
                    school,
                    f"Demo Fictional{j}",
                    f"demo-teacher{j}@example.org",
                    "Class teacher",
                )
    load_workspace(hub=hub, today=today)


# The large hub (``load_demo --size large``) ---------------------------------------------------

LARGE_GROUPS = 300
LARGE_WITH_PARTICIPANTS = 250
LARGE_SCHOOLS_PER_GROUP = 40
LARGE_PER_SCHOOL = 2
# Sessions in the reminder window (today and the next two days) of each group with
# participants: 250 groups x 80 confirmed participants x 5 sessions = 100,000 reminders due.
LARGE_SESSION_SLOTS = [(0, time(15, 45)), (1, time(9, 30)), (1, time(15, 45))]
LARGE_SESSION_SLOTS += [(2, time(9, 30)), (2, time(15, 45))]
LARGE_PROJECTS = [
    ("NCP DEMO-L1", "Fictional Mastery Readiness (large demo)", ProjectKind.NCP),
    ("NCP DEMO-L2", "Fictional Mastery Development (large demo)", ProjectKind.NCP),
    ("NCP DEMO-L3", "Fictional Secondary Mastery (large demo)", ProjectKind.NCP),
    ("INN DEMO-L4", "Fictional Innovation: Early Number (large demo)", ProjectKind.INNOVATION),
    ("INN DEMO-L5", "Fictional Innovation: Fluency (large demo)", ProjectKind.INNOVATION),
    ("PRG DEMO-L6", "Fictional Specialist Knowledge (large demo)", ProjectKind.PROGRAMME),
]
_PHASE_SETS = [",primary,", ",secondary,", ",early_years,primary,", ",post_16,", ",primary,"]
_RECRUITMENT = [Recruitment.OPEN, Recruitment.AREA, Recruitment.NAMED_LAS, Recruitment.OPEN]
_FORMATS = [Format.IN_PERSON, Format.ONLINE, Format.HYBRID]


def large_group_code(index: int) -> str:
    return f"WG-L{index + 1:03d}"


def large_registration_reference(index: int) -> str:
    return f"WG-L{index + 1:06d}"


def load_large(*, hub: Hub, today: date, progress) -> None:
    """300 Work Groups, 20,000 confirmed registrations (fictional participants at the large
    hub's fictional schools) and five sessions in the next two days for each group with
    participants. Keyed on group codes and registration references, so a second run adds
    nothing. Written with ``bulk_create`` for its scale (a benchmark fixture, not a hub's
    history): the small demo above goes through the services."""
    year = academic_year_for(today)
    projects = []
    for code, title, kind in LARGE_PROJECTS:
        project, _ = Project.objects.get_or_create(
            code=code, defaults={"title": title, "kind": kind, "academic_year": year}
        )
        projects.append(project)
    las = list(hub.local_authorities.values_list("la_code", flat=True))
    have = set(WorkGroup.objects.filter(code__startswith="WG-L").values_list("code", flat=True))
    new_groups = []
    for i in range(LARGE_GROUPS):
        if large_group_code(i) in have:
            continue
        status = GroupStatus.RUNNING if i % 3 == 0 else GroupStatus.PUBLISHED
        if i >= LARGE_WITH_PARTICIPANTS + 30:
            status = GroupStatus.DRAFT
        new_groups.append(
            WorkGroup(
                code=large_group_code(i),
                title=f"Fictional Work Group {i + 1}: {_PHASE_SETS[i % 5].strip(',')} maths",
                description="A fictional Work Group of the large demo hub.",
                project=projects[i % len(projects)],
                phases=_PHASE_SETS[i % len(_PHASE_SETS)],
                audience=",teachers,teaching_assistants,",
                format=_FORMATS[i % len(_FORMATS)],
                venue=f"Fictional venue {i % 17 + 1}",
                capacity_schools=LARGE_SCHOOLS_PER_GROUP + 5 * (i % 3),
                places_per_school=LARGE_PER_SCHOOL,
                recruitment=_RECRUITMENT[i % len(_RECRUITMENT)],
                allowed_la_codes=",".join(las[i % len(las) : i % len(las) + 2]),
                status=status,
                registration_closes_on=today + timedelta(days=10 + i % 40),
                completion_min_sessions=3,
            )
        )
    WorkGroup.objects.bulk_create(new_groups, batch_size=500)
    progress("Work Groups", LARGE_GROUPS, LARGE_GROUPS)

    groups = list(WorkGroup.objects.filter(code__startswith="WG-L").order_by("code"))
    new_codes = {g.code for g in new_groups}
    tz = timezone.get_current_timezone()
    sessions = []
    for i, group in enumerate(groups):
        if group.code not in new_codes:
            continue
        slots = LARGE_SESSION_SLOTS if i < LARGE_WITH_PARTICIPANTS else []
        later = [(30 + i % 20, time(15, 45)), (60 + i % 20, time(15, 45))]
        for days, at in [*slots, *later]:
            start = datetime.combine(today + timedelta(days=days), at, tzinfo=tz)
            sessions.append(
                Session(work_group=group, starts_at=start, ends_at=start + timedelta(minutes=90))
            )
    Session.objects.bulk_create(sessions, batch_size=2000)
    progress("Sessions", len(groups), len(groups))

    schools = list(
        School.objects.filter(urn__gte=991001).order_by("urn").values_list("pk", flat=True)
    )
    per_group = LARGE_SCHOOLS_PER_GROUP * LARGE_PER_SCHOOL
    total = LARGE_WITH_PARTICIPANTS * per_group
    have_refs = set(
        Registration.objects.filter(reference__startswith="WG-L").values_list(
            "reference", flat=True
        )
    )
    batch: list[Registration] = []
    for n in range(total):
        group_index, seat = divmod(n, per_group)
        reference = large_registration_reference(n)
        if reference not in have_refs:
            school = schools[(group_index * 7 + seat // LARGE_PER_SCHOOL) % len(schools)]
            batch.append(
                Registration(
                    reference=reference,
                    work_group=groups[group_index],
                    full_name=f"Participant {n + 1:05d} Fictional",
                    email=f"participant{n + 1:05d}@demo.hub.example",
                    school_id=school,
                    role_at_school="Class teacher" if seat % 2 == 0 else "Maths lead",
                    status=RegStatus.CONFIRMED,
                    privacy_notice_version="1",
                )
            )
        if len(batch) >= 2000 or (n == total - 1 and batch):
            Registration.objects.bulk_create(batch, batch_size=2000)
            batch = []
        if n % 1000 == 999 or n == total - 1:
            progress("Registrations", n + 1, total)
    bump_catalogue_version()


RUNNING_GROUP = ("WG-DEMO-RUN", "Fictional Multiplicative Reasoning (running)")


def load_workspace(hub: Hub, today: date) -> None:
    """The demo Work Group Lead (the account that signs in) leads the demo groups and a running
    group with past sessions (one register taken, one not yet), a session in the coming week,
    and an offer of a place that lapses within the week. Built through the services, as staff
    would. Idempotent (keyed on the group code)."""
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
    schools = list(School.objects.in_area(hub).order_by("urn")[6:12])
    if project is None or len(schools) < 4:
        return
    with transaction.atomic():
        _load_running_group(code, title, project, lead, schools, today)


def _load_running_group(code, title, project, lead, schools, today: date) -> None:
    group = _build_group(
        code,
        lead,
        {
            "title": title,
            "project": project,
            "description": "A fictional running Work Group for the demonstration.",
            "phases": ",primary,",
            "audience": ",teachers,",
            "format": Format.IN_PERSON,
            "venue": "Fictional Lead School library",
            "capacity_schools": min(len(schools) - 1, 5),
            "recruitment": Recruitment.AREA,
            "completion_min_sessions": 2,
        },
        _session_times(today, [-21, -4, 2, 30]),
        moves=("publish", "start"),
    )
    sessions = group.demo_sessions  # type: ignore[attr-defined]
    regs = [
        _add_participant(
            group,
            school,
            f"Demo Running-Teacher{j}",
            f"demo-running{j}@example.org",
            "Class teacher",
        )
        for j, school in enumerate(schools[:4])
    ]
    services.attendance_mark(
        session_id=sessions[0].pk,
        actor=lead,
        marks={
            r.pk: AttendanceStatus.PRESENT if i else AttendanceStatus.ABSENT
            for i, r in enumerate(regs)
        },
    )
    if len(schools) < 6:
        return
    # A place frees and is offered to the school on the waiting list, as it would be.
    leaving = _add_participant(
        group, schools[4], "Demo Leaving-Teacher", "demo-leaving@example.org", "Class teacher"
    )
    offered, made = get_user_model().objects.get_or_create(
        email="demo-offered@example.org", defaults={"full_name": "Sam Fictional-Offered"}
    )
    if made:
        offered.set_unusable_password()
        offered.save(update_fields=["password"])
    services.registration_create(
        group_id=group.pk,
        user=offered,
        school_id=schools[5].pk,
        role_at_school="Maths lead",
        today=today,
    )
    services.registration_withdraw(registration_id=leaving.pk, actor=None, today=today)
