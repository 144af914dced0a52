"""Fixtures for governance: a fictional team and board that meet every rule."""

from datetime import date
from decimal import Decimal

import pytest

from governance.models import StakeholderCategory as C
from governance.models import TeamGroup, TeamRole
from hubops.roles import Role
from tests.factories import UserFactory

from .factories import AcademicYearFactory, AppointmentFactory, BoardMemberFactory


@pytest.fixture
def year(db):
    return AcademicYearFactory(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )


TEAM = [
    ("Alex Fictional", TeamRole.SLL, TeamGroup.LEADERSHIP, "1"),
    ("Sam Example", TeamRole.MHL, TeamGroup.LEADERSHIP, "4"),
    ("Jo Sample", TeamRole.AMHL_PRIMARY, TeamGroup.LEADERSHIP, "2"),
    ("Kim Test", TeamRole.AMHL_SECONDARY, TeamGroup.LEADERSHIP, "2"),
    ("Lee Demo", TeamRole.AMHL_POST16, TeamGroup.LEADERSHIP, "1"),
    ("Pat Placeholder", TeamRole.HT_ADVOCATE_PRIMARY, TeamGroup.LEADERSHIP, "1"),
    ("Robin Fictional", TeamRole.PROJECT_MANAGER, TeamGroup.OPERATIONAL, "5"),
    ("Chris Fictional", TeamRole.OTHER_OPERATIONAL, TeamGroup.OPERATIONAL, "5"),
]


@pytest.fixture
def team(db):
    return [
        AppointmentFactory(person_name=name, role=role, group=group, days_per_week=Decimal(days))
        for name, role, group, days in TEAM
    ]


BOARD = [
    ("Morgan Chair", "Fictional Trust", C.TRUST, True, True),
    ("Bea Primary", "Fictional Primary A", C.SCHOOL_PRIMARY, True, False),
    ("Cal Primary", "Fictional Primary B", C.SCHOOL_PRIMARY, True, False),
    ("Dee Secondary", "Fictional Academy", C.SCHOOL_SECONDARY, True, False),
    ("Eli Secondary", "Fictional High", C.SCHOOL_SECONDARY, True, False),
    ("Fay College", "Fictional College", C.COLLEGE_POST16, True, False),
    ("Gus University", "University of Example", C.UNIVERSITY, True, False),
    ("Hal NCETM", "NCETM", C.NCETM, True, False),
    ("Alex Fictional", "Lead School", C.SLL, False, False),
    ("Sam Example", "Lead School", C.HUB_LEAD, False, False),
]


@pytest.fixture
def board(db):
    return [
        BoardMemberFactory(
            name=name, organisation=org, category=cat, independent=ind, is_chair=chair
        )
        for name, org, cat, ind, chair in BOARD
    ]


@pytest.fixture
def sll(db):
    return UserFactory(roles=[Role.SLL], email="sll@example.org", is_staff=True)


@pytest.fixture
def chair(db):
    return UserFactory(roles=[Role.BOARD_CHAIR], email="chair@example.org", is_staff=True)


@pytest.fixture
def staff(db):
    return UserFactory(roles=[Role.HUB_STAFF], email="office@example.org", is_staff=True)
