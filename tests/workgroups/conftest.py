from __future__ import annotations

from datetime import date

import pytest

from hubops.models import AcademicYear
from hubops.roles import Role
from tests.factories import HubFactory, SchoolFactory, UserFactory

from .factories import LONDON, ProjectFactory, make_group

__all__ = ["LONDON", "make_group"]  # the tests import these from here

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
    return ProjectFactory(academic_year=year)


@pytest.fixture
def lead(db):
    return UserFactory(full_name="Robin Fictional-Lead", roles=[Role.WORK_GROUP_LEAD])


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
