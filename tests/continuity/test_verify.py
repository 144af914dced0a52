"""``backup --verify``: a good archive restores into a scratch database and matches its
manifest; a corrupted, truncated, tampered or wrongly keyed one says so and exits non-zero."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from continuity import archive, engines, services
from continuity.models import BackupRun, RunKind, RunStatus

from .conftest import build_hub

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive_path(hubdir, tmp_path) -> Path:
    build_hub(tmp_path)
    out = StringIO()
    call_command("backup", stdout=out)
    return Path(out.getvalue().strip().splitlines()[-1])


def verify(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("backup", verify=str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_archive_verifies_and_the_run_is_recorded(archive_path):
    out, _ = verify(archive_path)
    assert f"Verified {archive_path.name}" in out
    assert "match the manifest" in out
    run = BackupRun.objects.filter(kind=RunKind.VERIFY).get()
    assert run.status == RunStatus.SUCCEEDED and run.rows > 100 and run.files >= 2


def test_a_flipped_byte_is_reported_as_damage(archive_path):
    data = bytearray(archive_path.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive_path.write_bytes(bytes(data))
    err = StringIO()
    with pytest.raises(CommandError, match="did not verify"):
        call_command("backup", verify=str(archive_path), stdout=StringIO(), stderr=err)
    assert "VERIFICATION FAILED" in err.getvalue()
    assert "damaged or was tampered with" in err.getvalue()
    assert BackupRun.objects.get(kind=RunKind.VERIFY).status == RunStatus.FAILED


def test_a_truncated_archive_is_reported(archive_path):
    data = archive_path.read_bytes()
    archive_path.write_bytes(data[: len(data) - 100])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("backup", verify=str(archive_path), stdout=StringIO(), stderr=err)
    assert "truncated" in err.getvalue() or "damaged" in err.getvalue()


def test_the_wrong_key_is_told_apart_from_damage(archive_path, settings):
    settings.HUBOPS_BACKUP_KEY = "another-key-entirely-0123456789abcdef"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("backup", verify=str(archive_path), stdout=StringIO(), stderr=err)
    assert "The key does not open this file" in err.getvalue()


def test_not_an_archive_at_all(hubdir, tmp_path):
    bogus = tmp_path / "hubops-backup-20260101T000000Z.tar.gz.enc"
    bogus.write_bytes(b"PK\x03\x04 this is a zip file, not a backup" * 10)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("backup", verify=str(bogus), stdout=StringIO(), stderr=err)
    assert "not a hubops encrypted file" in err.getvalue()


def test_an_archive_whose_database_disagrees_with_its_manifest_prints_what_differs(
    hubdir, tmp_path, monkeypatch
):
    """A dump that lost rows between counting and archiving (the failure verification
    exists to catch): the verification names the table and both counts."""
    build_hub(tmp_path)
    real_engine_for = engines.engine_for

    def lying_engine_for(alias="default"):
        engine = real_engine_for(alias)
        real_dump = engine.dump

        def dump(target):
            description = real_dump(target)
            description["tables"]["complaints_complaint"] += 2
            description["tables"]["made_up_table"] = 1
            return description

        engine.dump = dump
        return engine

    monkeypatch.setattr(engines, "engine_for", lying_engine_for)
    result = services.backup_create(trigger="test")
    monkeypatch.undo()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("backup", verify=str(result.path), stdout=StringIO(), stderr=err)
    text = err.getvalue()
    real = result.manifest["database"]["tables"]["complaints_complaint"] - 2
    assert f"rows differ in complaints_complaint: {real} restored, {real + 2} backed up" in text
    assert "table missing: made_up_table" in text


def test_a_media_file_that_does_not_match_the_manifest_is_named(hubdir, tmp_path):
    build_hub(tmp_path)
    real_add = archive._add_stream

    def add_then_misreport(tar, name, path):
        meta = real_add(tar, name, path)
        if name.startswith("media/") and "flyer-0" in name:
            meta = {**meta, "sha256": "0" * 64}
        return meta

    archive._add_stream = add_then_misreport
    try:
        result = services.backup_create(trigger="test")
    finally:
        archive._add_stream = real_add
    verified = services.backup_verify(path=result.path)
    assert not verified.ok
    assert any("file differs: media/workgroups/flyers/flyer-0" in d for d in verified.differences)


def test_after_a_key_rotation_old_archives_open_with_the_previous_key(archive_path, settings):
    old = settings.HUBOPS_BACKUP_KEY
    settings.HUBOPS_BACKUP_KEY = "the-new-key-after-rotation-0123456789"
    settings.HUBOPS_BACKUP_PREVIOUS_KEYS = [old]
    out, _ = verify(archive_path)
    assert f"Verified {archive_path.name}" in out
