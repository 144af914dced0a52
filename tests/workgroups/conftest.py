from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hubops.models import AcademicYear
from hubops.roles import Role
from tests.factories import HubFactory, SchoolFactory, UserFactory
from workgroups.models import (
    GroupStatus,
    Project,
    ProjectKind,
    Recruitment,
    Session,
    TfmStage,
    WorkGroup,
)

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 1, 12)


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def hub(db):
    return HubFactory()


@pytest.fixture
def year(db):
    return AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )


@pytest.fixture
def project(year):
    return Project.objects.create(
        code="NCP 25-07",
        title="Teaching for Mastery",
        kind=ProjectKind.NCP,
        academic_year=year,
        phase="primary",
        is_tfm=True,
        tfm_stage=TfmStage.DEVELOPMENT,
    )


@pytest.fixture
def lead(db):
    return UserFactory(full_name="Robin Fictional-Lead", roles=[Role.WORK_GROUP_LEAD])


def make_group(project, lead=None, *, code="WG-1", capacity=2, sessions=3, **kw) -> WorkGroup:
    defaults = {
        "title": f"Fictional group {code}",
        "project": project,
        "phases": ",primary,",
        "audience": ",teachers,",
        "capacity_schools": capacity,
        "recruitment": Recruitment.OPEN,
        "status": GroupStatus.PUBLISHED,
        "completion_min_sessions": 2,
        "venue": "Fictional Hall",
    }
    defaults.update(kw)
    group = WorkGroup.objects.create(code=code, **defaults)
    if lead:
        group.leads.add(lead)
    start = datetime(2026, 2, 2, 15, 45, tzinfo=LONDON)
    for i in range(sessions):
        Session.objects.create(
            work_group=group,
            starts_at=start + timedelta(weeks=3 * i),
            ends_at=start + timedelta(weeks=3 * i, hours=1, minutes=30),
            venue="Fictional Hall",
        )
    return group


@pytest.fixture
def group(hub, project, lead):
    return make_group(project, lead)


@pytest.fixture
def schools(db):
    return [SchoolFactory() for _ in range(4)]


@pytest.fixture
def teacher(schools):
    return UserFactory(full_name="Alex Fictional", email="alex@example.org")


@pytest.fixture(autouse=True)
def _run_on_commit_now(monkeypatch):
    """Tests run inside a transaction that never commits: run on-commit side effects (email,
    cache invalidation) at once, as a commit would."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
