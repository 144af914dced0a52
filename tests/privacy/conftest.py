from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress

from hubops.roles import Role
from tests.factories import PASSWORD, SchoolFactory, StaffFactory, UserFactory
from tests.privacy.factories import PrivacyNoticeFactory

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def dpo(db, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    return StaffFactory(
        email="dpo@example.org", full_name="Dana Fictional", roles=[Role.DATA_PROTECTION_LEAD]
    )


@pytest.fixture
def dpo_client(client, dpo):
    client.login(email=dpo.email, password=PASSWORD)
    return client


@pytest.fixture
def teacher(db):
    school = SchoolFactory()
    user = UserFactory(
        email="alex.fictional@example.org",
        full_name="Alexandra Fictionalperson",
        previous_names="Alexandra Maidenfiction",
        phone="07700 900123",
        trn="7654321",
        date_of_birth=dt.date(1985, 4, 1),
        school=school,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def notice(db):
    return PrivacyNoticeFactory(version=1)
