"""Handing the hub to a successor Lead School.

The package is one file: a gzip-compressed tar, encrypted (:mod:`continuity.crypto`) with a
passphrase the two schools agree (``HUBOPS_HANDOVER_KEY``), holding

- ``data.xml``: every model through Django's XML serialization (its JSON keeps datetimes to the
  millisecond only; XML keeps every microsecond, so timestamps arrive exactly), with natural
  keys where a model has them (users by email, groups by name, permissions and content types by
  their names), so it loads into any fresh hubops on SQLite or PostgreSQL;
- ``media/...``: every uploaded and generated file (signed report PDFs keep their SHA-256);
- ``manifest.json``: rows per model, the SHA-256 of every member, who made it for whom and on
  what basis, and the Ed25519 public key that signed it;
- ``manifest.sig``: the Ed25519 signature of the manifest.

The signing key is made for the one export and thrown away; its fingerprint is printed for the
outgoing hub to read to the successor by another channel (a phone call), and the import
refuses a package whose signer's fingerprint is not the one given. The encryption keeps the
personal data confidential in transit; the signature proves who made it.

Not carried, on purpose: sessions and pending email confirmations (void under the successor's
secret key), MFA authenticators (never carried: staff set up MFA again), Celery beat's copy of
the schedule (made from settings on start), content types and permissions (made by migrate;
references to them travel by natural key), and this install's own backup history.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.files.storage import Storage

from . import archive, crypto

FORMAT = "hubops-handover-1"
EXCLUDE = [
    "sessions",
    "mfa",
    "contenttypes",
    "auth.permission",
    "django_celery_beat",
    "account.emailconfirmation",
    "continuity",
]
KEY_ENV = "HUBOPS_HANDOVER_KEY"

DATA = "data.xml"  # the serialized rows, a member of the package


class HandoverError(Exception):
    """The package cannot be made or loaded; the message says why."""


def fingerprint(public: bytes) -> str:
    digest = hashlib.sha256(public).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def normalise_fingerprint(text: str) -> str:
    return "".join(text.split()).upper()


def write_package(
    path: Path, *, key: str | bytes, data_json: Path, media: Storage, manifest: dict
) -> tuple[dict, str]:
    """Write the signed, encrypted package, with every file of the ``media`` storage.
    Returns (manifest, signer's fingerprint)."""
    signer = Ed25519PrivateKey.generate()
    public = signer.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as raw:
            partial.chmod(0o600)
            writer = io.BufferedWriter(crypto.EncryptingWriter(raw, key), archive.BLOCK)
            gz = gzip.GzipFile(fileobj=writer, mode="wb", compresslevel=6, mtime=0)
            with tarfile.open(fileobj=gz, mode="w|") as tar:
                files = {DATA: archive._add_stream(tar, DATA, data_json)}
                for rel in archive.media_files(media):
                    files[f"media/{rel}"] = archive._add_stream(
                        tar, f"media/{rel}", archive.Stored(media, rel)
                    )
                manifest = {
                    **manifest,
                    "format": FORMAT,
                    "files": files,
                    "signer_public_key": public.hex(),
                }
                body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                for name, content in (("manifest.json", body), ("manifest.sig", signer.sign(body))):
                    info = tarfile.TarInfo(name)
                    info.size, info.mode = len(content), 0o600
                    tar.addfile(info, io.BytesIO(content))
            gz.close()
            writer.close()
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest, fingerprint(public)


def _unpack(path: Path, *, key: str | bytes, into: Path) -> tuple[dict, bytes, bytes]:
    """Decrypt and unpack ``path``: (what was found, the manifest's bytes, its signature)."""
    found: dict[str, dict] = {}
    signed: dict[str, bytes] = {}
    with open(path, "rb") as raw:
        reader = io.BufferedReader(crypto.DecryptingReader(raw, key), archive.BLOCK)
        with tarfile.open(fileobj=reader, mode="r|gz") as tar:
            for member in tar:
                source = tar.extractfile(member) if member.isfile() else None
                if source is None:
                    continue
                if member.name in {"manifest.json", "manifest.sig"}:
                    signed[member.name] = source.read()
                    continue
                pure = Path(DATA) if member.name == DATA else archive._safe_member(member.name)
                found[member.name] = archive.extract_member(source, into.joinpath(*pure.parts))
        while reader.read(archive.BLOCK):
            pass  # nothing to keep: reading to the end authenticates the last chunk
    if "manifest.json" not in signed or "manifest.sig" not in signed:
        raise HandoverError("The package has no signed manifest: it is incomplete.")
    return found, signed["manifest.json"], signed["manifest.sig"]


def _check_signer(body: bytes, signature: bytes, expected_fingerprint: str) -> dict:
    manifest = json.loads(body)
    if manifest.get("format") != FORMAT:
        raise HandoverError(f"Not a hubops handover package (format {manifest.get('format')!r}).")
    public = bytes.fromhex(manifest["signer_public_key"])
    actual = fingerprint(public)
    if normalise_fingerprint(actual) != normalise_fingerprint(expected_fingerprint):
        raise HandoverError(
            f"The package was signed by {actual}, not by {expected_fingerprint}: do not load it; "
            "ask the outgoing hub to read you the fingerprint again."
        )
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, body)
    except InvalidSignature:
        raise HandoverError(
            "The manifest's signature is not valid: the package was altered."
        ) from None
    return manifest


def read_package(path: Path, *, key: str | bytes, into: Path, expected_fingerprint: str) -> dict:
    """Decrypt and unpack ``path`` into ``into``; check the signer, the signature and every
    hash. Returns the manifest. Raises :class:`HandoverError` with the reason."""
    try:
        found, body, signature = _unpack(path, key=key, into=into)
    except crypto.WrongKey as exc:
        raise HandoverError(str(exc).replace(crypto.KEY_ENV, KEY_ENV)) from None
    except crypto.ArchiveError as exc:
        raise HandoverError(f"The package cannot be opened: {exc}") from None
    except FileNotFoundError:
        raise HandoverError(f"No package at {path}.") from None
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise HandoverError(f"The package's contents are damaged: {exc}") from None
    manifest = _check_signer(body, signature, expected_fingerprint)
    problems = [f"missing: {n}" for n in sorted(manifest["files"].keys() - found.keys())]
    problems += [
        f"not in the manifest: {n}" for n in sorted(found.keys() - manifest["files"].keys())
    ]
    problems += [
        f"differs: {n}"
        for n in sorted(manifest["files"].keys() & found.keys())
        if manifest["files"][n]["sha256"] != found[n]["sha256"]
    ]
    if problems:
        raise HandoverError(
            "The package does not match its signed manifest: " + "; ".join(problems)
        )
    return manifest


def temp_dir():
    return tempfile.TemporaryDirectory(prefix="hubops-handover-")
