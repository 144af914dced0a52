"""More than one machine: docker-compose.yml can run several web and worker replicas behind
one proxy with exactly one beat, and the settings keep nothing a request needs on one node's
disk (files in an S3-compatible bucket, sessions and the cache in Redis, the beat schedule in
the database).

There is no Docker engine on the CI machine: the compose file is read with PyYAML, and the
settings are loaded in a fresh process with the environment compose gives the app services
(its ``${...}`` defaults filled in), as a container would load them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-long-random-secret-for-deployment-tests-0123456789-abcdefghijklmnopqrstuvwxyz"
SCALED = ("web", "worker")

PRINT = """
import json
import django
django.setup()
from django.conf import settings as s
from django.contrib.sessions.backends.base import SessionBase
from django.core.files.storage import storages
from django.utils.module_loading import import_string
from continuity import storage as continuity_storage

def describe(alias):
    st = storages[alias]
    from storages.backends.s3 import S3Storage
    out = {"class": type(st).__module__ + "." + type(st).__name__,
           "s3": isinstance(st, S3Storage), "label": continuity_storage.label(st)}
    for attr in ("bucket_name", "location", "endpoint_url", "default_acl", "querystring_auth",
                 "file_overwrite", "addressing_style", "region_name"):
        if hasattr(st, attr):
            out[attr] = str(getattr(st, attr))
    if out["s3"]:
        out["url"] = st.url("complaints/letters/x.pdf")
    return out

engine = import_string(s.SESSION_ENGINE + ".SessionStore")
print(json.dumps({
    "default": describe("default"),
    "backups": describe("backups"),
    "cache": s.CACHES["default"]["BACKEND"],
    "cache_location": s.CACHES["default"].get("LOCATION", ""),
    "session_engine": s.SESSION_ENGINE,
    "session_cache": s.CACHES[s.SESSION_CACHE_ALIAS]["BACKEND"],
    "session_uses_cache": hasattr(engine, "cache_key_prefix"),
    "beat": s.CELERY_BEAT_SCHEDULER,
    "trusted_proxies": s.HUBOPS_TRUSTED_PROXIES,
}))
"""


def settings_in(env: dict[str, str]) -> dict:
    """The settings a process loads with exactly ``env`` (plus PATH and the like)."""
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    environment = {k: v for k, v in os.environ.items() if k in keep}
    environment.update({"DJANGO_SETTINGS_MODULE": "hubops.settings", **env})
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


INTERPOLATION = re.compile(r"\$\{(\w+)(?::?([-?]))?([^${}]*)\}")


def interpolate(value: str, dotenv: dict[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}`` and ``${VAR:?error}``,
    with ``dotenv`` as the .env file."""

    def one(match: re.Match) -> str:
        name, kind, rest = match.group(1), match.group(2), match.group(3)
        if name in dotenv:
            return dotenv[name]
        if kind == "?":
            raise AssertionError(f"compose needs {name} in .env: {rest}")
        return rest if kind == "-" else ""

    text = str(value)
    while True:  # the innermost first: ${A-${B}}
        done = INTERPOLATION.sub(one, text)
        if done == text:
            return text.replace("$$", "$")
        text = done


# What the README tells an operator to put in .env before `docker compose up`.
DOTENV = {
    "SECRET_KEY": SECRET,
    "AWS_SECRET_ACCESS_KEY": "a-minio-secret-for-tests-only",
    "ALLOWED_HOSTS": "hub.example.org",
    "SITE_URL": "https://hub.example.org",
}


def app_environment(services: dict, name: str, dotenv: dict[str, str] = DOTENV) -> dict:
    return {k: interpolate(v, dotenv) for k, v in services[name]["environment"].items()}


@pytest.fixture(scope="module")
def compose_settings(services, tmp_path_factory) -> dict:
    env = app_environment(services, "web")
    env["HUBOPS_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))  # /data/var in the image
    env["HUBOPS_BACKUP_DIR"] = str(tmp_path_factory.mktemp("backups"))
    return settings_in(env)


# -- the compose file --------------------------------------------------------------------------


def test_web_and_worker_can_run_as_many_replicas(services):
    for name in SCALED:
        service = services[name]
        assert "container_name" not in service, f"{name} has a fixed container name"
        assert "ports" not in service, f"{name} publishes a host port: a second replica clashes"
        assert service.get("deploy", {}).get("replicas", 1) != 0
    assert "8000" in [str(p) for p in services["web"].get("expose", [])]


def test_beat_runs_exactly_once_on_the_database_scheduler(services):
    beat = services["beat"]
    assert beat["deploy"]["replicas"] == 1
    assert "container_name" not in beat and "ports" not in beat
    command = [str(part) for part in beat["command"]]
    assert command[command.index("--scheduler") + 1] == (
        "django_celery_beat.schedulers:DatabaseScheduler"
    )


def test_only_single_services_publish_host_ports_and_never_the_same_one(services):
    published = {}
    for name, service in services.items():
        for port in service.get("ports", []):
            host = interpolate(str(port), {}).rsplit(":", 1)[0]
            assert host not in published, f"{name} and {published[host]} both publish {host}"
            published[host] = name
    assert set(published.values()) <= {"proxy", "mailpit"}
    assert "proxy" in published.values()


def test_a_proxy_forwards_to_every_web_replica_by_service_name(services):
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    version = re.match(r"nginx:(\d+)\.(\d+)", proxy["image"])
    assert version, "pin nginx's version"
    major, minor = int(version.group(1)), int(version.group(2))
    assert (major, minor) >= (1, 28), "upstream `resolve` needs nginx 1.27.3 or newer"
    mounts = {m.split(":")[1]: m.split(":")[0] for m in proxy["volumes"]}
    conf_path = ROOT / mounts["/etc/nginx/conf.d/default.conf"]
    conf = conf_path.read_text()
    upstream = re.search(r"upstream (\w+) \{(.*?)\}", conf, re.S)
    assert upstream, "no upstream block"
    name, body = upstream.groups()
    # The service name, re-resolved (Docker's DNS), so scaled replicas are all used.
    assert re.search(r"^\s*server web:8000 resolve\b", body, re.M)
    assert "zone " in body
    assert re.search(r"^resolver 127\.0\.0\.11\b", conf, re.M)
    assert f"proxy_pass http://{name};" in conf
    for header in ("Host", "X-Forwarded-For", "X-Forwarded-Proto"):
        assert f"proxy_set_header {header} " in conf
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_proxy_serves_signed_links_to_the_media_bucket_read_only(services):
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    bucket = app_environment(services, "web")["AWS_STORAGE_BUCKET_NAME"]
    block = re.search(rf"location /{bucket}/ \{{(.*?)\n    \}}", conf, re.S)
    assert block, f"no location for /{bucket}/"
    body = block.group(1)
    assert "proxy_pass http://minio:9000;" in body
    # The Host the link was signed for, or MinIO refuses the signature.
    assert "proxy_set_header Host minio:9000;" in body
    assert re.search(r"limit_except GET HEAD \{\s*deny all;", body)
    env = app_environment(services, "web")
    assert env["HUBOPS_MEDIA_PUBLIC_URL"] == DOTENV["SITE_URL"]


def test_every_replica_shares_one_store_for_files_and_one_redis(services, compose):
    minio = services["minio"]
    assert "ports" not in minio, "the bucket is reached on the compose network only"
    assert "minio-data:/data" in minio["volumes"] and "minio-data" in compose["volumes"]
    buckets = " ".join(services["minio-buckets"]["entrypoint"])
    assert "mc mb --ignore-existing" in buckets and "mc anonymous set none" in buckets
    for name in (*SCALED, "beat", "migrate"):
        env = app_environment(services, name)
        assert env["HUBOPS_STORAGE"] == "s3"
        assert env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert env["HUBOPS_BACKUP_BUCKET"] and env["AWS_STORAGE_BUCKET_NAME"]
        assert env["HUBOPS_BACKUP_BUCKET"] != env["AWS_STORAGE_BUCKET_NAME"]
        assert env["CACHE_URL"].startswith("redis://redis:")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        # No node-local volume holds media.
        assert not any("/data/media" in m for m in services[name].get("volumes", []))
    for name in SCALED:
        assert services[name]["depends_on"]["minio-buckets"]["condition"] == (
            "service_completed_successfully"
        )


def test_the_trusted_proxy_network_is_the_compose_network(services, compose):
    subnet = interpolate(compose["networks"]["default"]["ipam"]["config"][0]["subnet"], {})
    assert app_environment(services, "web")["HUBOPS_TRUSTED_PROXIES"] == subnet


# -- the settings as compose gives them ---------------------------------------------------------


def test_with_the_compose_environment_files_go_to_private_buckets(compose_settings):
    media, backups = compose_settings["default"], compose_settings["backups"]
    assert media["s3"] and backups["s3"]
    assert media["bucket_name"] == "hubops-media" and media["location"] == "media"
    assert backups["bucket_name"] == "hubops-backups" and backups["location"] == "backups"
    for store in (media, backups):
        assert store["endpoint_url"] == "http://minio:9000"
        assert store["default_acl"] == "private"
        assert store["querystring_auth"] == "True"
    # Links to files are signed and expire; never a public object URL.
    assert "X-Amz-Signature=" in media["url"] and "X-Amz-Expires=" in media["url"]
    # Signed for MinIO's endpoint, handed out on the site's address (the proxy forwards it).
    assert media["url"].startswith("https://hub.example.org/hubops-media/media/")
    assert media["file_overwrite"] == "False"  # two uploads of one name keep both
    assert backups["label"] == "s3://hubops-backups/backups"


def test_with_the_compose_environment_sessions_and_cache_are_in_redis(compose_settings):
    assert compose_settings["cache"] == "hubops.cache.HubRedisCache"  # Django's, one client kept
    assert compose_settings["cache_location"] == "redis://redis:6379/1"
    assert compose_settings["session_uses_cache"]
    assert compose_settings["session_cache"] == "hubops.cache.HubRedisCache"
    assert compose_settings["beat"] == "django_celery_beat.schedulers:DatabaseScheduler"


# -- the settings chosen by the environment ------------------------------------------------------


def test_without_a_bucket_files_stay_in_folders(tmp_path):
    found = settings_in({"HUBOPS_DATA_DIR": str(tmp_path)})
    assert found["default"]["class"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["backups"]["class"] == "continuity.storage.BackupFolderStorage"
    assert found["backups"]["label"] == str((tmp_path / "backups").resolve())
    assert found["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert found["session_uses_cache"]  # cached_db: through whichever shared cache there is


def test_a_bucket_name_alone_selects_s3_for_media_and_an_endpoint_for_minio(tmp_path):
    found = settings_in(
        {
            "HUBOPS_DATA_DIR": str(tmp_path),
            "AWS_STORAGE_BUCKET_NAME": "riverside-media",
            "AWS_S3_ENDPOINT_URL": "https://objects.example.org",
            "AWS_ACCESS_KEY_ID": "test-id",
            "AWS_SECRET_ACCESS_KEY": "test-secret",
        }
    )
    assert found["default"]["s3"] and found["default"]["bucket_name"] == "riverside-media"
    assert found["default"]["url"].startswith("https://objects.example.org/riverside-media/")
    # The backups stay in their folder until a backup bucket is named.
    assert found["backups"]["class"] == "continuity.storage.BackupFolderStorage"


def test_a_backup_bucket_selects_s3_for_the_backups_only(tmp_path):
    found = settings_in(
        {
            "HUBOPS_DATA_DIR": str(tmp_path),
            "HUBOPS_BACKUP_BUCKET": "riverside-backups",
            "HUBOPS_BACKUP_PREFIX": "nightly",
            "AWS_ACCESS_KEY_ID": "test-id",
            "AWS_SECRET_ACCESS_KEY": "test-secret",
        }
    )
    assert found["backups"]["class"] == "storages.backends.s3.S3Storage"
    assert found["backups"]["label"] == "s3://riverside-backups/nightly"
    assert not found["default"]["s3"]
    assert found["backups"]["file_overwrite"] == "True"
    assert found["default"]["class"].endswith("FileSystemStorage")


def test_an_unknown_storage_is_refused(tmp_path):
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    environment = {k: v for k, v in os.environ.items() if k in keep}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "hubops.settings",
            "HUBOPS_DATA_DIR": str(tmp_path),
            "HUBOPS_STORAGE": "ftp",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "HUBOPS_STORAGE is 'folder' or 's3'" in result.stderr


def test_check_deploy_is_clean_with_the_compose_environment(services, tmp_path):
    env = app_environment(services, "web")
    env["HUBOPS_DATA_DIR"] = str(tmp_path / "data")
    env["HUBOPS_BACKUP_DIR"] = str(tmp_path / "backups")
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    environment = {k: v for k, v in os.environ.items() if k in keep}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
