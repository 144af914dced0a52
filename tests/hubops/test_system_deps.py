"""scripts/ensure-system-deps.sh, used by `make run` and `make test`: installs missing system
packages with apt-get when root, otherwise stops with one line naming what to install.
dpkg-query, id and apt-get are replaced by fakes on PATH so nothing is really installed."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "ensure-system-deps.sh"
WEASYPRINT = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"]


def fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def machine(tmp_path):
    """A fake machine: ``machine(installed=..., uid=...)`` runs the script there."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    apt_log = tmp_path / "apt.log"
    fake(bin_dir, "apt-get", f'echo "$@" >> {apt_log}')

    def run(*, installed: bool, uid: int, purpose: str = "test"):
        status = "install ok installed" if installed else "unknown ok not-installed"
        fake(bin_dir, "dpkg-query", f"printf '%s' '{status}'")
        fake(bin_dir, "id", f"echo {uid}")
        env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
        result = subprocess.run(
            ["bash", str(SCRIPT), purpose], env=env, capture_output=True, text=True, check=False
        )
        calls = apt_log.read_text().splitlines() if apt_log.exists() else []
        return result, calls

    return run


def test_when_everything_is_installed_it_does_nothing(machine):
    result, apt = machine(installed=True, uid=0)
    assert result.returncode == 0
    assert (result.stdout, result.stderr, apt) == ("", "", [])


def test_without_root_it_stops_with_one_line_naming_the_packages(machine):
    result, apt = machine(installed=False, uid=1000)
    assert result.returncode == 1
    assert apt == []
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Missing system packages: run 'sudo apt-get install -y ")
    for package in [*WEASYPRINT, "chromium", "poppler-utils", "default-jre-headless"]:
        assert package in lines[0]


def test_as_root_it_installs_the_missing_packages_with_apt(machine):
    result, apt = machine(installed=False, uid=0, purpose="run")
    assert result.returncode == 0, result.stderr
    assert apt[0] == "update -qq"
    assert apt[1].startswith("install -y")
    assert apt[1].split()[-len(WEASYPRINT) :] == WEASYPRINT
    assert "chromium" not in apt[1]  # `make run` does not need the test tools
