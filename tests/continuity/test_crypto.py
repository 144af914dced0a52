"""The encrypted-file format: what goes in comes out; any change, cut or wrong key is refused."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continuity import crypto

from .conftest import ROOT

KEY = "unit-test-key-0123456789abcdef"


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=3 * crypto.CHUNK + 7))
def test_round_trip_any_length(data):
    assert crypto.decrypt_bytes(crypto.encrypt_bytes(data, KEY), KEY) == data


@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK, crypto.CHUNK + 1, 2 * crypto.CHUNK])
def test_round_trip_at_chunk_boundaries(size):
    data = os.urandom(size)
    sealed = crypto.encrypt_bytes(data, KEY)
    assert crypto.decrypt_bytes(sealed, KEY) == data
    if size >= 16:  # 16 random bytes appear in the ciphertext by chance with odds of 2**-128
        assert data[:16] not in sealed


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_any_flipped_bit_is_refused(data):
    sealed = bytearray(crypto.encrypt_bytes(b"attendance register " * 5000, KEY))
    where = data.draw(st.integers(0, len(sealed) - 1))
    sealed[where] ^= 1 << data.draw(st.integers(0, 7))
    with pytest.raises(crypto.ArchiveError):
        crypto.decrypt_bytes(bytes(sealed), KEY)


def test_cutting_at_a_chunk_boundary_is_refused():
    sealed = crypto.encrypt_bytes(os.urandom(3 * crypto.CHUNK), KEY)
    one_chunk = crypto.HEADER_LEN + crypto.CHUNK + crypto.TAG
    with pytest.raises(crypto.Corrupted):
        crypto.decrypt_bytes(sealed[: one_chunk * 1 + crypto.CHUNK + crypto.TAG], KEY)
    with pytest.raises(crypto.Corrupted, match="truncated"):
        crypto.decrypt_bytes(sealed[: crypto.HEADER_LEN + 3], KEY)


def test_swapping_chunks_is_refused():
    sealed = crypto.encrypt_bytes(os.urandom(3 * crypto.CHUNK), KEY)
    n = crypto.CHUNK + crypto.TAG
    head, body = sealed[: crypto.HEADER_LEN], sealed[crypto.HEADER_LEN :]
    chunks = [body[i : i + n] for i in range(0, len(body), n)]
    chunks[0], chunks[1] = chunks[1], chunks[0]
    with pytest.raises(crypto.Corrupted, match="chunk 1"):
        crypto.decrypt_bytes(head + b"".join(chunks), KEY)


def test_the_wrong_key_is_named():
    sealed = crypto.encrypt_bytes(b"x", KEY)
    with pytest.raises(crypto.WrongKey, match="different HUBOPS_BACKUP_KEY"):
        crypto.decrypt_bytes(sealed, "some-other-key-0123456789")


def test_a_short_or_missing_key_is_refused():
    with pytest.raises(crypto.ArchiveError, match="set HUBOPS_BACKUP_KEY"):
        crypto.encrypt_bytes(b"x", "")
    with pytest.raises(crypto.ArchiveError, match="too short"):
        crypto.encrypt_bytes(b"x", "short")


def test_streaming_writer_and_reader():
    out = io.BytesIO()
    writer = crypto.EncryptingWriter(out, KEY)
    for i in range(1000):
        writer.write(f"line {i}\n".encode())
    writer.close()
    reader = crypto.DecryptingReader(io.BytesIO(out.getvalue()), KEY)
    assert reader.read().decode().splitlines()[-1] == "line 999"


def test_the_standalone_decryptor_needs_no_django(tmp_path):
    """On a bad day the key-contacts file is opened on any machine with Python and
    cryptography: the module must not import Django."""
    sealed = tmp_path / "contacts.enc"
    sealed.write_bytes(crypto.encrypt_bytes(b"Name,Phone\nAlex Fictional,0100\n", KEY))
    env = {"HUBOPS_BACKUP_KEY": KEY, "PATH": os.environ.get("PATH", "")}
    code = (
        "import sys, runpy; sys.modules['django'] = None; "
        "sys.argv = ['x', 'decrypt', sys.argv[1], sys.argv[2]]; "
        "runpy.run_path('continuity/crypto.py', run_name='__main__')"
    )
    out = tmp_path / "contacts.csv"
    result = subprocess.run(
        [sys.executable, "-c", code, str(sealed), str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("Name,Phone\nAlex Fictional")
    env["HUBOPS_BACKUP_KEY"] = "the-wrong-key-0123456789"
    result = subprocess.run(
        [sys.executable, "-c", code, str(sealed), str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "does not open this file" in result.stderr
    assert not out.exists()
