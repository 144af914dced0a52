"""A redis-server of a test's own, on a port of its own, that the test stops and starts: the
fault tests' broker and cache (never the shared Redis on 6379)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

REDIS_BIN = "/usr/bin/redis-server"


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


class RedisServer:
    """A redis-server on its own port, in the test's folder; stop() and start() at will, and
    ``with RedisServer(...) as server:`` stops it at the end whatever happened.
    ``keep_data``: what it holds survives a stop and a start (an append-only file synced on
    every write), as a production Redis's does."""

    def __init__(self, port: int, folder: Path, *, keep_data: bool = False) -> None:
        self.port, self.folder, self.process = port, folder, None
        self.keep_data = keep_data

    def start(self) -> None:
        assert not _port_open(self.port), f"something already listens on port {self.port}"
        self.process = subprocess.Popen(
            [REDIS_BIN, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "yes" if self.keep_data else "no", "--dir", str(self.folder)]
            + ["--appendfsync", "always"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _port_open(self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
        deadline = time.monotonic() + 10
        while _port_open(self.port):
            assert time.monotonic() < deadline, "redis-server did not stop"
            time.sleep(0.05)
