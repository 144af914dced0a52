"""Benchmark: the public Work Groups catalogue served by gunicorn over 300 groups and 20,000
registrations, against a trivial Django view measured in the same run.

    .venv/bin/python bench/bench_catalogue.py [--seconds 5] [--threads 8] [--workers 2]

Seeds a temporary SQLite database, starts gunicorn with a settings module that adds a trivial
view at /bench-trivial/, drives both URLs with a load generator in Python threads
(``http.client``, keep-alive), and prints the median requests/s of three rounds and the ratio.
Anonymous visitors get the cached catalogue; the cache is a local-memory cache per worker.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BENCH_SETTINGS = """
from hubops.settings import *  # noqa: F401,F403
ROOT_URLCONF = "bench_urls"
DEBUG = False
ALLOWED_HOSTS = ["*"]
# No collectstatic in a temporary run: plain static URLs instead of the manifest.
STORAGES = {**STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""

BENCH_URLS = """
from django.http import HttpResponse
from django.urls import include, path

def trivial(request):
    return HttpResponse("ok")

urlpatterns = [path("bench-trivial/", trivial), path("", include("hubops.urls"))]
"""


def seed(env: dict[str, str]) -> None:
    code = r"""
import django, random
django.setup()
from datetime import datetime, timedelta, timezone as tz
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import transaction
from hubops.models import Hub, HubLocalAuthority, School
from workgroups.models import Project, WorkGroup, Session, Registration
with transaction.atomic():
    hub = Hub.objects.create(name="Bench Fictional Hub", code="ZZ9")
    HubLocalAuthority.objects.create(hub=hub, la_code="307", la_name="Ealing")
    School.objects.bulk_create([School(urn=800000 + i, name=f"Bench School {i}", la_code="307",
        la_name="Ealing", phase="primary", status="open") for i in range(2000)])
    schools = list(School.objects.values_list("pk", flat=True))
    projects = [Project.objects.create(code=f"NCP B-{i}", title=f"Bench project {i}",
                kind="ncp") for i in range(10)]
    groups = WorkGroup.objects.bulk_create([WorkGroup(code=f"WG-B{i:03}", title=f"Bench group {i}",
        project=projects[i % 10], phases=",primary,", audience=",teachers,",
        capacity_schools=40, recruitment="open", status="published") for i in range(300)])
    start = datetime(2026, 2, 2, 15, 45, tzinfo=tz.utc)
    Session.objects.bulk_create([Session(work_group=g, starts_at=start + timedelta(weeks=k),
        ends_at=start + timedelta(weeks=k, hours=1)) for g in groups for k in range(3)])
    regs = []
    for n in range(20000):
        g = groups[n % 300]
        regs.append(Registration(reference=f"WG-B{n:06}", work_group=g,
            full_name=f"Bench Fictional {n}", email=f"b{n}@example.org",
            school_id=schools[(n // 2) % len(schools)], role_at_school="Teacher",
            status="confirmed"))
    Registration.objects.bulk_create(regs, batch_size=2000)
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


def load(host: str, port: int, path: str, seconds: float, threads: int) -> float:
    count = [0] * threads
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        while time.monotonic() < stop:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{path}: HTTP {response.status} {response.getheaders()}")
                return
            count[i] += 1
        conn.close()

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    began = time.monotonic()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise SystemExit(errors[0])
    return sum(count) / (time.monotonic() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hubops-bench-") as tmp:
        Path(tmp, "bench_settings.py").write_text(BENCH_SETTINGS)
        Path(tmp, "bench_urls.py").write_text(BENCH_URLS)
        env = {
            **os.environ,
            "PYTHONPATH": f"{tmp}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "HUBOPS_DATA_DIR": tmp,
            "CACHE_URL": "locmemcache://bench",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-secret",
            "SECURE_SSL_REDIRECT": "false",
        }
        print("Seeding 300 groups and 20,000 registrations ...", flush=True)
        seed(env)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "hubops.wsgi",
                "-w",
                str(args.workers),
                "-b",
                f"127.0.0.1:{args.port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            for _ in range(100):
                try:
                    http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request(
                        "GET", "/bench-trivial/"
                    )
                    break
                except OSError:
                    time.sleep(0.1)
            for path in ("/bench-trivial/", "/workgroups/"):  # warm up
                load("127.0.0.1", args.port, path, 1, args.threads)
            rounds = {"/bench-trivial/": [], "/workgroups/": []}
            for _ in range(3):
                for path in rounds:
                    rounds[path].append(
                        load("127.0.0.1", args.port, path, args.seconds, args.threads)
                    )
        finally:
            server.terminate()
            server.wait(10)
    trivial = statistics.median(rounds["/bench-trivial/"])
    catalogue = statistics.median(rounds["/workgroups/"])
    print(f"trivial view: {trivial:8.0f} requests/s (median of 3)")
    print(f"catalogue:    {catalogue:8.0f} requests/s (median of 3, anonymous)")
    print(f"ratio:        {catalogue / trivial:8.2f} (aim: at least 0.5)")


if __name__ == "__main__":
    main()
