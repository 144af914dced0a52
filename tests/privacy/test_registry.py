"""The personal-data registry covers every field of every model of every installed app."""

from __future__ import annotations

import pytest

from hubops import personal_data as pd


def test_every_field_of_every_model_is_classified():
    problems = pd.unclassified_fields()
    assert problems == [], "Unclassified personal data:\n" + "\n".join(problems)


def test_a_new_field_is_caught(monkeypatch):
    declaration = pd.declaration_for("hubops.User")
    trimmed = {k: v for k, v in declaration.personal.items() if k != "phone"}
    monkeypatch.setattr(declaration, "personal", trimmed)
    assert "hubops.user.phone: not classified as personal or not personal" in (
        pd.unclassified_fields()
    )


def test_a_model_without_declaration_is_caught(monkeypatch):
    monkeypatch.delitem(pd._REGISTRY, "hubops.school")
    assert "hubops.school: no personal-data declaration" in pd.unclassified_fields()


def test_personal_data_needs_a_retention_rule():
    with pytest.raises(ValueError, match="retention"):
        pd.register("hubops.Hub", personal={"email": pd.Category.EMAIL}, user_field="x")
    pd.register("hubops.Hub", not_personal="__all__")  # restore


def test_registry_covers_every_installed_app():
    labels = {m._meta.app_label for m in pd.declarable_models()}
    assert {"hubops", "privacy", "auth", "account", "mfa", "sessions"} <= labels


@pytest.mark.django_db
def test_every_declaration_can_find_export_and_erase(django_user_model):
    """Each declaration's lookups are valid queries (a typo in user_field would raise here)."""
    from privacy import services

    user = django_user_model.objects.create_user("nobody@example.org", full_name="No Body")
    person = pd.Person.for_user(user)
    for declaration in pd.personal_models():
        list(declaration.rows(person))
    assert services.collect(person)[0]["model"] == "hubops.user"
    import datetime as dt

    report = services.erase_person(person, today=dt.date(2026, 3, 10))
    assert report.done["hubops.user"] == 1
