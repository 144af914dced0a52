"""The backup archive: one encrypted, gzip-compressed tar stream.

Members, in order: the database dump (``database/...``), every media file (``media/...``) and
``manifest.json`` last (it holds the SHA-256 of everything before it, computed while they were
written). The whole stream is encrypted by :mod:`continuity.crypto`, so the manifest is
authenticated with the data: nobody can change a row count or a hash without the key.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.files.storage import Storage

from . import crypto, storage

FORMAT = 1
MANIFEST = "manifest.json"
BLOCK = 1024 * 1024
# gzip level 3: most of level 6's saving on database pages at about half the time.
COMPRESSLEVEL = 3


class HashingReader(io.RawIOBase):
    def __init__(self, raw):
        super().__init__()
        self._raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.sha.update(data)
        self.size += n
        return n


class HashingWriter(io.RawIOBase):
    def __init__(self, raw):
        super().__init__()
        self._raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._raw.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)


def sha256_file(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(BLOCK):
            sha.update(block)
    return sha.hexdigest()


def media_files(media: Storage) -> list[str]:
    """Every file in the media storage (posix names), sorted."""
    return storage.walk(media)


def media_hashes(media: Storage) -> dict[str, str]:
    hashes = {}
    for name in media_files(media):
        sha = hashlib.sha256()
        with media.open(name, "rb") as f:
            for block in f.chunks(BLOCK):
                sha.update(block)
        hashes[name] = sha.hexdigest()
    return hashes


@dataclass(frozen=True)
class Stored:
    """A file in a Django storage, to archive."""

    storage: Storage
    name: str


def _modified(source: Stored) -> int:
    """When the stored file last changed, for its entry in the archive. A storage that cannot
    say (Django's base Storage raises NotImplementedError; a file gone meanwhile, OSError) gets
    the moment of the backup instead: restore never reads it, and 1970 would only mislead."""
    try:
        return int(source.storage.get_modified_time(source.name).timestamp())
    except (NotImplementedError, OSError):
        return int(time.time())


def _add_stream(tar: tarfile.TarFile, name: str, source: Path | Stored) -> dict:
    """Add one file (a local path or a stored file) to ``tar``; its SHA-256 and size."""
    info = tarfile.TarInfo(name)
    opened: Any
    if isinstance(source, Stored):
        info.size, info.mtime = source.storage.size(source.name), _modified(source)
        opened = source.storage.open(source.name, "rb")
    else:
        stat = source.stat()
        info.size, info.mtime = stat.st_size, int(stat.st_mtime)
        opened = open(source, "rb")  # noqa: SIM115 - closed by the with below
    info.mode = 0o600
    with opened as f:
        reader = HashingReader(f)
        tar.addfile(info, io.BufferedReader(reader, BLOCK))
    if reader.size != info.size:
        raise OSError(f"{name} changed size while it was archived; run the backup again")
    return {"sha256": reader.sha.hexdigest(), "size": reader.size}


def write_archive(
    path: Path, *, key: str | bytes, engine: Any, media: Storage, manifest: dict
) -> tuple[dict, str, int]:
    """Write the archive to the local file ``path`` (atomically: a partial file is renamed at
    the end), with every file of the ``media`` storage. Returns (manifest, SHA-256 of the
    encrypted file, its size)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    # The dump is written beside the archives: that disk has room for them (/tmp may not).
    with tempfile.TemporaryDirectory(prefix=".hubops-backup-", dir=path.parent) as tmp:
        dump = Path(tmp) / Path(engine.dump_name).name
        started = time.monotonic()
        description = engine.dump(dump)
        try:
            with open(partial, "wb") as raw:
                os.chmod(partial, 0o600)
                hashing = HashingWriter(raw)
                writer = crypto.EncryptingWriter(hashing, key)
                buffered = io.BufferedWriter(writer, BLOCK)
                gz = gzip.GzipFile(
                    fileobj=buffered, mode="wb", compresslevel=COMPRESSLEVEL, mtime=0
                )
                with tarfile.open(fileobj=gz, mode="w|") as tar:
                    db = _add_stream(tar, engine.dump_name, dump)
                    dump.unlink()
                    files = {}
                    for rel in media_files(media):
                        files[rel] = _add_stream(tar, f"media/{rel}", Stored(media, rel))
                    manifest = {
                        **manifest,
                        "format": FORMAT,
                        "database": {
                            "engine": engine.name,
                            "file": engine.dump_name,
                            **db,
                            **description,
                        },
                        "media": {
                            "files": files,
                            "count": len(files),
                            "bytes": sum(f["size"] for f in files.values()),
                        },
                        "seconds": round(time.monotonic() - started, 3),
                    }
                    body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(body), int(time.time()), 0o600
                    tar.addfile(info, io.BytesIO(body))
                gz.close()
                buffered.close()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest, hashing.sha.hexdigest(), hashing.size


def _safe_member(name: str) -> PurePosixPath:
    pure = PurePosixPath(name)
    if (
        pure.is_absolute()
        or ".." in pure.parts
        or not pure.parts
        or (pure.parts[0] not in {"database", "media"} and name != MANIFEST)
    ):
        raise crypto.Corrupted(f"The archive holds an unexpected entry {name!r}; refusing it.")
    return pure


def extract_member(source: Any, target: Path) -> dict:
    """Copy one member's bytes to ``target``; their SHA-256 and size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sha, size = hashlib.sha256(), 0
    with open(target, "wb") as out:
        while block := source.read(BLOCK):
            sha.update(block)
            size += len(block)
            out.write(block)
    return {"sha256": sha.hexdigest(), "size": size}


def open_encrypted(raw: Any, keys: list[str | bytes]) -> crypto.DecryptingReader:
    """A reader over ``raw`` with the first of ``keys`` that opens it (the current key, then
    the previous ones kept while older archives age out)."""
    for i, key in enumerate(keys):
        raw.seek(0)
        try:
            return crypto.DecryptingReader(raw, key)
        except crypto.WrongKey:
            if i == len(keys) - 1:
                raise
    raise crypto.ArchiveError("No backup key to try.")


def read_archive(
    path: Path, *, key: str | bytes | list[str | bytes], into: Path
) -> tuple[dict, dict[str, dict]]:
    """Decrypt and unpack ``path`` into ``into``. Returns (manifest, what was found: a SHA-256
    and size per member). Raises :class:`crypto.ArchiveError` when it is damaged, tampered
    with or opened with the wrong key."""
    found: dict[str, dict] = {}
    manifest = None
    try:
        with open(path, "rb") as raw:
            keys = key if isinstance(key, list) else [key]
            reader = io.BufferedReader(open_encrypted(raw, keys), BLOCK)
            with tarfile.open(fileobj=reader, mode="r|gz") as tar:
                for member in tar:
                    if member.isdir():
                        continue
                    if not member.isfile():
                        raise crypto.Corrupted(
                            f"The archive holds a non-file entry {member.name!r}."
                        )
                    pure = _safe_member(member.name)
                    source = tar.extractfile(member)
                    if source is None:
                        raise crypto.Corrupted(f"The archive's entry {member.name!r} is empty.")
                    if member.name == MANIFEST:
                        manifest = json.loads(source.read().decode())
                        continue
                    found[member.name] = extract_member(source, into.joinpath(*pure.parts))
            # Read to the end, so the last chunk (and so the whole file) is authenticated.
            while reader.read(BLOCK):
                pass  # nothing to keep: reading to the end authenticates the last chunk
    except crypto.ArchiveError:
        raise
    except FileNotFoundError:
        raise crypto.ArchiveError(f"No archive at {path}.") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeDecodeError, ValueError) as exc:
        raise crypto.Corrupted(f"The archive's contents are damaged: {exc}") from exc
    if manifest is None:
        raise crypto.Corrupted("The archive has no manifest: it is incomplete.")
    if manifest.get("format") != FORMAT:
        raise crypto.Corrupted(f"Unknown archive format {manifest.get('format')!r}.")
    return manifest, found


def compare_files(manifest: dict, found: dict[str, dict]) -> list[str]:
    """What differs between the files the manifest lists and the files found."""
    expected = {f"media/{rel}": meta for rel, meta in manifest["media"]["files"].items()}
    db = manifest["database"]
    expected[db["file"]] = {"sha256": db["sha256"], "size": db["size"]}
    differences = []
    for name in sorted(expected.keys() - found.keys()):
        differences.append(f"missing file: {name}")
    for name in sorted(found.keys() - expected.keys()):
        differences.append(f"file not in the manifest: {name}")
    for name in sorted(expected.keys() & found.keys()):
        if expected[name]["sha256"] != found[name]["sha256"]:
            differences.append(
                f"file differs: {name} (SHA-256 {found[name]['sha256'][:12]}..., "
                f"manifest says {expected[name]['sha256'][:12]}...)"
            )
    return differences


def compare_database(manifest: dict, description: dict) -> list[str]:
    """What differs between the manifest's tables, row counts and migrations and those of a
    restored database."""
    want, got = manifest["database"]["tables"], description["tables"]
    differences = [f"table missing: {t}" for t in sorted(want.keys() - got.keys())]
    differences += [f"table not in the manifest: {t}" for t in sorted(got.keys() - want.keys())]
    for table in sorted(want.keys() & got.keys()):
        if want[table] != got[table]:
            differences.append(
                f"rows differ in {table}: {got[table]} restored, {want[table]} backed up"
            )
    want_m, got_m = manifest["database"]["migrations"], description["migrations"]
    for app in sorted(want_m.keys() | got_m.keys()):
        missing = sorted(set(want_m.get(app, [])) - set(got_m.get(app, [])))
        extra = sorted(set(got_m.get(app, [])) - set(want_m.get(app, [])))
        if missing:
            differences.append(f"migrations missing in {app}: {', '.join(missing)}")
        if extra:
            differences.append(f"migrations not in the manifest in {app}: {', '.join(extra)}")
    differences += [f"integrity: {p}" for p in description.get("problems", [])]
    return differences
