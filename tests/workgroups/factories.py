"""factory_boy factories for Work Groups. Fictional groups and people only.

``make_group(project, lead, code=..., capacity=..., sessions=3, **fields)`` builds a group with
its sessions three weeks apart from 2 February 2026; other apps' tests (reports) may import it
and the factories from here instead of copying them."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory

from tests.factories import SchoolFactory
from workgroups.models import (
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

LONDON = ZoneInfo("Europe/London")
FIRST_SESSION = datetime(2026, 2, 2, 15, 45, tzinfo=LONDON)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("code",)

    code = "NCP 25-07"
    title = "Teaching for Mastery"
    kind = ProjectKind.NCP
    phase = "primary"
    is_tfm = True
    tfm_stage = TfmStage.DEVELOPMENT


class WorkGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkGroup
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"WG-F{n:03d}")
    title = factory.LazyAttribute(lambda g: f"Fictional group {g.code}")
    project = factory.SubFactory(ProjectFactory)
    phases = ",primary,"
    audience = ",teachers,"
    capacity_schools = 2
    recruitment = Recruitment.OPEN
    status = GroupStatus.PUBLISHED
    completion_min_sessions = 2
    venue = "Fictional Hall"

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.add(*extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    work_group = factory.SubFactory(WorkGroupFactory)
    starts_at = FIRST_SESSION
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=1, minutes=30))
    venue = "Fictional Hall"


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration row as it stands (for reads and reports); writes under test go through
    ``workgroups.services``."""

    class Meta:
        model = Registration

    work_group = factory.SubFactory(WorkGroupFactory)
    school = factory.SubFactory(SchoolFactory)
    full_name = factory.Sequence(lambda n: f"Sam Fictional{n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    role_at_school = "Teacher"
    status = RegStatus.CONFIRMED


def make_group(project, lead=None, *, code="WG-1", capacity=2, sessions=3, **kw) -> WorkGroup:
    """A group of ``project`` led by ``lead`` with ``sessions`` sessions three weeks apart."""
    group = WorkGroupFactory(
        code=code,
        project=project,
        capacity_schools=capacity,
        leads=[lead] if lead else [],
        **kw,
    )
    for i in range(sessions):
        SessionFactory(work_group=group, starts_at=FIRST_SESSION + timedelta(weeks=3 * i))
    return group
