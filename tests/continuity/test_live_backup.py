"""A backup of a running hub: another process keeps writing while ``backup`` runs (SQLite in
WAL mode, as the embedded hub runs), and the archive still verifies: its manifest describes
one consistent instant."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from continuity import archive

from .conftest import KEY, ROOT, hubops

WRITER = """
import pathlib, sys
import django
django.setup()
from hubops import audit
stop, progress = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
n = 0
while not stop.exists():
    audit.record(None, None, "tests.live.write", object_label=f"row {n}")
    n += 1
    partial = progress.with_suffix(".partial")
    partial.write_text(str(n))
    partial.replace(progress)
"""


def _count(progress: Path) -> int:
    try:
        return int(progress.read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def test_backup_while_another_process_writes(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
        "HUBOPS_DATA_DIR": str(tmp_path / "var"),
        "HUBOPS_MEDIA_ROOT": str(tmp_path / "media"),
        "HUBOPS_BACKUP_DIR": str(tmp_path / "backups"),
    }
    hubops(["migrate", "--noinput", "-v0"], env=env)
    stop, progress = tmp_path / "stop", tmp_path / "progress"
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HUBOPS_")},
        **env,
        "DJANGO_SETTINGS_MODULE": "hubops.settings",
        "DEBUG": "true",
    }
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop), str(progress)], cwd=ROOT, env=full_env
    )
    try:
        deadline = time.monotonic() + 120
        while _count(progress) < 30 and time.monotonic() < deadline:
            time.sleep(0.2)
        written_before = _count(progress)
        assert written_before >= 30, "the writer did not start"
        out = hubops(["backup"], env=env).stdout
        written_after = _count(progress)
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0
    assert written_after > written_before  # the hub kept writing while it was backed up
    path = Path(out.strip().splitlines()[-1])

    verified = hubops(["backup", "--verify", str(path)], env=env)
    assert "match the manifest" in verified.stdout
    manifest, _ = archive.read_archive(path, key=KEY, into=tmp_path / "unpacked")
    in_archive = manifest["database"]["tables"]["hubops_auditevent"]
    assert written_before <= in_archive <= _count(progress)
