import pytest

from hubops import personal_data

pytestmark = pytest.mark.django_db


def test_every_workgroups_field_classified():
    personal_data.discover()
    gaps = [g for g in personal_data.unclassified_fields() if g.startswith("workgroups.")]
    assert gaps == []
