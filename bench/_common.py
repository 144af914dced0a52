"""Shared pieces of the benchmarks: the environment they need, gunicorn, the load generator
(wrk when installed, else a Python client), signed-in sessions, and the printed table.

Every benchmark runs against the large demo hub on PostgreSQL:

    createdb -h 127.0.0.1 -U postgres hubops_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubops_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py load_demo --size large
    make bench            # or .venv/bin/python bench/bench_pages.py, bench/bench_sweeps.py
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

BENCH_SETTINGS = """
from hubops.settings import *  # noqa: F401,F403
ROOT_URLCONF = "bench_urls"
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Staff pages without setting up TOTP first (the benchmark signs staff in with a session).
HUBOPS_REQUIRE_STAFF_MFA = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic in a benchmark run: plain static URLs instead of the manifest.
STORAGES = {**STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""

BENCH_URLS = """
from django.http import HttpResponse
from django.urls import include, path

def trivial(request):
    return HttpResponse("ok")

# The same, answering as many bytes as a catalogue page: what sending the page costs alone.
PAGE_SIZED = b"x" * 35_000

def trivial_page_sized(request):
    return HttpResponse(PAGE_SIZED)

urlpatterns = [
    path("bench-trivial/", trivial),
    path("bench-trivial-35k/", trivial_page_sized),
    path("", include("hubops.urls")),
]
"""


def environment() -> dict[str, str]:
    """The benchmark's environment: its own settings module over the project's, DEBUG off."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "The benchmarks measure the large demo hub on PostgreSQL: set DATABASE_URL=postgres://"
            "... and run `manage.py load_demo --size large` first (see bench/README.md)."
        )
    folder = Path(tempfile.mkdtemp(prefix="hubops-bench-"))
    (folder / "bench_settings.py").write_text(BENCH_SETTINGS)
    (folder / "bench_urls.py").write_text(BENCH_URLS)
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DEBUG": "false",
            "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "*",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path[:0] = env["PYTHONPATH"].split(os.pathsep)
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The master process of each server started by gunicorn(), by its base URL.
SERVER_PIDS: dict[str, int] = {}


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2):
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "hubops.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--keep-alive=30",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if get(base, "/bench-trivial/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        SERVER_PIDS[base] = process.pid
        yield base
    finally:
        SERVER_PIDS.pop(f"http://127.0.0.1:{port}", None)
        process.terminate()
        process.wait(timeout=20)


# CPU time the server spent ---------------------------------------------------------------------
#
# On a machine shared with other work, throughput and latency measure the machine as much as the
# page. The CPU seconds the server itself spent per request do not depend (much) on what else
# runs: its gunicorn workers and the PostgreSQL backends serving them, read from /proc (Linux,
# the database on this machine). Redis is left out: its one process serves every client.


def _cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, field 3 onwards
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _database_backends() -> list[int]:
    """The PostgreSQL backends of this database other than ours (Django must be set up)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def server_cpu(base: str) -> dict[int, float]:
    """CPU seconds so far of each process serving ``base``: workers and database backends."""
    pid = SERVER_PIDS.get(base)
    if pid is None or not Path("/proc").is_dir():
        return {}
    pids = [pid, *_children(pid), *_database_backends()]
    return {p: _cpu_seconds(p) for p in pids}


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two :func:`server_cpu` samples (a backend that started in between
    counts from zero; one that ended in between is lost, so this errs low)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def get(base: str, path: str, cookie: str = "") -> tuple[int, bytes]:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def session_cookie(email: str) -> str:
    """A signed-in session for ``email`` (Django must be set up with the bench settings)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from hubops.models import User

    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# The load generator ---------------------------------------------------------------------------

WRK = shutil.which("wrk")
LUA = """
paths = {%s}
cookies = {%s}
counter = 0
request = function()
  counter = counter + 1
  if #cookies == 0 then
    return wrk.format("GET", paths[(counter %% #paths) + 1])
  end
  local headers = {}
  headers["Cookie"] = cookies[(counter %% #cookies) + 1]
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end
"""


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:  # wrk prints -nan when no request finished in time
        return float("inf")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(
    base: str, paths: list[str], cookies: list[str], seconds: int, connections: int
) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        quoted = (", ".join(f'"{item}"' for item in items) for items in (paths, cookies))
        script.write(LUA % tuple(quoted))
    command = [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name]
    out = subprocess.run([*command, base], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    if "Requests/sec" not in out or "50%" not in out:
        raise RuntimeError(f"Could not read wrk's output:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # The latency distribution's own lines: "+/- Stdev" columns such as "68.50%" also end in
    # "50%" and must not be read as a percentile.
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.MULTILINE).group(1))
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    bad = (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": bad}


def run_python(
    base: str, paths: list[str], cookies: list[str], seconds: int, connections: int
) -> dict:
    """The fallback load generator: keep-alive connections in threads. It shares the CPU with
    the server, so its figures are lower than wrk's; the ratios are what to compare."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        n = offset
        mine = []
        while time.perf_counter() < stop:
            path = paths[n % len(paths)]
            headers = {"Cookie": cookies[n % len(cookies)]} if cookies else {}
            n += 1
            began = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - began) * 1000)
            if response.status >= 400:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "errors": errors[0],
    }


def load(
    base: str,
    paths: list[str],
    *,
    cookie: str | list[str] = "",
    seconds: int = 10,
    connections=20,
):
    """Load ``paths`` for ``seconds``: requests/s, p50 and p99 in ms, errors, and the server's
    CPU ms per request (``cpu_ms``, see :func:`server_cpu`; NaN where /proc cannot tell).
    ``cookie``: one session's cookie, or a list of several sessions' taken in turn."""
    runner = run_wrk if WRK else run_python
    cookies = [cookie] if isinstance(cookie, str) and cookie else list(cookie or [])
    before = server_cpu(base)
    result = runner(base, paths, cookies, seconds, connections)
    spent = cpu_spent(before, server_cpu(base)) if before else float("nan")
    served = result["rps"] * seconds
    result["cpu_ms"] = 1000 * spent / served if served else float("nan")
    return result


def generator_name() -> str:
    return f"wrk ({WRK})" if WRK else "Python threads (install wrk for honest figures)"
