"""Rate limits that hold: counted in a cache every process shares, per client address (from
X-Forwarded-For only behind a trusted proxy) and per recipient, on every anonymous form that
sends mail; sign-in slowed without locking the owner out."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.test import RequestFactory

from complaints.models import Complaint
from hubops.ratelimit import client_ip
from privacy.models import DataRequest
from tests.complaints.conftest import form_data
from tests.factories import PASSWORD, HubFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hub(db):
    return HubFactory(email="hub@riverside-hub.example")


def concern(n: int, email: str | None = None) -> dict:
    return {
        "full_name": f"Robin Fictional {n}",
        "email": email or f"robin{n}@example.org",
        "phone": "",
        "concerns": "other",
        "what_happened": "Something odd.",
    }


def data_request(n: int, email: str | None = None) -> dict:
    return {
        "kind": "access",
        "full_name": f"Robin Fictional {n}",
        "email": email or f"robin{n}@example.org",
        "details": "",
    }


# -- the client address ------------------------------------------------------------------------


def _request(remote: str, xff: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_the_forwarded_header_is_ignored_unless_the_peer_is_a_trusted_proxy(settings):
    settings.HUBOPS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
    assert client_ip(_request("10.0.0.2", "198.51.100.7")) == "198.51.100.7"
    # The right-most untrusted hop is the client; what the client wrote to its left is not.
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.5")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.2", "nonsense")) == "10.0.0.2"
    assert client_ip(_request("10.0.0.2", "198.51.100.7:50123")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.2", "[2001:db8::7]:443")) == "2001:db8::7"
    settings.HUBOPS_TRUSTED_PROXIES = []
    assert client_ip(_request("10.0.0.2", "198.51.100.7")) == "10.0.0.2"


# -- the public forms --------------------------------------------------------------------------


def test_twenty_concerns_from_one_address_are_limited(client, hub, settings):
    settings.COMPLAINTS_SUBMISSIONS_PER_HOUR = 100  # the shared mail-form limit is the one
    codes = [client.post("/complaints/concern/", concern(n)).status_code for n in range(20)]
    assert codes == [302] * 10 + [429] * 10
    assert Complaint.objects.count() == 10
    page = client.post("/complaints/concern/", concern(99)).content.decode()
    assert "Please try again in an hour" in page and "Robin Fictional 99" in page


def test_behind_a_trusted_proxy_each_client_is_counted_alone(client, hub, settings):
    settings.HUBOPS_TRUSTED_PROXIES = ["10.0.0.1"]
    codes = [
        client.post(
            "/complaints/concern/",
            concern(n),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
        ).status_code
        for n in range(20)
    ]
    assert codes == [302] * 20
    # ... and one client behind the proxy is still limited, whatever it puts to the left.
    codes = [
        client.post(
            "/complaints/concern/",
            concern(100 + n),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}, 203.0.113.50",
        ).status_code
        for n in range(12)
    ]
    assert codes == [302] * 10 + [429] * 2


def test_behind_an_untrusted_peer_the_forwarded_header_is_ignored(client, hub, settings):
    settings.HUBOPS_TRUSTED_PROXIES = ["10.0.0.1"]
    codes = [
        client.post(
            "/complaints/concern/",
            concern(n),
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
        ).status_code
        for n in range(20)
    ]
    assert codes == [302] * 10 + [429] * 10


def test_one_recipient_is_limited_across_many_addresses(client, hub, settings):
    """Not an open relay: however many addresses send it, one inbox gets at most three."""
    victim = "victim@example.org"
    codes = [
        client.post(
            "/complaints/concern/", concern(n, victim), REMOTE_ADDR=f"198.51.100.{n + 1}"
        ).status_code
        for n in range(20)
    ]
    assert codes == [302] * 3 + [429] * 17
    # Across forms too: the data-rights form will not mail the same inbox either.
    response = client.post(
        "/privacy/requests/new/", data_request(1, victim), REMOTE_ADDR="192.0.2.200"
    )
    assert response.status_code == 429
    assert not DataRequest.objects.exists()


def test_twenty_data_rights_requests_from_one_address_are_limited(client, hub):
    codes = [client.post("/privacy/requests/new/", data_request(n)).status_code for n in range(20)]
    assert codes == [302] * 10 + [429] * 10
    assert DataRequest.objects.count() == 10
    page = client.post("/privacy/requests/new/", data_request(50)).content.decode()
    assert "There is a problem" in page and "Robin Fictional 50" in page


def test_the_formal_complaint_is_limited_per_recipient(client, hub, calendar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    codes = []
    for n in range(5):
        client.post("/complaints/formal/", {"concerns": "other"}, REMOTE_ADDR=f"192.0.2.{n + 1}")
        client.post(
            "/complaints/formal/details/",
            form_data(date(2026, 1, 5)),
            REMOTE_ADDR=f"192.0.2.{n + 1}",
        )
        codes.append(
            client.post("/complaints/formal/check/", REMOTE_ADDR=f"192.0.2.{n + 1}").status_code
        )
    assert codes == [302] * 3 + [429] * 2
    assert Complaint.objects.count() == 3


@pytest.fixture
def calendar(db, django_capture_on_commit_callbacks):
    from hubops.calendar_io import load_plans, parse_calendar
    from tests.complaints.conftest import SHEFFIELD

    with django_capture_on_commit_callbacks(execute=True):
        load_plans(parse_calendar(SHEFFIELD.read_text()))


# -- signing in --------------------------------------------------------------------------------


@pytest.fixture
def owner(db):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="owner@example.org", full_name="Olive Fictional")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _login(client, email: str, password: str, ip: str):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_wrong_passwords_slow_the_attacker_but_do_not_lock_the_owner_out(client, owner):
    pages = [
        _login(client, owner.email, "wrong-password-1", "203.0.113.66").content.decode()
        for _ in range(7)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # The attacker's address is slowed even with the right password ...
    page = _login(client, owner.email, PASSWORD, "203.0.113.66").content.decode()
    assert "Too many failed login attempts" in page
    # ... the owner, from home, signs in.
    response = _login(client, owner.email, PASSWORD, "198.51.100.20")
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code in (200, 302)
    assert client.session.get("_auth_user_id") == str(owner.pk)


def test_guessing_many_accounts_from_one_address_is_slowed(client, owner):
    pages = [
        _login(client, f"someone{n}@example.org", "wrong-password", "203.0.113.67").content
        for n in range(12)
    ]
    assert b"Too many failed login attempts" not in pages[0]
    assert b"Too many failed login attempts" in pages[-1]


# -- the cache every process shares ------------------------------------------------------------


def test_counters_are_shared_between_processes(tmp_path):
    """Two separate processes (two gunicorn workers, say) count into one counter: the
    embedded default cache is the database cache, whose table `migrate` makes."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CACHE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"HUBOPS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "hubops.settings"})

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return (result.stdout.strip().splitlines() or [""])[-1]

    run("migrate", "--noinput", "-v", "0")
    count = "from hubops.ratelimit import _count; print(_count('test', 'one-client', 3600))"
    assert run("shell", "-c", count) == "1"
    assert run("shell", "-c", count) == "2"
    backend = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    assert run("shell", "-c", backend) == "django.core.cache.backends.db.DatabaseCache"
    # ... and not culled at Django's default of 300 entries, which a flood would reach.
    entries = "from django.core.cache import cache; print(cache._max_entries)"
    assert int(run("shell", "-c", entries)) >= 100_000


def test_a_flood_of_sign_ins_from_one_address_gets_the_too_many_page(client, owner):
    codes = [
        _login(client, f"flood{n}@example.org", "x", "203.0.113.68").status_code for n in range(31)
    ]
    assert 429 not in codes[:30] and codes[30] == 429
    page = _login(client, owner.email, PASSWORD, "203.0.113.68").content.decode()
    assert "Please wait before trying again" in page
    assert _login(client, owner.email, PASSWORD, "198.51.100.21").status_code == 302


def test_a_per_process_cache_or_a_bad_proxy_entry_is_reported(settings):
    from hubops import checks

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in checks.shared_cache()] == ["hubops.W004"]
    settings.HUBOPS_TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example"]
    assert [e.id for e in checks.trusted_proxies()] == ["hubops.E003"]


# -- the account pages that send mail ---------------------------------------------------------


def _signup(client, n: int, ip: str, email: str | None = None):
    client.logout()
    return client.post(
        "/accounts/signup/",
        {
            "email": email or f"new{n}@example.org",
            "full_name": f"New Fictional {n}",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        REMOTE_ADDR=ip,
    )


def queued_mail(address: str | None = None) -> list:
    """allauth's mail waits in the outbox (hubops.adapters) until the drain sends it."""
    from hubops.models import OutgoingMessage

    rows = list(OutgoingMessage.objects.values_list("to", flat=True))
    return [to for to in rows if address is None or address in to.split(", ")]


def test_twenty_sign_ups_from_one_address_are_limited(client, mailoutbox):
    codes = [_signup(client, n, "203.0.113.70").status_code for n in range(20)]
    assert codes[:5] == [302] * 5 and set(codes[5:]) == {429}
    assert len(queued_mail()) == 5


def test_account_mails_to_one_inbox_are_capped_across_addresses(
    client, owner, mailoutbox, settings
):
    settings.HUBOPS_ACCOUNT_MAILS_PER_RECIPIENT = 4
    for n in range(12):  # "an account already exists" mail, or a password reset, each time
        _signup(client, n, f"198.51.100.{100 + n}", email=owner.email)
        client.post(
            "/accounts/password/reset/", {"email": owner.email}, REMOTE_ADDR=f"192.0.2.{n + 1}"
        )
    assert 0 < len(queued_mail(owner.email)) <= 4


def test_no_password_reset_mail_goes_to_an_address_without_an_account(client, mailoutbox):
    client.post("/accounts/password/reset/", {"email": "stranger@example.org"})
    assert client.get("/").status_code == 200
    assert queued_mail() == [] and not queued_mail("stranger@example.org")


def test_adding_information_by_the_private_link_is_limited(client, hub, calendar):
    from complaints import services

    filed = services.complaint_file(
        data={**concern(1), "concerns": "other"}, received_on=date(2026, 1, 14), formal=False
    )
    url = f"/complaints/follow/{filed.token}/add/"
    codes = [client.post(url, {"text": f"More detail {n}"}).status_code for n in range(20)]
    assert codes[:10] == [302] * 10 and codes[10:] == [429] * 10


def test_copies_of_one_submission_count_once_and_a_refused_one_stays_refused(settings):
    from hubops import ratelimit

    calls = []

    def decide(verdict):
        def run():
            calls.append(verdict)
            return verdict

        return run

    # Five copies of one allowed submission (a double click, retries): counted once, all pass.
    assert [ratelimit.once_per_submission("key-a", 60, decide(False)) for _ in range(5)] == [
        False
    ] * 5
    assert calls == [False]
    # A submission refused as over the limit is refused again when resent with the same key,
    # without being counted again; a new key is decided afresh.
    assert ratelimit.once_per_submission("key-b", 60, decide(True)) is True
    assert ratelimit.once_per_submission("key-b", 60, decide(False)) is True
    assert ratelimit.once_per_submission("key-c", 60, decide(False)) is False
    assert calls == [False, True, False]
    # No key (a form without one): every sending is decided.
    assert ratelimit.once_per_submission(None, 60, decide(True)) is True
    assert calls == [False, True, False, True]
