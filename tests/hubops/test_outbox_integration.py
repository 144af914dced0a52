"""The outbox with real parts: a Redis broker of the test's own (port 6391) that the test stops
and starts, a real Celery worker (with its embedded beat) in a subprocess, Django's SMTP backend,
and an SMTP server (aiosmtpd) inside the suite.

- A formal complaint filed while the broker is down: the service succeeds at once; when the
  broker returns, the acknowledgement with its PDF copy arrives, links absolute.
- A worker killed with SIGKILL in the middle of a drain, then restarted: every message arrives;
  at most the one in flight arrives twice, and then with the same Message-ID.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

import pytest

from tests.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]
REDIS_PORT = 6391

pytestmark = pytest.mark.integration


@pytest.fixture
def redis_server(tmp_path):
    with RedisServer(REDIS_PORT, tmp_path) as server:
        yield server


def _env(tmp_path: Path, smtp_server, queue: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "HUBOPS_MEDIA_ROOT", "CELERY_TASK_ALWAYS_EAGER"}
        and not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hubops.settings",
            "PYTHONPATH": str(ROOT),
            "HUBOPS_DATA_DIR": str(tmp_path / "var"),
            "DEBUG": "true",
            "PYTHONUNBUFFERED": "1",
            "SITE_URL": "http://hub.example.test:8000",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EMAIL_URL": smtp_server.url,
            # Fast enough for a test: beat sweeps every second, a dead sender's claim lapses
            # after 3 s, a failure is retried after 1 s.
            "HUBOPS_OUTBOX_SWEEP_SECONDS": "1",
            "HUBOPS_OUTBOX_LEASE_SECONDS": "3",
            "HUBOPS_OUTBOX_RETRY_SECONDS": "1",
            "HUBOPS_OUTBOX_BATCH": "10",
        }
    )
    return env


class Worker:
    """A Celery worker with embedded beat, in its own process group (so SIGKILL reaches beat)."""

    def __init__(self, env: dict[str, str], folder: Path, queue: str) -> None:
        self.env, self.folder, self.queue = env, folder, queue
        self.process = None
        self.runs = 0

    @property
    def log(self) -> Path:
        return self.folder / f"worker-{self.runs}.log"

    def start(self) -> None:
        self.runs += 1
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "hubops", "worker", "--pool=solo"]
                + ["--loglevel=INFO", "--without-gossip", "--without-mingle"]
                + ["--without-heartbeat", "-Q", self.queue, "-B"]
                + ["--scheduler", "celery.beat:PersistentScheduler"]
                + ["-s", str(self.folder / "beat-schedule")],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text():
            assert self.process.poll() is None, f"the worker died:\n{self.log.read_text()}"
            assert time.monotonic() < deadline, f"the worker never got ready:\n{self.logs()}"
            time.sleep(0.2)

    def alive(self) -> None:
        assert self.process.poll() is None, f"the worker died:\n{self.logs()}"

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def logs(self) -> str:
        return "\n".join(
            (self.folder / f"worker-{n}.log").read_text()[-4000:] for n in range(1, self.runs + 1)
        )


def _run(env: dict[str, str], code: str, *args: str, timeout: int = 120):
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _setup(env):
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr


def _rows(env) -> list[tuple]:
    db = Path(env["HUBOPS_DATA_DIR"]) / "hubops.sqlite3"
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT message_id, status, attempts FROM hubops_outgoingmessage ORDER BY id"
        ).fetchall()


FILE_COMPLAINT = """
import time
import django
django.setup()
from django.utils import timezone
from complaints import services
from hubops.models import Hub
Hub.objects.get_or_create(
    name="Riverside Maths Hub", defaults={"code": "ZZ1", "email": "hub@riverside-hub.example"}
)
data = {
    "full_name": "Pat O'Fictional", "email": "pat@example.org", "phone": "", "address": "",
    "relationship": "participant", "about_kind": "work_group",
    "about_detail": "Fictional Fractions Work Group", "subject_name": "",
    "what_happened": "The session was cancelled without notice.", "done_so_far": "",
    "outcome_wanted": "An apology.", "adjustments": "", "concerns": "other",
    "issue_date": timezone.localdate(),
}
started = time.monotonic()
filed = services.complaint_file(data=data, received_on=timezone.localdate(), formal=True)
print("REFERENCE", filed.complaint.reference, round(time.monotonic() - started, 2))
"""


def test_a_complaint_filed_while_the_broker_is_down_is_acknowledged_when_it_returns(
    tmp_path, redis_server, smtp_server
):
    queue = f"hubops-outbox-{uuid.uuid4().hex[:10]}"
    env = _env(tmp_path, smtp_server, queue)
    _setup(env)
    worker = Worker(env, tmp_path, queue)
    worker.start()
    try:
        redis_server.stop()

        filed = _run(env, FILE_COMPLAINT)
        assert filed.returncode == 0, filed.stderr
        reference = filed.stdout.split("REFERENCE ")[1].split()[0]
        assert "Could not publish the outbox drain task" in filed.stderr
        [(message_id, status, _)] = _rows(env)
        assert status == "queued"
        time.sleep(2)
        assert smtp_server.messages == []  # nothing can go while the broker is down

        redis_server.start()
        [message] = smtp_server.wait_for(1, timeout=90, check=worker.alive)
        time.sleep(2)  # and nothing more arrives
        assert len(smtp_server.messages) == 1, [m["Subject"] for m in smtp_server.messages]
    finally:
        worker.stop()

    assert message["To"] == "pat@example.org"
    assert reference in message["Subject"]
    assert message["Message-ID"].strip() == message_id
    assert message["From"] == "Riverside Maths Hub <no-reply@hub.example>"
    assert message["Reply-To"] == "hub@riverside-hub.example"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Pat O'Fictional" in text
    assert "http://hub.example.test:8000/complaints/follow/" in text
    assert 'href="http://hub.example.test:8000/complaints/follow/' in html
    assert html.lstrip().startswith("<!DOCTYPE html>")
    [pdf] = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == f"complaint-{reference}.pdf"
    assert pdf.get_content().startswith(b"%PDF-")
    assert _rows(env)[0][1] == "sent"


QUEUE_MANY = """
import sys
import django
django.setup()
from django.db import transaction
from hubops import emails
from hubops.models import Hub
Hub.objects.get_or_create(name="Riverside Maths Hub", defaults={"code": "ZZ1"})
count = int(sys.argv[1])
with transaction.atomic():
    emails.queue_emails(
        {
            "to": [f"teacher{n}@example.org"],
            "template_prefix": "hubops/email/test_message",
            "context": {"marker": f"marker-{n:04d}"},
        }
        for n in range(count)
    )
print("QUEUED", count)
"""


def test_a_worker_killed_mid_drain_loses_nothing_and_sends_nothing_twice(
    tmp_path, redis_server, smtp_server
):
    count = 120
    queue = f"hubops-outbox-{uuid.uuid4().hex[:10]}"
    env = _env(tmp_path, smtp_server, queue)
    _setup(env)
    smtp_server.delay = 0.05  # about 20 messages a second: the kill lands mid-drain
    worker = Worker(env, tmp_path, queue)
    worker.start()
    try:
        queued = _run(env, QUEUE_MANY, str(count))
        assert queued.returncode == 0, queued.stderr
        smtp_server.wait_for(25, timeout=60, check=worker.alive)
        worker.kill()
        delivered_before_kill = len(smtp_server.messages)
        assert delivered_before_kill < count, "the drain finished before the kill"
        statuses = {status for _, status, _ in _rows(env)}
        assert "sending" in statuses or "queued" in statuses

        worker.start()

        def markers():
            return {m["Subject"].rsplit(": ", 1)[1] for m in smtp_server.messages}

        deadline = time.monotonic() + 120
        while len(markers()) < count and time.monotonic() < deadline:
            worker.alive()
            time.sleep(0.3)
        time.sleep(4)  # past a lease: anything that would be sent twice has been by now
    finally:
        worker.stop()

    by_marker: dict[str, list] = defaultdict(list)
    for message in smtp_server.messages:
        by_marker[message["Subject"].rsplit(": ", 1)[1]].append(message)
    assert sorted(by_marker) == [f"marker-{n:04d}" for n in range(count)], worker.logs()
    twice = {marker: msgs for marker, msgs in by_marker.items() if len(msgs) > 1}
    # Only the message in flight at the kill (accepted by SMTP, not yet marked sent) may come
    # again, and then as the same message: the same Message-ID.
    assert len(twice) <= 1, {m: len(v) for m, v in twice.items()}
    for msgs in twice.values():
        assert len(msgs) == 2
        assert msgs[0]["Message-ID"].strip() == msgs[1]["Message-ID"].strip()
    rows = _rows(env)
    assert {status for _, status, _ in rows} == {"sent"}
    ids = {m["Message-ID"].strip() for m in smtp_server.messages}
    assert ids == {message_id for message_id, _, _ in rows}
    assert len(smtp_server.messages) <= count + 1
