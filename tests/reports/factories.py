"""factory_boy factories for the reports tests: the academic year, a running Teaching for
Mastery Work Group with its registrations (the figures a report takes), reporting deadlines and
the people who sign reports off. Fictional people only."""

from __future__ import annotations

from datetime import date

import factory

from governance.models import ReportDueDate, ReportKind
from hubops.models import AcademicYear
from hubops.roles import Role
from tests.factories import SchoolFactory, StaffFactory
from workgroups.models import (
    GroupStatus,
    Project,
    ProjectKind,
    Registration,
    RegStatus,
    WorkGroup,
)


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear
        django_get_or_create = ("name",)

    name = "2025/26"
    starts_on = date(2025, 9, 1)
    ends_on = date(2026, 8, 31)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("code",)

    code = "NCP 25-07"
    title = "Fictional TfM"
    kind = ProjectKind.NCP
    academic_year = factory.SubFactory(AcademicYearFactory)
    is_tfm = True
    tfm_stage = "development"


class WorkGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkGroup

    code = factory.Sequence(lambda n: f"WG-{n + 7}")
    title = "Fictional group"
    project = factory.SubFactory(ProjectFactory)
    capacity_schools = 6
    status = GroupStatus.RUNNING


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    work_group = factory.SubFactory(WorkGroupFactory)
    school = factory.SubFactory(SchoolFactory)
    full_name = factory.Sequence(lambda n: f"Teacher Fictional{n}")
    role_at_school = "Teacher"
    status = RegStatus.CONFIRMED


def running_group(year: AcademicYear, *, schools: int, capacity: int = 6) -> WorkGroup:
    """A running TfM Work Group ("WG-7") with one confirmed teacher from each of ``schools``
    schools."""
    group = WorkGroupFactory(
        code="WG-7", project=ProjectFactory(academic_year=year), capacity_schools=capacity
    )
    RegistrationFactory.create_batch(schools, work_group=group)
    return group


class ReportDueDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportDueDate

    kind = ReportKind.PROGRESS
    academic_year = factory.SubFactory(AcademicYearFactory)
    due_on = date(2026, 4, 17)
    label = "Spring term"


def author() -> object:
    return StaffFactory(full_name="Robin Fictional-Coordinator", roles=[Role.HUB_STAFF])


def mhl() -> object:
    return StaffFactory(full_name="Sam Fictional-Lead", email="mhl@example.org", roles=[Role.MHL])


def sll() -> object:
    return StaffFactory(full_name="Alex Fictional-Link", email="sll@example.org", roles=[Role.SLL])
