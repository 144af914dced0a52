"""Accounts: sign-up with mandatory verification, profile, staff MFA, rate limits, admin login."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail

from hubops import outbox
from hubops.models import OutgoingMessage, OutgoingStatus, User
from tests.factories import PASSWORD, SchoolFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


# Sign-up and verification -----------------------------------------------------------------


def test_sign_up_asks_for_full_name_and_cannot_log_in_before_verifying(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "alex@example.org",
                "full_name": "Alex Fictional",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="alex@example.org")
    assert user.full_name == "Alex Fictional"
    assert len(mail.outbox) == 1 and "alex@example.org" in mail.outbox[0].to
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/login/", {"login": "alex@example.org", "password": PASSWORD}
        )
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    client.post(link.group(1))
    assert EmailAddress.objects.get(email="alex@example.org").verified
    client.logout()
    response = client.post("/accounts/login/", {"login": "alex@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sign_up_succeeds_with_the_mail_server_down_and_the_mail_waits_in_the_outbox(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.hubops.test_outbox.DownBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "sam@example.org",
                "full_name": "Sam Fictional",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    row = OutgoingMessage.objects.get()
    assert row.status == OutgoingStatus.QUEUED and row.to == "sam@example.org"
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMessage.objects.update(next_attempt_at=row.created_at)
    outbox.drain()
    assert len(mail.outbox) == 1 and "/accounts/confirm-email/" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id
    row.refresh_from_db()
    # Sent, and the link it carried is not kept.
    assert row.status == OutgoingStatus.SENT and row.context == {} and row.to == "[redacted]"


def test_sign_up_without_full_name_shows_govuk_errors(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "alex@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_full_name">Enter your full name</a>' in html
    assert not User.objects.filter(email="alex@example.org").exists()


def test_account_pages_use_the_hub_base_template(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'class="hub-skip-link"' in html
    assert 'class="hub-heading-xl"' in html
    assert 'class="hub-input' in html and 'class="hub-button' in html


# Rate limit -------------------------------------------------------------------------------


def test_sixth_failed_login_in_a_row_is_refused_with_a_clear_message(client):
    user = verified(UserFactory(email="sam@example.org"))
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": user.email, "password": "wrong-one"})
        assert "The email address and/or password you specified are not correct" in (
            response.content.decode()
        )
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    html = response.content.decode()
    assert "Too many failed login attempts" in html
    assert "_auth_user_id" not in client.session


# Profile ----------------------------------------------------------------------------------


def test_profile_saves_details_and_rejects_a_bad_trn(client):
    school = SchoolFactory()
    user = verified(UserFactory(email="sam@example.org", full_name="Sam Fictional"))
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {"full_name": "Sam Fictional", "trn": "12345", "school_urn": str(school.urn)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Teacher Reference Number must be 7 digits, like 1234567" in html
    assert '<a href="#id_trn">' in html
    user.refresh_from_db()
    assert user.trn == ""

    response = client.post(
        "/accounts/profile/",
        {
            "full_name": "Sam Fictional",
            "previous_names": "Sam Former",
            "dob_day": "",
            "date_of_birth_day": "3",
            "date_of_birth_month": "4",
            "date_of_birth_year": "1990",
            "phone": "01632 960 001",
            "trn": "1234567",
            "school_urn": str(school.urn),
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.trn, user.school, user.previous_names) == ("1234567", school, "Sam Former")
    assert str(user.date_of_birth) == "1990-04-03"


def test_profile_refuses_an_unknown_school_and_an_impossible_date(client):
    user = verified(UserFactory(full_name="Sam Fictional"))
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {
            "full_name": "Sam Fictional",
            "school_urn": "999999",
            "date_of_birth_day": "31",
            "date_of_birth_month": "2",
            "date_of_birth_year": "1990",
        },
    )
    html = response.content.decode()
    assert "There is no open school with URN 999999" in html
    assert "Date of birth must be a real date" in html


def test_profile_needs_sign_in(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# Staff MFA --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/", "/staff/"])
def test_staff_without_mfa_are_sent_to_set_it_up_when_required(client, settings, path):
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    staff = verified(StaffFactory())
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/accounts/2fa/totp/activate/?next={path.replace('/', '%2F')}"
    # The activation page is not redirected back (no loop); allauth asks for the password
    # again first, then shows it.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.url.startswith("/accounts/reauthenticate/")
    response = client.post(response.url, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/totp/activate/")
    assert "Authenticator code" in response.content.decode()


@pytest.mark.parametrize("path", ["/admin/", "/staff/"])
def test_staff_with_mfa_or_with_the_setting_off_reach_the_page(client, settings, path):
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    staff = verified(StaffFactory(is_superuser=True))
    client.force_login(with_totp(staff))
    assert client.get(path).status_code == 200
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    other = verified(StaffFactory(is_superuser=True))
    client.force_login(other)
    assert client.get(path).status_code == 200


def test_non_staff_never_reach_staff_pages(client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    client.force_login(verified(UserFactory()))
    response = client.get("/staff/", follow=True)
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


def test_admin_login_is_allauths(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_admin_user_pages_render_with_the_hub_form_renderer(client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    admin_user = verified(StaffFactory(is_superuser=True))
    client.force_login(admin_user)
    assert client.get(f"/admin/hubops/user/{admin_user.pk}/change/").status_code == 200
    assert client.get("/admin/hubops/user/?q=example").status_code == 200
