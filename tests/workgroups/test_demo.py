from datetime import date

import pytest

from workgroups import demo
from workgroups.models import Recruitment, WorkGroup

pytestmark = pytest.mark.django_db


def test_demo_loads_each_recruitment_kind_idempotently(hub, schools):
    demo.load(hub, date(2026, 1, 12))
    demo.load(hub, date(2026, 1, 12))
    assert set(WorkGroup.objects.values_list("recruitment", flat=True)) == set(Recruitment.values)
    assert all(g.sessions.count() == 3 for g in WorkGroup.objects.all())
