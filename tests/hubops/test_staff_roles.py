"""Holding a role and the staff flag are one thing, and everyone who can see a staff page must
set up MFA first: role holders whatever their flag says, and every superuser."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from hubops import checks
from hubops.models import AuditEvent, User
from hubops.roles import Role, ensure_roles
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/?next="


def verified(user):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _staff_paths(resolver=None, prefix="") -> list[str]:
    """A concrete path for every URL pattern under /staff/ and /admin/: ids filled with 1,
    other parameters with "x" (the MFA gate answers before any view or lookup runs)."""
    resolver = resolver or get_resolver()
    out = []
    for p in resolver.url_patterns:
        pattern = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out += _staff_paths(p, pattern)
        elif isinstance(p, URLPattern):
            path = pattern.lstrip("^").rstrip("$")
            path = re.sub(r"<int:\w+>", "1", path)
            path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
            path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)
            path = "/" + path.replace("\\", "")
            if path.startswith(("/staff/", "/admin/")) and not path.startswith(
                ("/admin/login/", "/admin/logout/")
            ):
                out.append(path)
    return out


def test_every_staff_and_admin_url_sends_a_password_only_role_holder_to_mfa(client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    lead = verified(UserFactory(email="mhl-no-flag@example.org", roles=[Role.MHL]))
    # However the flag got out of step (a raw update behind the services' back), the gate
    # looks at the roles too.
    User.objects.filter(pk=lead.pk).update(is_staff=False)
    login = client.post("/accounts/login/", {"login": lead.email, "password": PASSWORD})
    assert login.status_code == 302
    paths = _staff_paths()
    assert "/staff/workgroups/exports/" in paths and "/staff/complaints/" in paths
    assert len(paths) > 100
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(ACTIVATE), path


def test_a_superuser_without_the_staff_flag_is_sent_to_mfa(client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    boss = verified(UserFactory(email="root@example.org", is_superuser=True))
    User.objects.filter(pk=boss.pk).update(is_staff=False)
    client.force_login(boss)
    for path in ("/staff/", "/admin/", "/staff/reports/"):
        assert client.get(path).url.startswith(ACTIVATE)


def test_a_senior_leader_on_a_panel_is_sent_to_mfa(client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    leader = verified(UserFactory(roles=[Role.LEAD_SCHOOL_SENIOR_LEADER]))
    client.force_login(leader)
    assert client.get("/staff/complaints/1/").url.startswith(ACTIVATE)


def test_with_totp_the_role_holder_reaches_the_page(client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    lead = verified(UserFactory(roles=[Role.MHL]))
    Authenticator.objects.create(user=lead, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(lead)
    assert client.get("/staff/workgroups/").status_code == 200


def test_teachers_are_not_asked_for_mfa_and_public_pages_are_not_gated(client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    client.force_login(verified(UserFactory()))
    assert client.get("/staff/workgroups/").status_code == 403
    lead = verified(UserFactory(roles=[Role.MHL]))
    client.force_login(lead)
    assert client.get("/workgroups/").status_code == 200
    assert client.get("/accounts/profile/").status_code == 200


# The staff flag follows the roles -----------------------------------------------------------


def test_adding_and_removing_a_role_sets_and_clears_the_staff_flag():
    ensure_roles()
    person = UserFactory(email="casey@example.org")
    assert not person.is_staff
    group = Group.objects.get(name=Role.WORK_GROUP_LEAD.value)
    person.groups.add(group)
    assert person.is_staff
    person.refresh_from_db()
    assert person.is_staff
    assert AuditEvent.objects.filter(
        action="hubops.user.staff_granted", object_id=str(person.pk)
    ).exists()
    person.groups.remove(group)
    person.refresh_from_db()
    assert not person.is_staff
    # From the group's side too, and a group that is not a role does not count.
    group.user_set.add(person)
    person.refresh_from_db()
    assert person.is_staff
    group.user_set.clear()
    person.refresh_from_db()
    assert not person.is_staff
    person.groups.add(Group.objects.create(name="Newsletter readers"))
    person.refresh_from_db()
    assert not person.is_staff


def test_the_factory_and_a_later_save_keep_the_synced_flag():
    person = UserFactory(roles=[Role.BOARD_CHAIR])
    person.refresh_from_db()
    assert person.is_staff
    person.full_name = "Bo Fictional-Chair"
    person.save()
    person.refresh_from_db()
    assert person.is_staff


def test_saving_an_account_puts_the_flag_right_superusers_included():
    boss = User.objects.create_user(email="boss@example.org", password=PASSWORD)
    assert not boss.is_staff
    boss.is_superuser = True
    boss.save()
    boss.refresh_from_db()
    assert boss.is_staff
    hand_made = User.objects.create_user(email="hand@example.org", is_staff=True)
    hand_made.refresh_from_db()
    assert not hand_made.is_staff  # staff status without a role is not a thing


def test_the_admin_cannot_set_staff_status_by_hand_and_saving_resyncs_it(client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    ensure_roles()
    admin_user = verified(StaffFactory(email="admin@example.org", is_superuser=True))
    client.force_login(admin_user)
    person = UserFactory(email="jo@example.org")
    url = f"/admin/hubops/user/{person.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="is_staff"' not in page
    chair = Group.objects.get(name=Role.BOARD_CHAIR.value)
    response = client.post(
        url,
        {
            "email": person.email,
            "full_name": person.full_name,
            "previous_names": "",
            "phone": "",
            "trn": "",
            "is_active": "on",
            "is_staff": "",
            "groups": [chair.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.is_staff
    # A flag set behind the services' back is put right by the next save in the admin.
    User.objects.filter(pk=person.pk).update(is_staff=False)
    person.groups.clear()
    User.objects.filter(pk=person.pk).update(is_staff=True)
    client.post(
        url,
        {
            "email": person.email,
            "full_name": person.full_name,
            "is_active": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        },
    )
    person.refresh_from_db()
    assert not person.is_staff


def test_the_system_check_names_accounts_whose_flag_disagrees(capsys):
    agrees = UserFactory(email="agrees@example.org", roles=[Role.MHL])
    flagged = UserFactory(email="flag-only@example.org", roles=[Role.MHL])
    User.objects.filter(pk=flagged.pk).update(is_staff=False)
    stray = UserFactory(email="staff-no-role@example.org")
    User.objects.filter(pk=stray.pk).update(is_staff=True)
    found = checks.staff_flag_matches_roles(databases=["default"])
    assert {w.obj for w in found} == {"flag-only@example.org", "staff-no-role@example.org"}
    assert all(w.id == "hubops.W001" for w in found)
    assert agrees.email not in {w.obj for w in found}
    call_command("check", "--database", "default")
    err = capsys.readouterr().err
    assert "hubops.W001" in err and "flag-only@example.org" in err
    # Not run without --database (it reads the database).
    assert checks.staff_flag_matches_roles(databases=None) == []


def test_the_data_migration_brings_existing_accounts_into_line():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("hubops.migrations.0004_staff_flag_follows_roles")
    holder = UserFactory(email="holder@example.org", roles=[Role.SLL])
    boss = UserFactory(email="boss@example.org", is_superuser=True)
    stray = UserFactory(email="stray@example.org")
    teacher = UserFactory(email="teacher@example.org")
    User.objects.filter(pk__in=[holder.pk, boss.pk]).update(is_staff=False)
    User.objects.filter(pk=stray.pk).update(is_staff=True)
    migration.staff_flag_from_roles(apps, None)
    flags = dict(User.objects.values_list("email", "is_staff"))
    assert flags[holder.email] and flags[boss.email]
    assert not flags[stray.email] and not flags[teacher.email]
    assert list(checks.disagreeing_users()) == []


def test_the_deploy_check_refuses_staff_mfa_switched_off(settings):
    settings.DEBUG = False
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    assert [w.id for w in checks.staff_mfa_is_required()] == ["hubops.W002"]
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    assert checks.staff_mfa_is_required() == []
