"""Back up a hub, destroy it, restore it: every row count, every file hash and what the
selectors return are identical. On SQLite here; on PostgreSQL (into scratch databases this test
creates and drops) when DATABASE_URL is PostgreSQL."""

from __future__ import annotations

import json
import shutil
import uuid
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from continuity import engines
from hubops.models import User

from . import probe
from .conftest import KEY, build_hub, hubops
from .snapshot import snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def backup() -> Path:
    out = StringIO()
    call_command("backup", stdout=out)
    return Path(out.getvalue().strip().splitlines()[-1])


def restored_snapshot(env: dict[str, str]) -> dict:
    result = hubops(["-m", "tests.continuity.snapshot"], env=env)
    return json.loads(result.stdout)


def round_trip(tmp_path: Path, database_url: str) -> tuple[dict, dict, dict]:
    build_hub(tmp_path)
    # The tests hash with MD5 for speed; the restored hub runs with the production hashers.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        for email in (probe.TEACHER, probe.STAFF):
            user = User.objects.get(email=email)
            user.set_password(probe.PASSWORD)
            user.save(update_fields=["password"])
    before = snapshot()
    assert before["files"], "the demo hub should have uploaded files"
    for kind in ("complaints", "catalogue", "data_requests", "breaches", "leaders", "meetings"):
        assert before["selectors"][kind], f"the hub should have {kind} to compare"
    path = backup()
    assert path.exists() and path.parent == tmp_path / "backups"

    # Destroy the media; the database is a new, empty one.
    media = tmp_path / "media"
    shutil.rmtree(media)
    env = {
        "DATABASE_URL": database_url,
        "HUBOPS_DATA_DIR": str(tmp_path / "restored-data"),
        "HUBOPS_MEDIA_ROOT": str(media),
    }
    out = hubops(["restore", str(path)], env=env).stdout
    assert "every count and hash as in the manifest" in out
    after = restored_snapshot(env)
    # Then sign in (which writes sessions, so after the snapshot).
    seen = json.loads(hubops(["-m", "tests.continuity.probe"], env=env).stdout)
    return before, after, seen


@contextmanager
def empty_database(tmp_path: Path):
    """A new, empty database of this run's engine: an SQLite file, or a PostgreSQL database
    this test creates on the same server and drops after (never another run's)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    engine = engines.PostgresEngine()
    scratch = f"hubops_restore_test_{uuid.uuid4().hex[:12]}"
    engine.create_database(scratch)
    s = connection.settings_dict
    try:
        yield f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{scratch}"
    finally:
        engine.drop_database(scratch)


def test_back_up_destroy_restore_is_identical(hubdir, tmp_path):
    """On SQLite in the default run, on PostgreSQL in CI's PostgreSQL run."""
    with empty_database(tmp_path) as url:
        before, after, seen = round_trip(tmp_path, url)
    assert after["tables"] == before["tables"]
    assert after["files"] == before["files"]
    assert after["selectors"] == before["selectors"]
    # Everyone signs in to the restored hub as before (a restore, unlike a handover, keeps
    # staff accounts as they were).
    assert seen["teacher_signed_in"] and seen["staff_signed_in"]


@pytest.mark.postgres
def test_postgresql_verify_uses_its_own_scratch_database_and_drops_it(hubdir, tmp_path):
    import psycopg

    def verify_databases() -> set[str]:
        params = engines.PostgresEngine()._params("postgres")
        with psycopg.connect(**params) as conn:
            rows = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'hubops_verify_%'"
            ).fetchall()
        return {r[0] for r in rows}

    build_hub(tmp_path)
    path = backup()
    existing = verify_databases()
    seen = set()
    real_describe = engines.PostgresEngine.describe

    def spy(self, dbname=None):
        if dbname:
            seen.add(dbname)
        return real_describe(self, dbname)

    engines.PostgresEngine.describe = spy
    try:
        out = StringIO()
        call_command("backup", verify=str(path), stdout=out)
    finally:
        engines.PostgresEngine.describe = real_describe
    assert "restored into a scratch postgresql database" in out.getvalue()
    assert seen and all(name.startswith("hubops_verify_") for name in seen)
    assert connection.settings_dict["NAME"] not in seen
    assert verify_databases() == existing  # dropped again


def test_restore_refuses_a_database_that_is_not_empty(hubdir, tmp_path):
    build_hub(tmp_path)
    path = backup()
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(path))


def test_restore_refuses_media_that_is_not_empty(hubdir, tmp_path):
    build_hub(tmp_path)
    path = backup()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
        "HUBOPS_DATA_DIR": str(tmp_path / "new-data"),
        "HUBOPS_MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = hubops(["restore", str(path)], env=env, check=False)
    assert result.returncode != 0
    assert "media folder" in result.stderr and "is not empty" in result.stderr


def test_backup_refuses_without_a_key(hubdir, settings):
    settings.HUBOPS_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="set HUBOPS_BACKUP_KEY"):
        call_command("backup", stdout=StringIO())
    assert not (hubdir / "backups").exists() or not any((hubdir / "backups").iterdir())


def test_the_archive_is_encrypted(hubdir, tmp_path):
    build_hub(tmp_path)
    path = backup()
    raw = path.read_bytes()
    assert raw.startswith(b"HUBOPSE1")
    for needle in (b"SQLite format 3", b"demo.hub.example", b"manifest.json", b"CMP-DEMO"):
        assert needle not in raw
    assert KEY.encode() not in raw


def test_restore_of_a_damaged_archive_says_so_and_writes_nothing(hubdir, tmp_path):
    build_hub(tmp_path)
    path = backup()
    data = bytearray(path.read_bytes())
    data[-5000] ^= 0x40
    path.write_bytes(bytes(data))
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "HUBOPS_DATA_DIR": str(tmp_path / "empty-data"),
        "HUBOPS_MEDIA_ROOT": str(tmp_path / "empty-media"),
    }
    result = hubops(["restore", str(path)], env=env, check=False)
    assert result.returncode != 0
    assert "Nothing was restored" in result.stderr
    assert "damaged" in result.stderr or "tampered" in result.stderr
    tables = json.loads(
        hubops(["-m", "tests.continuity.snapshot", "--no-selectors"], env=env).stdout
    )
    assert tables["tables"] == {} and tables["files"] == {}
