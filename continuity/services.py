"""Continuity writes: backups, verifications, pruning, the nightly run and the key-contacts
file. Restoring is in ``restore_services.py``, the handover to a successor Lead School in
``handover_services.py``.

Where files go: archives and the key-contacts file into ``STORAGES["backups"]`` (a folder,
``HUBOPS_BACKUP_DIR``, or a bucket, ``HUBOPS_BACKUP_BUCKET``); media are read from and restored
into ``STORAGES["default"]`` (a folder or a bucket too). See :mod:`continuity.storage`.

Reading the choice of tools: django-dbbackup (maintained; 5.x uses ``pg_dump`` and, since 5.0,
SQLite's ``.backup``; gzip, GPG, Django storages) was weighed and not used. It writes the
database and the media as two separate archives with no manifest, so a restore cannot be
proven against row counts and file hashes, and it has no restore-into-a-scratch-database
check; its encryption is GPG through the ``gpg`` binary and a keyring on the server (one more
secret store to keep and rotate). What hubops needs beyond ``pg_dump`` and ``sqlite3``'s backup
API is small: a tar stream, a manifest and authenticated encryption (``cryptography``'s
AES-GCM, already installed for allauth's MFA), so it is here, with tests.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from hubops import audit
from hubops.emails import queue_email
from hubops.models import Hub
from hubops.roles import Role, users_with_role
from hubops.workflow import DomainError

from . import archive, contacts, crypto, engines, retention, storage
from .models import BackupRun, RunKind, RunStatus

ARCHIVE_RE = re.compile(r"^hubops-backup-(\d{8}T\d{6}Z)\.tar\.gz\.enc$")


class ContinuityError(DomainError):
    """A continuity operation was refused or failed; the message is for the operator."""


# -- settings ----------------------------------------------------------------------------------


def backup_key() -> bytes:
    try:
        return crypto.check_key(getattr(settings, "HUBOPS_BACKUP_KEY", ""))
    except crypto.ArchiveError as exc:
        raise ContinuityError(str(exc)) from None


def backup_keys() -> list[str | bytes]:
    """The keys that may open an archive: the current one first, then the previous ones
    (``HUBOPS_BACKUP_PREVIOUS_KEYS``) kept after a rotation until old archives age out."""
    keys: list[str | bytes] = [backup_key()]
    for old in getattr(settings, "HUBOPS_BACKUP_PREVIOUS_KEYS", []):
        if old and old.encode() not in keys:
            keys.append(old)
    return keys


def backup_dir() -> Path:
    """The backup folder setting (``HUBOPS_BACKUP_DIR``); archives go to
    ``STORAGES["backups"]``, which is that folder unless a bucket is configured."""
    return Path(settings.HUBOPS_BACKUP_DIR)


def code_version() -> str:
    """``git describe`` of the running code, or the package version when not a checkout."""
    try:
        result = subprocess.run(
            ["git", "describe", "--tags", "--always", "--dirty"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass  # no git here (an image, a tarball): the package version below says it instead
    try:
        return metadata.version("hubops")
    except metadata.PackageNotFoundError:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
            return str(tomllib.load(f)["project"]["version"])


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations the code has that the database does not (``app.name``)."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]


def archive_name(now: dt.datetime) -> str:
    return f"hubops-backup-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.tar.gz.enc"


def archive_time(name: str | os.PathLike[str]) -> dt.datetime | None:
    match = ARCHIVE_RE.match(os.path.basename(name))
    if not match:
        return None
    return dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def archives() -> list[str]:
    """The names of the backup archives in ``STORAGES["backups"]``, newest first."""
    try:
        _, files = storage.backups().listdir("")
    except FileNotFoundError:
        return []
    stamped = {name: stamp for name in files if (stamp := archive_time(name))}
    return sorted(stamped, key=stamped.__getitem__, reverse=True)


def _record(**fields: Any) -> BackupRun:
    run = BackupRun.objects.create(**fields)
    audit.record(
        None,
        run,
        f"continuity.{run.kind}.{run.status}",
        data={"archive": run.archive_name, "trigger": run.trigger},
    )
    return run


@contextmanager
def archive_file(ref: str | os.PathLike[str]) -> Iterator[Path]:
    """A local file for the archive ``ref``: a file on this machine, or a name (or the
    ``s3://...`` reference ``backup`` printed) in ``STORAGES["backups"]``, downloaded."""
    local = Path(ref)
    if local.is_file():
        yield local
        return
    backups = storage.backups()
    name = storage.name_in(backups, str(ref))
    if name is None:
        raise crypto.ArchiveError(f"No archive at {ref} (nor in {storage.label(backups)}).")
    with storage.local_copy(backups, name) as path:
        yield path


# -- backup ------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    name: str
    reference: str  # a path for a folder, s3://bucket/prefix/name for a bucket
    manifest: dict
    run: BackupRun

    @property
    def path(self) -> Path:
        """The archive's path, when the backups go to a folder."""
        return Path(self.reference)


def _write_backup(name: str, started: dt.datetime) -> tuple[dict, str, int]:
    """Write the archive ``name`` into the backups storage (staged locally, then put)."""
    backups = storage.backups()
    hub = Hub.current()
    key = backup_key()
    engine = engines.engine_for()
    with tempfile.TemporaryDirectory(
        prefix=".hubops-backup-", dir=storage.staging_dir(backups)
    ) as tmp:
        staged = Path(tmp) / name
        result = archive.write_archive(
            staged,
            key=key,
            engine=engine,
            media=storage.media(),
            manifest={
                "kind": "hubops-backup",
                "created_at": started.isoformat(),
                "code_version": code_version(),
                "hub": {"name": hub.name, "code": hub.code} if hub else None,
                "unapplied_migrations": unapplied_migrations(),
            },
        )
        storage.put(backups, name, staged)
    return result


def backup_create(*, trigger: str = "command", now: dt.datetime | None = None) -> BackupResult:
    """Write one encrypted archive of the database and the media files; record the run.
    Raises :class:`ContinuityError` (after recording a failed run) when it cannot."""
    started = timezone.now()
    name = archive_name(now or started)
    backups = storage.backups()
    if backups.exists(name):
        raise ContinuityError(f"{name} exists already: run the backup again in a second.")
    try:
        manifest, sha, size = _write_backup(name, started)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and reported in words
        _record(
            kind=RunKind.BACKUP,
            status=RunStatus.FAILED,
            started_at=started,
            finished_at=timezone.now(),
            trigger=trigger,
            archive_name=name,
            detail=str(exc),
        )
        if isinstance(exc, ContinuityError):
            raise
        raise ContinuityError(f"The backup failed: {exc}") from exc
    tables = manifest["database"]["tables"]
    run = _record(
        kind=RunKind.BACKUP,
        status=RunStatus.SUCCEEDED,
        started_at=started,
        finished_at=timezone.now(),
        trigger=trigger,
        archive_name=name,
        archive_sha256=sha,
        archive_bytes=size,
        tables=len(tables),
        rows=sum(tables.values()),
        files=manifest["media"]["count"],
    )
    return BackupResult(
        name=name, reference=storage.reference(backups, name), manifest=manifest, run=run
    )


# -- verify ------------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    path: str
    ok: bool
    differences: list[str] = field(default_factory=list)
    manifest: dict | None = None
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def _restore_test(ref: str | os.PathLike[str], result: VerifyResult) -> None:
    """Unpack ``ref``, compare its files, restore its database into a scratch one and compare
    that; what differs goes into ``result``."""
    keys = backup_keys()
    with archive_file(ref) as path, tempfile.TemporaryDirectory(prefix="hubops-verify-") as tmp:
        manifest, found = archive.read_archive(path, key=keys, into=Path(tmp))
        result.manifest = manifest
        result.differences += archive.compare_files(manifest, found)
        engine = engines.engine_named(manifest["database"]["engine"])
        dump = Path(tmp).joinpath(*manifest["database"]["file"].split("/"))
        if dump.exists():
            with engine.scratch(dump, Path(tmp)) as description:
                result.differences += archive.compare_database(manifest, description)


def backup_verify(
    *, path: str | os.PathLike[str], trigger: str = "command", record: bool = True
) -> VerifyResult:
    """Restore the archive ``path`` (a local file, or a name in the backups storage) into a
    scratch database (a temporary SQLite file, or a PostgreSQL database created and dropped
    here) and compare it, and every file, with the manifest."""
    started, clock = timezone.now(), time.monotonic()
    result = VerifyResult(path=str(path), ok=False)
    try:
        _restore_test(path, result)
    except (crypto.ArchiveError, engines.EngineError, ContinuityError) as exc:
        result.differences.append(str(exc))
    except OSError as exc:
        result.differences.append(f"Could not read the archive: {exc}")
    except Exception as exc:  # noqa: BLE001 - a verification reports every failure
        result.differences.append(f"The restore test failed: {type(exc).__name__}: {exc}")
    result.ok = not result.differences
    result.seconds = time.monotonic() - clock
    if record:
        m = result.manifest
        tables = m["database"]["tables"] if m else {}
        _record(
            kind=RunKind.VERIFY,
            status=RunStatus.SUCCEEDED if result.ok else RunStatus.FAILED,
            started_at=started,
            finished_at=timezone.now(),
            trigger=trigger,
            archive_name=result.name,
            tables=len(tables) if m else None,
            rows=sum(tables.values()) if m else None,
            files=m["media"]["count"] if m else None,
            detail="\n".join(result.differences),
        )
    return result


# -- retention and the nightly run ------------------------------------------------------------


def backup_prune(*, keep_also: str | None = None) -> list[str]:
    """Delete the archives the retention policy no longer keeps (never ``keep_also``, a name).
    Returns the names deleted."""
    policy = settings.HUBOPS_BACKUP_RETENTION
    backups = storage.backups()
    stamps = {stamp: name for name in archives() if (stamp := archive_time(name))}
    keep = retention.keep(
        list(stamps),
        daily=policy["daily"],
        weekly=policy["weekly"],
        monthly=policy["monthly"],
        tz=timezone.get_default_timezone(),
    )
    deleted = []
    for stamp, name in stamps.items():
        if stamp not in keep and name != keep_also:
            backups.delete(name)
            deleted.append(name)
    return deleted


def _tell_data_protection_lead(*, subject: str, problem: str, archive_name: str) -> None:
    to = [u.email for u in users_with_role(Role.DATA_PROTECTION_LEAD)]
    if not to:
        to = [u.email for u in users_with_role(Role.MHL)]
    if to:
        queue_email(
            to=to,
            template_prefix="continuity/email/backup_problem",
            context={"subject": subject, "problem": problem, "archive_name": archive_name},
        )


def backup_nightly(*, now: dt.datetime | None = None) -> BackupRun | None:
    """Back up, prune by the retention policy, then verify the newest archive by restoring it
    (from where it was stored: the folder or the bucket). A failure of either is mailed to the
    data protection lead and shown on their page."""
    try:
        result = backup_create(trigger="nightly", now=now)
    except ContinuityError as exc:
        _tell_data_protection_lead(
            subject="Last night's backup failed", problem=str(exc), archive_name=""
        )
        return BackupRun.objects.filter(kind=RunKind.BACKUP).first()
    backup_prune(keep_also=result.name)
    verified = backup_verify(path=result.reference, trigger="nightly")
    if not verified.ok:
        _tell_data_protection_lead(
            subject="A backup failed its restore test",
            problem="\n".join(verified.differences),
            archive_name=result.name,
        )
    return BackupRun.objects.filter(kind=RunKind.VERIFY).first()


# -- key contacts for a bad day ---------------------------------------------------------------

CONTACTS_DIR = "contacts"
CONTACTS_LATEST = "key-contacts-latest.enc"
CONTACTS_KEEP = 6


def key_contacts_export(*, now: dt.datetime | None = None, trigger: str = "beat") -> BackupRun:
    """Write the encrypted key-contacts file (``contacts/key-contacts-latest.enc`` in the
    backups storage, plus a dated copy; the last few dated copies are kept)."""
    now = now or timezone.now()
    key = backup_key()
    tables = contacts.gather(now)
    sealed = crypto.encrypt_bytes(contacts.render(tables, now=now), key)
    backups = storage.backups()
    dated = f"{CONTACTS_DIR}/key-contacts-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.enc"
    latest = f"{CONTACTS_DIR}/{CONTACTS_LATEST}"
    for name in (dated, latest):
        storage.put_bytes(backups, name, sealed)
    copies = [
        n
        for n in storage.walk(backups, CONTACTS_DIR)
        if os.path.basename(n).startswith("key-contacts-2")
    ]
    for old in sorted(copies, reverse=True)[CONTACTS_KEEP:]:
        backups.delete(old)
    return _record(
        kind=RunKind.CONTACTS,
        status=RunStatus.SUCCEEDED,
        started_at=now,
        finished_at=timezone.now(),
        trigger=trigger,
        archive_name=latest,
        archive_bytes=len(sealed),
        rows=sum(len(t.rows) for t in tables),
    )
