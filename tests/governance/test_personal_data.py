"""Governance's personal data through the privacy registry: found by account or email,
exported with readable categories, and erased so that capacity, the board's make-up and
spending figures are unchanged."""

from datetime import date

import pytest

from governance import selectors
from governance.models import Appointment, BoardMember, LocalLeader, Payment
from hubops.personal_data import Person, personal_models, registry, unclassified_fields
from privacy import services as privacy_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_governance_model_is_declared_with_categories():
    assert not [p for p in unclassified_fields() if p.startswith("governance.")]
    declared = {label for label in registry() if label.startswith("governance.")}
    assert "governance.appointment" in declared
    appointment = registry()["governance.appointment"]
    assert appointment.personal["person_name"] == "name"
    assert appointment.retention.kind == "after"
    assert {d.label for d in personal_models()} >= {
        "governance.boardmember",
        "governance.localleader",
        "governance.payment",
    }


def test_export_and_erase_keep_figures(team, board):
    Appointment.objects.filter(person_name="Sam Example").update(email="sam@example.org")
    BoardMember.objects.filter(name="Sam Example").update(email="sam@example.org")
    person = Person.for_email("sam@example.org", name="Sam Example")
    exported = {item["model"]: item for item in privacy_services.collect(person)}
    assert exported["governance.appointment"]["rows"][0]["person_name"] == "Sam Example"
    assert exported["governance.boardmember"]["rows"][0]["name"] == "Sam Example"
    before_team = selectors.team_compliance_on(date(2026, 1, 15))
    privacy_services.erase_person(person, today=date(2026, 1, 15))
    assert not Appointment.objects.filter(person_name="Sam Example").exists()
    assert not BoardMember.objects.filter(name="Sam Example").exists()
    # Capacity and the board's make-up are unchanged.
    after_team = selectors.team_compliance_on(date(2026, 1, 15))
    assert after_team.ok and before_team.ok
    assert selectors.board_makeup_on(date(2026, 1, 15)).ok


def test_erasing_an_llme_keeps_the_money_but_not_the_name():
    user = UserFactory(full_name="Jordan Fictional-Leader")
    registry()["governance.localleader"].example(user)
    total = sum(p.amount for p in Payment.objects.all())
    report = privacy_services.erase_person(Person.for_user(user), today=date(2026, 1, 15))
    assert LocalLeader.objects.get().name == "[erased]"
    assert Payment.objects.get().payee == "[erased]"
    assert sum(p.amount for p in Payment.objects.all()) == total
    assert "governance.servicelevelagreement" in report.kept
