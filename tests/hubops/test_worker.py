"""A real Celery worker, started as a separate process, picks up an email task from the
configured broker and writes the mail.

With no CELERY_BROKER_URL (``make test``) the broker is kombu's filesystem transport under a
temporary HUBOPS_DATA_DIR; with CELERY_BROKER_URL=redis://... (the second CI pass) it is Redis.
Both the sender and the worker are subprocesses with the same environment, so they share the
broker, a file SQLite database under the temporary folder and the mail folder. A queue of its
own keeps the test's task away from any other worker on the same broker.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 40

pytestmark = pytest.mark.integration


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "EMAIL_URL", "HUBOPS_MEDIA_ROOT", "CELERY_TASK_ALWAYS_EAGER"}
        and not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hubops.settings",
            "HUBOPS_DATA_DIR": str(data_dir),
            "DEBUG": "true",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _manage(env: dict[str, str], *args: str, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


SEND = """
import sys
import django
django.setup()
from hubops.tasks import send_templated_email_task
send_templated_email_task.apply_async(
    kwargs={
        "to": ["alex.fictional@example.org"],
        "template_prefix": "hubops/email/test_message",
        "context": {"marker": sys.argv[2]},
    },
    queue=sys.argv[1],
)
"""


def test_a_real_worker_runs_an_email_task_and_writes_the_mail(tmp_path):
    data_dir = tmp_path / "var"
    env = _env(data_dir)
    queue = f"hubops-test-{uuid.uuid4().hex[:12]}"
    # The email task queues into the outbox; the drain it kicks goes to the same queue.
    env["CELERY_TASK_DEFAULT_QUEUE"] = queue
    marker = f"marker-{uuid.uuid4().hex}"

    migrated = _manage(env, "migrate", "--no-input", "-v0")
    assert migrated.returncode == 0, migrated.stderr

    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "hubops",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queue,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        sent = subprocess.run(
            [sys.executable, "-c", SEND, queue, marker],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert sent.returncode == 0, sent.stderr

        mail_dir = data_dir / "mail"
        deadline = time.monotonic() + TIMEOUT_SECONDS
        messages: list[str] = []
        while time.monotonic() < deadline and not messages:
            assert worker.poll() is None, f"the worker died:\n{log_path.read_text()}"
            messages = [
                text
                for path in mail_dir.glob("*.log")
                if marker in (text := path.read_text(errors="replace"))
            ]
            time.sleep(0.3)
        assert messages, f"no mail within {TIMEOUT_SECONDS}s; worker log:\n{log_path.read_text()}"
        message = messages[0]
        assert f"Subject: Test message from hubops: {marker}" in message
        assert "To: alex.fictional@example.org" in message
        assert "It proves that a Celery worker picked up an email task" in message
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
