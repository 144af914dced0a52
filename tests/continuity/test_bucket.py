"""Backups into a bucket, and media in one: the nightly run, pruning, the restore test, a
restore on a new server and the key-contacts file, with no folder involved.

What plays the buckets: Django's InMemoryStorage, configured as ``STORAGES["backups"]`` (and
``STORAGES["default"]`` for the media). There is no S3 server on the test machine (moto is not
installed), and a hand-made S3 stand-in would only test itself; the code under test talks to
Django's storage API only, so any storage that is not a folder takes the bucket's path through
it (downloads to a temporary file, saves under the final name). That django-storages' S3
backend is what the environment selects is tested in tests/hubops/test_deployment.py."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse

from continuity import archive, crypto, services, storage
from continuity.models import BackupRun, RunKind, RunStatus
from hubops.roles import Role
from tests.factories import StaffFactory

from .conftest import KEY, build_hub, hubops
from .snapshot import snapshot
from .test_backup_restore import empty_database

pytestmark = pytest.mark.django_db(transaction=True)

MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
NOW = dt.datetime(2026, 11, 30, 1, 30, tzinfo=dt.UTC)


@pytest.fixture
def buckets(hubdir, settings):
    settings.STORAGES = {**settings.STORAGES, "default": MEMORY, "backups": MEMORY}
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    return storages["default"], storages["backups"]


@pytest.fixture
def dpl(buckets):
    return StaffFactory(
        email="dpl@example.org", full_name="Dana Fictional", roles=[Role.DATA_PROTECTION_LEAD]
    )


def no_folders_written(tmp_path) -> bool:
    return not (tmp_path / "backups").exists() and not (tmp_path / "media").exists()


def test_the_nightly_run_backs_up_into_the_bucket_prunes_it_and_verifies_from_it(
    buckets, dpl, tmp_path
):
    media, backups = buckets
    build_hub(tmp_path)
    assert len(storage.walk(media)) >= 2  # the flyers, in the media bucket
    for days in range(1, 61):
        old = services.archive_name(NOW - dt.timedelta(days=days))
        backups.save(old, ContentFile(b"an older archive"))
    mail.outbox.clear()

    run = services.backup_nightly(now=NOW)

    assert run is not None and run.kind == RunKind.VERIFY
    assert run.status == RunStatus.SUCCEEDED, run.detail
    names = services.archives()
    assert names[0] == services.archive_name(NOW) == run.archive_name
    assert 9 <= len(names) <= 1 + 7 + 4 + 12  # the policy pruned the bucket
    assert not [m for m in mail.outbox if "backup" in m.subject.lower()]
    assert no_folders_written(tmp_path)
    # What is in the bucket is a whole archive: every media file, every table.
    with storage.local_copy(backups, names[0]) as local:
        manifest, _ = archive.read_archive(local, key=KEY, into=tmp_path / "unpacked")
    assert set(manifest["media"]["files"]) == set(storage.walk(media))
    assert manifest["database"]["tables"]["workgroups_workgroup"] > 0


def test_a_damaged_archive_in_the_bucket_fails_the_restore_test_and_the_dpl_is_told(
    buckets, dpl, tmp_path, client, monkeypatch
):
    """The restore test reads the archive back from the bucket, not the local copy it was
    made from: an object damaged on its way in is caught, mailed and shown."""
    build_hub(tmp_path)
    real_put = storage.put

    def put_damaged(target, name, staged):
        if name.endswith(".tar.gz.enc"):
            data = bytearray(staged.read_bytes())
            data[len(data) // 2] ^= 0x01
            staged.write_bytes(bytes(data))
        return real_put(target, name, staged)

    monkeypatch.setattr(storage, "put", put_damaged)
    mail.outbox.clear()
    services.backup_nightly(now=NOW)

    verify = BackupRun.objects.get(kind=RunKind.VERIFY)
    assert verify.status == RunStatus.FAILED
    assert "damaged or was tampered with" in verify.detail
    sent = [m for m in mail.outbox if "restore test" in m.subject]
    assert len(sent) == 1 and "dpl@example.org" in sent[0].to
    client.force_login(dpl)
    home = client.get(reverse("staff_dashboard")).content.decode()
    assert "The last restore test failed" in home and verify.archive_name in home


def test_verify_and_list_name_archives_in_the_bucket(buckets, tmp_path):
    build_hub(tmp_path)
    out = StringIO()
    call_command("backup", stdout=out)
    reference = out.getvalue().strip().splitlines()[-1]
    name = services.archives()[0]
    assert reference == f"InMemoryStorage:/{name}"
    listed = StringIO()
    call_command("backup", list=True, stdout=listed)
    assert name in listed.getvalue()
    for ref in (reference, name):
        checked = StringIO()
        call_command("backup", verify=ref, stdout=checked)
        assert f"Verified {name}" in checked.getvalue()
    missing = StringIO()
    with pytest.raises(Exception, match="did not verify"):
        call_command("backup", verify="hubops-backup-20200101T000000Z.tar.gz.enc", stderr=missing)
    assert "No archive at" in missing.getvalue()


def test_a_new_server_restores_from_the_bucket(buckets, tmp_path):
    build_hub(tmp_path)
    before = snapshot()
    result = services.backup_create(trigger="test")
    # Hand the bucket's object (its bytes) to a fresh hubops with an empty database.
    copy = tmp_path / result.name
    with storages["backups"].open(result.name, "rb") as stored:
        copy.write_bytes(stored.read())
    with empty_database(tmp_path) as url:
        env = {
            "DATABASE_URL": url,
            "HUBOPS_DATA_DIR": str(tmp_path / "new-server"),
            "HUBOPS_MEDIA_ROOT": str(tmp_path / "new-server-media"),
        }
        after = json.loads(
            hubops(["-m", "tests.continuity.restore_from_memory", str(copy)], env=env).stdout
        )
    assert "every count and hash as in the manifest" in after["restore"]
    assert after["tables"] == before["tables"]
    assert after["files"] == before["files"] and before["files"]
    assert after["selectors"] == before["selectors"]
    assert not (tmp_path / "new-server-media").exists()  # the media went to the bucket


def test_the_key_contacts_file_goes_to_the_bucket_and_is_replaced(buckets, dpl, tmp_path):
    _, backups = buckets
    for hours in range(3):
        services.key_contacts_export(now=NOW + dt.timedelta(hours=hours))
    stored = storage.walk(backups, services.CONTACTS_DIR)
    latest = f"{services.CONTACTS_DIR}/{services.CONTACTS_LATEST}"
    assert stored.count(latest) == 1 and len(stored) == 1 + 3
    with backups.open(latest, "rb") as f:
        html = crypto.decrypt_bytes(f.read(), KEY).decode()
    assert "Dana Fictional" in html
    out = StringIO()
    call_command("key_contacts", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == f"InMemoryStorage:/{latest}"
    assert no_folders_written(tmp_path)
