"""Capacity is never exceeded, even with 50 people registering for the last place at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories import SchoolFactory, UserFactory
from workgroups import services, workflow
from workgroups.models import PLACE_HOLDING, Registration, RegStatus

from .conftest import TODAY, make_group


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_registrations_for_last_place(hub, project):
    group = make_group(project, code="WG-RACE", capacity=3)
    for _ in range(2):
        services.registration_create(
            group_id=group.pk,
            user=UserFactory(),
            school_id=SchoolFactory().pk,
            role_at_school="Teacher",
            today=TODAY,
        )
    people = [(UserFactory(), SchoolFactory()) for _ in range(50)]
    barrier = threading.Barrier(50)
    errors = []

    def go(user, school):
        try:
            barrier.wait()
            services.registration_create(
                group_id=group.pk,
                user=user,
                school_id=school.pk,
                role_at_school="Teacher",
                today=TODAY,
            )
        except workflow.NotEligible as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=p) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    holding = (
        Registration.objects.filter(work_group=group, status__in=PLACE_HOLDING)
        .values("school")
        .distinct()
        .count()
    )
    assert holding == 3
    assert Registration.objects.filter(work_group=group, status=RegStatus.WAITING).count() == 49
    assert not errors
