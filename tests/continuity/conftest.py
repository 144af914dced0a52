from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from privacy import services as privacy_services

ROOT = Path(__file__).resolve().parents[2]
KEY = "a-test-backup-key-that-is-long-enough-0123456789"


@pytest.fixture
def hubdir(tmp_path, settings):
    """Media, backups and the key in a folder of this test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.HUBOPS_BACKUP_DIR = tmp_path / "backups"
    settings.HUBOPS_BACKUP_KEY = KEY
    settings.DEBUG = True
    return tmp_path


def build_hub(tmp_path: Path) -> None:
    """The fictional demo hub (every app's demo data), plus uploaded files."""
    from workgroups.models import WorkGroup

    (tmp_path / "no-gias").mkdir(exist_ok=True)
    call_command(
        "load_demo",
        gias_dir=str(tmp_path / "no-gias"),
        today=date(2026, 11, 23),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    for i, group in enumerate(WorkGroup.objects.order_by("code")[:2]):
        group.flyer.save(f"flyer-{i}.pdf", ContentFile(f"%PDF-1.4 fictional flyer {i}".encode()))
    # A data-rights request in progress (its clock) and a breach (its 72-hour deadline).
    privacy_services.create_request(
        kind="access",
        full_name="Sam Fictional",
        email="sam.fictional@example.org",
        received_on=date(2026, 11, 16),
    )
    privacy_services.log_breach(
        found_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        what_happened="A fictional register was emailed to the wrong school.",
        data_categories="name, school",
        people_count=12,
        records_count=12,
        likely_consequences="Low.",
        measures_taken="Recalled and deleted.",
    )


def hubops(args: list[str], *, env: dict[str, str], check: bool = True):
    """Run ``manage.py`` (or ``-m module``) in a separate hubops process, as an operator
    would on the server."""
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "HUBOPS_"))
    }
    full_env.update({"DEBUG": "true", "HUBOPS_BACKUP_KEY": KEY, **env})
    cmd = [sys.executable, *(args if args[0] == "-m" else ["manage.py", *args])]
    result = subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result
