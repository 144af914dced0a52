"""The settings module is driven by the environment. Each case loads the settings in a fresh
process with a chosen environment, as a server would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-long-random-secret-for-tests-only-0123456789-abcdefghijklmnopqrstuvwxyz"

# Variables that change what the settings read; each test starts without them.
CONTROLLED = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "EMAIL_URL",
    "HUBOPS_DATA_DIR",
    "HUBOPS_MEDIA_ROOT",
    "ALLOWED_HOSTS",
    "HUBOPS_REQUIRE_STAFF_MFA",
    "SITE_URL",
    "HUBOPS_REPLY_TO",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/conftest.py for Playwright; not a server's
}

PRINT_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ENGINE": db["ENGINE"], "DB_NAME": str(db["NAME"]), "DB_HOST": db.get("HOST", ""),
    "BROKER": s.CELERY_BROKER_URL,
    "BROKER_OPTIONS": getattr(s, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
    "CACHE": s.CACHES["default"]["BACKEND"], "CACHE_LOCATION": s.CACHES["default"]["LOCATION"],
    "EMAIL_BACKEND": s.EMAIL_BACKEND, "EMAIL_HOST": s.EMAIL_HOST, "EMAIL_PORT": s.EMAIL_PORT,
    "EMAIL_FILE_PATH": str(getattr(s, "EMAIL_FILE_PATH", "")),
    "MEDIA_ROOT": str(s.MEDIA_ROOT), "DATA_DIR": str(s.DATA_DIR),
    "TIME_ZONE": s.TIME_ZONE, "USE_TZ": s.USE_TZ,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE, "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "HSTS": s.SECURE_HSTS_SECONDS, "X_FRAME_OPTIONS": s.X_FRAME_OPTIONS,
    "CSP": s.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "MFA": s.HUBOPS_REQUIRE_STAFF_MFA,
}))
"""


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    environment.update({"DJANGO_SETTINGS_MODULE": "hubops.settings", **env})
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_with(**env: str) -> dict:
    result = run(["-c", PRINT_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_debug_off_the_settings_refuse_to_load_without_a_secret_key(tmp_path):
    result = run(["manage.py", "check"], DEBUG="false", HUBOPS_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_with_debug_off_and_a_secret_key_check_deploy_reports_nothing(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="hub.example",
        SITE_URL="https://hub.example",
        HUBOPS_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_with_debug_off_check_deploy_reports_a_missing_site_url(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy"],
        DEBUG="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="hub.example",
        HUBOPS_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "hubops.E001" in result.stderr + result.stdout
    assert "SITE_URL is not set" in result.stderr + result.stdout


@pytest.mark.parametrize("value", ["hub.example", "https://hub.example/path/", "ftp://hub.example"])
def test_a_site_url_that_is_not_a_scheme_and_host_is_refused(tmp_path, value):
    result = run(["manage.py", "check"], SITE_URL=value, HUBOPS_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "hubops.E002" in result.stderr + result.stdout


def test_site_url_defaults_to_the_local_server_when_debug_is_on(tmp_path):
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SITE_URL)",
        ],
        HUBOPS_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8000"


def test_production_settings_are_secure(tmp_path):
    values = settings_with(DEBUG="false", SECRET_KEY=SECRET, HUBOPS_DATA_DIR=str(tmp_path))
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["HSTS"] >= 31536000
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["MFA"] is True
    csp = values["CSP"]
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert not any("unsafe-inline" in source for sources in csp.values() for source in sources)


def test_the_embedded_default_keeps_everything_under_the_data_dir(tmp_path):
    values = settings_with(HUBOPS_DATA_DIR=str(tmp_path))
    assert values["DEBUG"] is True
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"] == str(tmp_path / "hubops.sqlite3")
    assert values["BROKER"] == "filesystem://"
    assert values["BROKER_OPTIONS"]["data_folder_in"] == str(tmp_path / "broker" / "out")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    assert values["MEDIA_ROOT"] == str(tmp_path / "media")
    assert values["TIME_ZONE"] == "Europe/London"
    assert values["USE_TZ"] is True
    assert (tmp_path / "mail").is_dir()


def test_the_service_urls_take_effect(tmp_path):
    values = settings_with(
        HUBOPS_DATA_DIR=str(tmp_path / "data"),
        HUBOPS_MEDIA_ROOT=str(tmp_path / "uploads"),
        DATABASE_URL="postgres://hubops:pw@db.example:5432/hubops_live",
        CELERY_BROKER_URL="redis://redis.example:6379/0",
        CACHE_URL="redis://redis.example:6379/1",
        EMAIL_URL="smtp://mail.example:1025",
    )
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert (values["DB_NAME"], values["DB_HOST"]) == ("hubops_live", "db.example")
    assert values["BROKER"] == "redis://redis.example:6379/0"
    assert values["BROKER_OPTIONS"] == {}
    assert values["CACHE"] == "hubops.cache.HubRedisCache"  # Django's Redis cache, one client kept
    assert values["CACHE_LOCATION"] == "redis://redis.example:6379/1"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("mail.example", 1025)
    assert values["MEDIA_ROOT"] == str(tmp_path / "uploads")
    assert values["DATA_DIR"] == str(tmp_path / "data")


@pytest.mark.parametrize("url", ["filemail:///srv/hub/mail", "filemail:////srv/hub/mail"])
def test_a_filemail_url_names_an_absolute_folder(tmp_path, url):
    values = settings_with(HUBOPS_DATA_DIR=str(tmp_path), EMAIL_URL=url)
    assert values["EMAIL_FILE_PATH"] == "/srv/hub/mail"
