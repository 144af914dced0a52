from datetime import date

import pytest

from hubops.models import AcademicYear
from hubops.roles import Role
from tests.factories import HubFactory, StaffFactory


@pytest.fixture(autouse=True)
def _no_mfa(settings, tmp_path):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hub(db):
    return HubFactory()


@pytest.fixture
def year(db):
    return AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )


@pytest.fixture
def author(db):
    return StaffFactory(full_name="Robin Fictional-Coordinator", roles=[Role.HUB_STAFF])


@pytest.fixture
def mhl(db):
    return StaffFactory(full_name="Sam Fictional-Lead", email="mhl@example.org", roles=[Role.MHL])


@pytest.fixture
def sll(db):
    return StaffFactory(full_name="Alex Fictional-Link", email="sll@example.org", roles=[Role.SLL])


def make_running_group(year, *, schools: int, capacity: int = 6):
    """A running TfM Work Group with one confirmed teacher from each of ``schools`` schools."""
    from tests.factories import SchoolFactory
    from workgroups.models import (
        GroupStatus,
        Project,
        ProjectKind,
        Registration,
        RegStatus,
        WorkGroup,
    )

    project = Project.objects.create(
        code="NCP 25-07",
        title="Fictional TfM",
        kind=ProjectKind.NCP,
        academic_year=year,
        is_tfm=True,
        tfm_stage="development",
    )
    group = WorkGroup.objects.create(
        code="WG-7",
        title="Fictional group",
        project=project,
        capacity_schools=capacity,
        status=GroupStatus.RUNNING,
    )
    for i in range(schools):
        Registration.objects.create(
            work_group=group,
            school=SchoolFactory(),
            full_name=f"Teacher Fictional{i}",
            role_at_school="Teacher",
            status=RegStatus.CONFIRMED,
        )
    return group
