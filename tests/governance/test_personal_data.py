from datetime import date

import pytest
from django.apps import apps

from governance import personal_data, selectors
from governance.models import Appointment, BoardMember

pytestmark = pytest.mark.django_db


def test_every_field_of_every_model_is_classified():
    for model in apps.get_app_config("governance").get_models():
        fields = {f.name for f in model._meta.concrete_fields}
        assert set(personal_data.FIELDS.get(model, {})) == fields, model.__name__


def test_export_and_erase_keep_figures(team, board):
    Appointment.objects.filter(person_name="Sam Example").update(email="sam@example.org")
    BoardMember.objects.filter(name="Sam Example").update(email="sam@example.org")
    exported = personal_data.export_person(email="sam@example.org")
    assert exported["appointments"][0]["person_name"] == "Sam Example"
    assert exported["board_members"][0]["name"] == "Sam Example"
    personal_data.erase_person(email="sam@example.org")
    assert not Appointment.objects.filter(person_name="Sam Example").exists()
    assert not BoardMember.objects.filter(name="Sam Example").exists()
    # Capacity and the board's make-up are unchanged.
    assert selectors.team_compliance_on(date(2026, 1, 15)).ok
    assert selectors.board_makeup_on(date(2026, 1, 15)).ok
