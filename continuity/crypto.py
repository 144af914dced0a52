"""Encrypted files: a stream of AES-256-GCM chunks under a key derived by scrypt.

The format (``HUBOPSE1``) follows the STREAM construction (as age and Tink use it): the plaintext
is cut into 64 KiB chunks, each sealed with its own nonce (a random 7-byte prefix, a 4-byte chunk
counter and a 1-byte "last chunk" flag) and the header as associated data. So a chunk is checked
before any of its bytes are released, chunks cannot be reordered, dropped or swapped between
files, and a truncated file is refused because its last chunk is missing.

Header (64 bytes)::

    magic "HUBOPSE1" | version 1 | log2(N), r, p of scrypt | salt 16 | nonce prefix 7
    | reserved 5 | key check 24

The key check is an HMAC of the header under a second derived key, so a wrong key is told apart
from a damaged file. This module uses only the standard library and ``cryptography`` (no Django):
``python -m continuity.crypto decrypt IN OUT`` opens a file on a machine without hubops, reading
the key from ``HUBOPS_BACKUP_KEY``.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"HUBOPSE1"
VERSION = 1
CHUNK = 64 * 1024
TAG = 16
SALT_LEN = 16
PREFIX_LEN = 7
CHECK_LEN = 24
HEADER_LEN = len(MAGIC) + 4 + SALT_LEN + PREFIX_LEN + 5 + CHECK_LEN  # 64
# scrypt cost: 2**15 x 8 uses 32 MiB and about 0.1 s, once per file.
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
KEY_ENV = "HUBOPS_BACKUP_KEY"
MIN_KEY_LENGTH = 16


class ArchiveError(Exception):
    """An encrypted file cannot be opened; the message says why in words."""


class WrongKey(ArchiveError):
    """The key check in the header does not match: another key was used (or the header was
    altered)."""


class Corrupted(ArchiveError):
    """The file is damaged, truncated or was tampered with."""


def check_key(key: str | bytes | None) -> bytes:
    """The key as bytes, or an error a person can act on."""
    if not key:
        raise ArchiveError(
            f"No backup key: set {KEY_ENV} in the environment (a long random string, kept "
            "somewhere other than the server, e.g. the password manager named in docs/RUNBOOK.md)."
        )
    raw = key.encode() if isinstance(key, str) else key
    if len(raw) < MIN_KEY_LENGTH:
        raise ArchiveError(f"{KEY_ENV} is too short: use at least {MIN_KEY_LENGTH} characters.")
    return raw


def _derive(key: bytes, salt: bytes, log_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    if not (10 <= log_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
        raise Corrupted("The file's header is damaged (impossible key-derivation settings).")
    material = Scrypt(salt=salt, length=64, n=2**log_n, r=r, p=p).derive(key)
    return material[:32], material[32:]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class EncryptingWriter(io.RawIOBase):
    """A write-only file object: bytes written go out encrypted to ``sink``."""

    def __init__(self, sink, key: str | bytes):
        super().__init__()
        self._sink = sink
        salt, self._prefix = os.urandom(SALT_LEN), os.urandom(PREFIX_LEN)
        enc_key, check = _derive(check_key(key), salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
        head = (
            MAGIC
            + bytes([VERSION, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P])
            + salt
            + self._prefix
            + b"\x00" * 5
        )
        self._header = head + hmac.new(check, head, hashlib.sha256).digest()[:CHECK_LEN]
        self._aead = AESGCM(enc_key)
        self._buffer = bytearray()
        self._counter = 0
        self._finished = False
        self._sink.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self._finished:
            raise ValueError("write to a finished encrypted file")
        self._buffer += data
        # Keep up to one chunk back: only close() knows which chunk is the last.
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        if self._counter >= 2**32:
            raise ArchiveError("File too large for one encrypted stream.")
        nonce = _nonce(self._prefix, self._counter, last)
        self._sink.write(self._aead.encrypt(nonce, plain, self._header))
        self._counter += 1

    def close(self) -> None:
        if not self._finished and not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._finished = True
        super().close()


class DecryptingReader(io.RawIOBase):
    """A read-only file object over an encrypted ``source``. Raises :class:`WrongKey` at once
    when the key is wrong and :class:`Corrupted` at the first damaged or missing chunk."""

    def __init__(self, source, key: str | bytes):
        super().__init__()
        self._source = source
        header = _read_exactly(source, HEADER_LEN)
        if len(header) < HEADER_LEN or not header.startswith(MAGIC):
            raise Corrupted(
                "This is not a hubops encrypted file, or its header is damaged "
                "(the first bytes are not HUBOPSE1)."
            )
        version, log_n, r, p = header[8:12]
        if version != VERSION:
            raise Corrupted(f"Unknown format version {version}: use a newer hubops to open it.")
        salt = header[12 : 12 + SALT_LEN]
        self._prefix = header[12 + SALT_LEN : 12 + SALT_LEN + PREFIX_LEN]
        enc_key, check = _derive(check_key(key), salt, log_n, r, p)
        expected = hmac.new(check, header[:-CHECK_LEN], hashlib.sha256).digest()[:CHECK_LEN]
        if not hmac.compare_digest(expected, header[-CHECK_LEN:]):
            raise WrongKey(
                f"The key does not open this file: it was made with a different "
                f"{KEY_ENV} (or its header was altered)."
            )
        self._header = header
        self._aead = AESGCM(enc_key)
        self._counter = 0
        self._plain = b""
        self._pos = 0
        self._done = False
        self._peek = b""

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        sealed = self._peek + _read_exactly(self._source, CHUNK + TAG - len(self._peek))
        self._peek = b""
        if len(sealed) == CHUNK + TAG:
            self._peek = self._source.read(1)
            last = not self._peek
        else:
            last = True
        if len(sealed) < TAG:
            raise Corrupted("The file is truncated: its last part is missing.")
        try:
            self._plain = self._aead.decrypt(
                _nonce(self._prefix, self._counter, last), sealed, self._header
            )
        except InvalidTag:
            if last:
                raise Corrupted(
                    f"The file is damaged, truncated or was tampered with (chunk "
                    f"{self._counter + 1} does not authenticate)."
                ) from None
            raise Corrupted(
                f"The file is damaged or was tampered with (chunk {self._counter + 1} "
                "does not authenticate)."
            ) from None
        self._pos = 0
        self._counter += 1
        self._done = last

    def readinto(self, buffer) -> int:
        while self._pos >= len(self._plain):
            if self._done:
                return 0
            self._next_chunk()
        n = min(len(buffer), len(self._plain) - self._pos)
        buffer[:n] = self._plain[self._pos : self._pos + n]
        self._pos += n
        return n


def _read_exactly(source, n: int) -> bytes:
    parts, remaining = [], n
    while remaining > 0:
        part = source.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def encrypt_bytes(data: bytes, key: str | bytes) -> bytes:
    out = io.BytesIO()
    writer = EncryptingWriter(out, key)
    writer.write(data)
    writer.close()
    return out.getvalue()


def decrypt_bytes(data: bytes, key: str | bytes) -> bytes:
    return DecryptingReader(io.BytesIO(data), key).read()


def main(argv: list[str] | None = None) -> int:
    """``python -m continuity.crypto decrypt IN OUT`` (or ``encrypt``), key from the
    environment. For a bad day: opens the key-contacts file without a running hub."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3 or args[0] not in {"encrypt", "decrypt"}:
        print("usage: python -m continuity.crypto decrypt|encrypt IN OUT", file=sys.stderr)
        return 2
    verb, src, dst = args
    try:
        key = check_key(os.environ.get(KEY_ENV))
        with open(src, "rb") as fin, open(dst, "wb") as fout:
            if verb == "encrypt":
                writer = EncryptingWriter(fout, key)
                while block := fin.read(CHUNK):
                    writer.write(block)
                writer.close()
            else:
                reader = DecryptingReader(fin, key)
                while block := reader.read(CHUNK):
                    fout.write(block)
    except ArchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if verb == "decrypt":
            os.unlink(dst)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
