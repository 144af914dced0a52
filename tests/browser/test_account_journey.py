"""A teacher signs up, verifies the email from the mail file, logs in; made staff, they set up
two-factor authentication, see their recovery codes, reach the staff pages and sign out.
axe-core runs on every page visited."""

from __future__ import annotations

import email
import re
import time
from email import policy

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from hubops.models import User
from tests.factories import PASSWORD, HubFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def read_link(mail_dir, pattern: str) -> str:
    for path in sorted(mail_dir.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("plain",)).get_content()
        if match := re.search(pattern, body):
            return match.group(0)
    raise AssertionError(f"no mail in {mail_dir} matches {pattern}")


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_sign_up_verify_log_in_set_up_mfa_log_out(live_server, page, axe, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    HubFactory(name="Fictional Valley Maths Hub")

    # Sign up.
    page.goto(f"{live_server.url}/")
    axe(page)
    page.get_by_role("link", name="Sign in").click()
    axe(page)
    page.goto(f"{live_server.url}/accounts/signup/")
    axe(page)
    page.get_by_label("Email").fill("alex@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("Full name").fill("Alex Fictional")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    axe(page)

    # Verify from the mail file.
    link = read_link(tmp_path, r"https?://\S+/accounts/confirm-email/\S+/")
    path = link.split("/accounts/", 1)[1]
    page.goto(f"{live_server.url}/accounts/{path}")
    page.get_by_role("heading", name="Confirm Email Address").wait_for()
    axe(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/")
    axe(page)

    # Sign out and log in again.
    page.get_by_role("link", name="Sign out").click()
    axe(page)
    page.get_by_role("button", name="Sign Out").click()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("alex@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Your account").wait_for()
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("heading", name="Your details").wait_for()
    axe(page)

    # Made staff, they must set up two-factor authentication before /staff/.
    User.objects.filter(email="alex@example.org").update(is_staff=True)
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("heading", name="Confirm Access").wait_for()
    axe(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Activate Authenticator App").wait_for()
    axe(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_now(secret))
    page.get_by_role("button", name="Activate").click()
    page.get_by_role("heading", name="Recovery Codes").wait_for()
    axe(page)
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) >= 10

    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("heading", name="Your work", level=1).wait_for()
    axe(page)

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()
    page.get_by_role("link", name="Sign in").wait_for()
    axe(page)
