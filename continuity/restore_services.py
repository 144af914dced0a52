"""Restoring a backup archive into this install's empty database and media storage (the
operator's ``python manage.py restore``); the backups themselves are in ``services.py``."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, connections

from . import archive, crypto, engines, storage
from .services import ContinuityError, archive_file, backup_keys, unapplied_migrations


@dataclass
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    files: int
    warnings: list[str]


def _refuse_unless_empty(engine: Any, media: Storage) -> None:
    try:
        present = engine.target_tables()
    except Exception as exc:  # noqa: BLE001 - any database error is reported in words
        raise ContinuityError(f"Cannot reach the database to restore into: {exc}") from exc
    if present:
        raise ContinuityError(
            f"The database is not empty ({len(present)} tables, e.g. {present[0]}). Restore "
            "needs an empty database: create a new one and point DATABASE_URL at it (or drop "
            "this one after taking a backup of it). Do not run migrate first."
        )
    if storage.walk(media):
        raise ContinuityError(
            f"The media folder {storage.label(media)} is not empty: move it aside (or set "
            "HUBOPS_MEDIA_ROOT to an empty folder, or the media bucket to an empty one) and "
            "run restore again."
        )


def restore_media(source: Path, media: Storage) -> int:
    """Put every file unpacked under ``source`` into the ``media`` storage, under the same
    name (a folder storage moves each file in). Returns how many."""
    count = 0
    if not source.is_dir():
        return 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        storage.put(media, path.relative_to(source).as_posix(), path)
        count += 1
    return count


def _restored_differences(manifest: dict, engine: Any, media: Storage) -> list[str]:
    """What differs between the manifest and this install after the restore."""
    description = engine.describe(None) if engine.name == "postgresql" else _sqlite_describe()
    differences = archive.compare_database(manifest, description)
    files = archive.media_hashes(media)
    want = {rel: meta["sha256"] for rel, meta in manifest["media"]["files"].items()}
    differences += [
        f"file differs after restore: {rel}" for rel in want if files.get(rel) != want[rel]
    ]
    return differences


def _migration_warnings() -> list[str]:
    pending = unapplied_migrations()
    if not pending:
        return []
    return [
        f"The code has {len(pending)} migration(s) newer than the backup "
        f"({', '.join(pending[:5])}{'...' if len(pending) > 5 else ''}): run "
        "`python manage.py migrate` next."
    ]


def backup_restore(*, path: str | os.PathLike[str], media: Storage | None = None) -> RestoreResult:
    """Restore the archive ``path`` (a local file, or a name in the backups storage) into this
    install's database (which must be empty) and media storage (which must hold no file).
    Checks every hash before it writes anything and every row count after."""
    keys = backup_keys()
    media = media or storage.media()
    engine = engines.engine_for()
    _refuse_unless_empty(engine, media)
    with tempfile.TemporaryDirectory(prefix="hubops-restore-") as tmp:
        try:
            with archive_file(path) as local:
                manifest, found = archive.read_archive(local, key=keys, into=Path(tmp))
            problems = archive.compare_files(manifest, found)
            if problems:
                raise ContinuityError(
                    "The archive does not match its manifest; nothing was restored:\n  "
                    + "\n  ".join(problems)
                )
            engine = engines.engine_named(manifest["database"]["engine"])
            engine.restore(Path(tmp).joinpath(*manifest["database"]["file"].split("/")))
        except (crypto.ArchiveError, engines.EngineError) as exc:
            raise ContinuityError(f"Nothing was restored: {exc}") from exc
        files = restore_media(Path(tmp) / "media", media)
    differences = _restored_differences(manifest, engine, media)
    if differences:
        raise ContinuityError(
            "The restored database does not match the manifest:\n  " + "\n  ".join(differences)
        )
    # Nothing is written to the restored database: it must be exactly the backup (the
    # runbook asks the operator to record the restore in the incident's breach record).
    tables = manifest["database"]["tables"]
    return RestoreResult(
        manifest=manifest,
        tables=len(tables),
        rows=sum(tables.values()),
        files=files,
        warnings=_migration_warnings(),
    )


def _sqlite_describe() -> dict:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts, migrations = engines.counts_and_migrations(cursor, tables)
    return {"tables": counts, "migrations": migrations}
