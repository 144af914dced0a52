"""docker-compose.yml and the Dockerfile agree with the settings. There is no Docker engine on
the CI machine, so these read the files: every service is there with the right command, every
variable the app services set is one the settings read, the URLs name the compose services,
and the health checks and volumes exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web", "worker", "beat")
# Read from the environment by boto3 (through django-storages), never by the settings.
BOTO3_VARIABLES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command(service: dict) -> list[str]:
    value = service["command"]
    return shlex.split(value) if isinstance(value, str) else [str(part) for part in value]


def settings_variables() -> set[str]:
    """The environment variables hubops/settings.py reads through ``env``."""
    source = (ROOT / "hubops" / "settings.py").read_text()
    return set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source))


def healthcheck_test(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def test_settings_variables_are_found():
    # The parser itself must work, or the next test would pass vacuously.
    found = settings_variables()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"} <= found
    assert {"EMAIL_URL", "ALLOWED_HOSTS", "HUBOPS_DATA_DIR", "HUBOPS_MEDIA_ROOT"} <= found


def test_every_service_is_there(services):
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit", "migrate"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert "mailpit" in services["mailpit"]["image"]


def test_web_runs_gunicorn_on_the_wsgi_application(services):
    web = command(services["web"])
    assert web[0] == "gunicorn"
    module, _, attribute = settings.WSGI_APPLICATION.rpartition(".")
    assert f"{module}:{attribute}" == "hubops.wsgi:application"
    assert "hubops.wsgi:application" in web
    assert "0.0.0.0:8000" in web
    # Reached through the proxy (tests/hubops/test_deployment.py), never a host port.
    assert "8000" in services["web"]["expose"] and "ports" not in services["web"]
    assert any(str(port).endswith(":80") for port in services["proxy"]["ports"])


def test_worker_and_beat_run_celery_for_hubops(services):
    worker, beat = command(services["worker"]), command(services["beat"])
    assert worker[:4] == ["celery", "-A", "hubops", "worker"]
    assert beat[:4] == ["celery", "-A", "hubops", "beat"]
    if "--scheduler" in beat:
        scheduler = beat[beat.index("--scheduler") + 1]
        assert scheduler == settings.CELERY_BEAT_SCHEDULER
    else:
        assert settings.CELERY_BEAT_SCHEDULER.startswith("django_celery_beat")


def test_migrations_run_before_the_app_starts(services):
    assert command(services["migrate"])[-3:] == ["manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_the_app_services_set_only_variables_the_settings_read(services):
    known = settings_variables()
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        unknown = set(environment) - known - BOTO3_VARIABLES
        assert not unknown, f"{name} sets {unknown}, which hubops/settings.py never reads"


def test_the_app_services_point_at_the_compose_services(services):
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["DEBUG"] == "false"
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert re.fullmatch(
            r"postgres://hubops:.*@postgres:5432/hubops", environment["DATABASE_URL"]
        )
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert environment["CACHE_URL"] == "redis://redis:6379/1"
        assert "smtp://mailpit:1025" in environment["EMAIL_URL"]
        assert "127.0.0.1" in environment["ALLOWED_HOSTS"]  # the health check's Host header
        # Media in the shared bucket, not on a volume of one machine.
        assert environment["HUBOPS_STORAGE"] == "s3"
        assert "HUBOPS_MEDIA_ROOT" not in environment
    postgres = services["postgres"]["environment"]
    assert postgres["POSTGRES_DB"] == postgres["POSTGRES_USER"] == "hubops"


def test_health_checks_and_volumes(compose, services):
    for name in ("postgres", "redis", "minio", "web", "worker", "beat", "mailpit", "proxy"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert "pg_isready" in healthcheck_test(services["postgres"])
    assert "ping" in healthcheck_test(services["redis"])
    assert "/healthz" in healthcheck_test(services["web"])
    assert "inspect ping" in healthcheck_test(services["worker"])
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert {"postgres-data", "minio-data"} <= set(compose["volumes"])
    # The web health check's URL is the app's health view.
    assert resolve("/healthz").url_name == "healthz"


def test_the_dockerfile_agrees(services):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim-bookworm", dockerfile, re.MULTILINE)
    # The system packages WeasyPrint needs are the ones `make run` checks for.
    ensure = (ROOT / "scripts" / "ensure-system-deps.sh").read_text()
    needed = re.search(r"packages\+=\((libpango[^)]*)\)", ensure).group(1).split()
    for package in needed:
        assert package in dockerfile, f"the Dockerfile does not install {package}"
    assert "pip install -r requirements.lock" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    user = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert user and user[-1] not in {"root", "0"}
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1)
    assert yaml.safe_load(cmd)[:2] == ["gunicorn", "hubops.wsgi:application"]
    assert "EXPOSE 8000" in dockerfile
    # The variables the image sets are ones the settings read, and match compose.
    image_env = set(re.findall(r"\b(HUBOPS_[A-Z_]+)=", dockerfile))
    assert image_env <= settings_variables()
    for name in APP_SERVICES:
        assert services[name]["build"] == "."


def test_the_nightly_backup_can_run_in_the_image(services, compose):
    """The worker runs the nightly backup: the image has pg_dump and pg_restore of the database
    server's major version (a pg_dump older than its server refuses to dump it), and the
    archives go to their own bucket (or, with HUBOPS_BACKUP_BUCKET empty, a named volume of
    the worker, which runs it), not into the container."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "python:3.11-slim-bookworm" in dockerfile
    assert re.search(r"apt-get install[^&]*\bpostgresql-client\b", dockerfile, re.S)
    assert services["postgres"]["image"] == "postgres:15"  # bookworm's postgresql-client is 15
    for name in ("worker", "beat"):
        env = services[name]["environment"]
        assert env["HUBOPS_BACKUP_BUCKET"] == "${HUBOPS_BACKUP_BUCKET-hubops-backups}"
        assert env["HUBOPS_BACKUP_DIR"] == "/data/backups"
    mounts = {m.split(":")[1]: m.split(":")[0] for m in services["worker"]["volumes"]}
    assert mounts["/data/backups"] in compose["volumes"]
