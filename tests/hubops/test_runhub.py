"""`make run`'s supervisor (scripts/runhub.py) starts the web server, a worker and beat, and
Ctrl-C stops all three."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_runhub_serves_the_site_and_ctrl_c_stops_everything(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        # SITE_URL too: `make test` exports make run's default (port 8000), and runhub must
        # build it from the port it is given.
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_URL", "SITE_URL"}
        and not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update({"HUBOPS_DATA_DIR": str(tmp_path), "DEBUG": "true", "WEB_CONCURRENCY": "1"})
    env["CELERY_CONCURRENCY"] = "1"
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr

    port = free_port()
    log_path = tmp_path / "runhub.log"
    with log_path.open("w") as log:
        hub = subprocess.Popen(
            [sys.executable, "scripts/runhub.py", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 40
        health = None
        while time.monotonic() < deadline and health is None:
            assert hub.poll() is None, log_path.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = json.load(r)
            except OSError:
                time.sleep(0.5)
        assert health == {"status": "ok", "database": "ok", "broker": "ok"}, log_path.read_text()
        # The supervisor prints its banner once it has read the demo logins, which on a busy
        # machine can be after the web server already answers.
        banner = f"hubops is running at http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 30
        while banner not in (output := log_path.read_text()) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert banner in output, output
        assert "maths-hub-lead@demo.hub.example" in output
        assert "demo-password-1" in output
        # The worker and beat are up too.
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            output = log_path.read_text()
            if "ready." in output and "beat: Starting" in output:
                break
            time.sleep(0.5)
        assert "beat: Starting" in output and "ready." in output, output

        hub.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert hub.wait(timeout=30) == 0
        output = log_path.read_text()
        assert "Stopped." in output
        assert not port_open(port)
        assert "Warm shutdown" in output  # the worker was told to stop, not killed
    finally:
        if hub.poll() is None:
            hub.terminate()  # runhub stops its children on SIGTERM too
            try:
                hub.wait(timeout=30)
            except subprocess.TimeoutExpired:
                hub.kill()
                hub.wait()


def _runhub_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("runhub", ROOT / "scripts" / "runhub.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("0.0.0.0", 8080, "http://127.0.0.1:8080"),  # noqa: S104
        ("hub.local", 9000, "http://hub.local:9000"),
        ("::1", 8000, "http://[::1]:8000"),
    ],
)
def test_runhub_builds_site_url_from_its_host_and_port(host, port, expected):
    assert _runhub_module().site_url(host, port) == expected
