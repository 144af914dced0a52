"""Where continuity reads and writes files: Django storages, never a web node's own disk.

- ``STORAGES["default"]``: the hub's media (uploads and generated files). A folder
  (``HUBOPS_MEDIA_ROOT``) on one machine, an S3-compatible bucket when several share it.
- ``STORAGES["backups"]``: the backup archives and the key-contacts file. A folder
  (:class:`BackupFolderStorage` over ``HUBOPS_BACKUP_DIR``) or, when ``HUBOPS_BACKUP_BUCKET`` is
  set, django-storages' S3 backend (``hubops/settings.py`` chooses).

Archives are written to a local staging file first (beside the archives when the target is a
folder, so putting it in place is one rename; the system's temporary folder, ``TMPDIR``,
otherwise) and then saved into the storage under their final name.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import cached_property


class BackupFolderStorage(FileSystemStorage):
    """A folder for backups: ``HUBOPS_BACKUP_DIR`` (read when first used, and again when the
    setting changes), files readable by the hub's user only, and saving over a name replaces
    the file in one rename (the key-contacts file's "latest" copy)."""

    def __init__(self, location: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        kwargs.setdefault("allow_overwrite", True)
        self._backup_location = location
        super().__init__(location=location, **kwargs)

    @cached_property
    def base_location(self) -> Any:
        return self._value_or_setting(self._backup_location, settings.HUBOPS_BACKUP_DIR)

    def _clear_cached_properties(self, setting: Any, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "HUBOPS_BACKUP_DIR":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


class _StagedFile(File):
    """A finished local file: a folder storage moves it into place instead of copying it."""

    def temporary_file_path(self) -> str:
        return str(self.name)


def backups() -> Storage:
    return storages["backups"]


def media() -> Storage:
    return storages["default"]


def is_folder(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def label(storage: Storage) -> str:
    """Where ``storage`` keeps its files, for messages: a folder or ``s3://bucket/prefix``."""
    if is_folder(storage):
        return str(storage.location)  # type: ignore[attr-defined]
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        prefix = getattr(storage, "location", "") or ""
        return f"s3://{bucket}/{prefix}".rstrip("/")
    return f"{type(storage).__name__}:"


def reference(storage: Storage, name: str) -> str:
    """How a person names one stored file: its path in a folder, ``s3://...`` in a bucket."""
    if is_folder(storage):
        return storage.path(name)
    return f"{label(storage)}/{name}"


def name_in(storage: Storage, ref: str) -> str | None:
    """The stored name ``ref`` means in ``storage`` (a bare name, or the :func:`reference`
    printed for it), or ``None`` when nothing by that name is stored there."""
    prefix = label(storage).rstrip("/") + "/"
    name = ref[len(prefix) :] if ref.startswith(prefix) else ref
    if not name or name.startswith("/") or ".." in name.split("/"):
        return None
    return name if storage.exists(name) else None


def walk(storage: Storage, prefix: str = "") -> list[str]:
    """Every file in ``storage`` under ``prefix`` (posix names), sorted. In a folder, symbolic
    links are not followed: they could point outside it."""
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    found = []
    base = f"{prefix.rstrip('/')}/" if prefix else ""
    for name in sorted(files):
        if not (is_folder(storage) and os.path.islink(storage.path(base + name))):
            found.append(base + name)
    for folder in sorted(folders):
        if not (is_folder(storage) and os.path.islink(storage.path(base + folder))):
            found += walk(storage, base + folder)
    return sorted(found)


def staging_dir(storage: Storage) -> str | None:
    """Where to build a file before it goes into ``storage`` (``None``: the system default)."""
    if is_folder(storage):
        folder = Path(storage.location)  # type: ignore[attr-defined]
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return str(folder)
    return None


def put(storage: Storage, name: str, staged: Path) -> str:
    """Save the finished local file ``staged`` as ``name`` (replacing what was there); a folder
    storage moves it into place in one rename. Returns the name."""
    if storage.exists(name) and storage.get_available_name(name) != name:
        storage.delete(name)  # a storage that never overwrites: make room first
    with open(staged, "rb") as handle:
        content = _StagedFile(handle, name=str(staged)) if is_folder(storage) else File(handle)
        saved = storage.save(name, content)
    if saved != name:
        storage.delete(saved)
        raise OSError(f"{label(storage)} stored {name} as {saved}; nothing was kept.")
    return saved


def put_bytes(storage: Storage, name: str, data: bytes) -> str:
    with tempfile.NamedTemporaryFile(dir=staging_dir(storage), delete=False) as handle:
        handle.write(data)
    try:
        return put(storage, name, Path(handle.name))
    finally:
        Path(handle.name).unlink(missing_ok=True)


@contextmanager
def local_copy(storage: Storage, name: str) -> Iterator[Path]:
    """A local file with the content of ``name``: the file itself in a folder, otherwise a
    temporary download, deleted afterwards."""
    if is_folder(storage):
        yield Path(storage.path(name))
        return
    with tempfile.TemporaryDirectory(prefix="hubops-fetch-") as tmp:
        target = Path(tmp) / Path(name).name
        with storage.open(name, "rb") as source, open(target, "wb") as out:
            for chunk in source.chunks():
                out.write(chunk)
        yield target
