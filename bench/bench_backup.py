#!/usr/bin/env python3
"""Benchmark: hubops backup and restore against the database's own tools, in one run.

Builds a hub the size of a real one in a scratch database: the 52,000-school register plus a
year of records (Work Groups with sessions, registrations and attendance, complaints, the audit
and reminder logs) and some media files. Then times, each several times:

- ``backup``: hubops's ``backup_create`` (snapshot, manifest, gzip, AES-GCM) against the plain
  copy (SQLite: the ``sqlite3`` shell's ``.backup``; PostgreSQL: ``pg_dump -Fc``);
- ``restore``: hubops's ``backup_verify`` (decrypt, unpack, check every hash, restore into a
  scratch database, count every table, compare with the manifest) against the plain restore
  (SQLite: ``.restore`` into a new file; PostgreSQL: ``pg_restore`` into a new database).

Prints the median seconds, the ratio and the sizes. SQLite in a temporary folder by default;
when DATABASE_URL is PostgreSQL a scratch database is created on that server and dropped after.

    .venv/bin/python bench/bench_backup.py [--schools 52000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def populate(schools: int, media: Path) -> None:
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from complaints.models import Complaint
    from hubops.models import AcademicYear, AuditEvent, Hub, ReminderLog, School, User
    from workgroups.models import (
        Attendance,
        Project,
        ProjectKind,
        Recruitment,
        Registration,
        RegStatus,
        Session,
        WorkGroup,
    )

    School.objects.bulk_create(
        [
            School(
                urn=100000 + i,
                name=f"Fictional School {i}",
                la_code=f"{300 + i % 150}",
                la_name=f"Authority {i % 150}",
                phase="primary" if i % 3 else "secondary",
                status="open",
                town=f"Town {i % 900}",
                postcode=f"ZZ{i % 99} 1AA",
            )
            for i in range(schools)
        ],
        batch_size=2000,
    )
    Hub.objects.create(name="Bench Maths Hub (fictional)", code="ZZ9", email="hub@x.example")
    year = AcademicYear.objects.create(
        name="2025/26", starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 8, 31)
    )
    project = Project.objects.create(
        code="NCP 25-01", title="Fictional", kind=ProjectKind.NCP, academic_year=year
    )
    password = make_password("bench-password-1")
    users = User.objects.bulk_create(
        [
            User(
                email=f"teacher{i}@bench.example",
                full_name=f"Teacher Fictional{i}",
                password=password,
            )
            for i in range(1600)
        ],
        batch_size=1000,
    )
    school_ids = list(School.objects.order_by("pk").values_list("pk", flat=True)[:800])
    start = timezone.now() - dt.timedelta(days=300)
    regs, sessions = [], []
    for g in range(40):
        group = WorkGroup.objects.create(
            code=f"WG-{g:03d}",
            title=f"Fictional group {g}",
            project=project,
            phases=",primary,",
            audience=",teachers,",
            capacity_schools=20,
            recruitment=Recruitment.OPEN,
            status="running",
        )
        for s in range(6):
            at = start + dt.timedelta(days=40 * s + g)
            sessions.append(
                Session(work_group=group, starts_at=at, ends_at=at + dt.timedelta(hours=2))
            )
        for r in range(40):
            user = users[(g * 40 + r) % len(users)]
            regs.append(
                Registration(
                    work_group=group,
                    user=user,
                    full_name=user.full_name,
                    email=user.email,
                    school_id=school_ids[(g * 20 + r // 2) % len(school_ids)],
                    role_at_school="Class teacher",
                    status=RegStatus.CONFIRMED,
                )
            )
    Session.objects.bulk_create(sessions)
    Registration.objects.bulk_create(regs, batch_size=1000)
    by_group: dict[int, list] = {}
    for session in Session.objects.all():
        by_group.setdefault(session.work_group_id, []).append(session)
    Attendance.objects.bulk_create(
        [
            Attendance(session=s, registration=r, status="present")
            for r in Registration.objects.all()
            for s in by_group[r.work_group_id]
        ],
        batch_size=2000,
    )
    Complaint.objects.bulk_create(
        [
            Complaint(
                reference=f"CMP-BENCH{c:03d}",
                full_name=f"Complainant Fictional{c}",
                email=f"c{c}@bench.example",
                what_happened="A fictional concern. " * 20,
                received_on=dt.date(2026, 1, 5) + dt.timedelta(days=c),
            )
            for c in range(30)
        ]
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_label="system",
                action="workgroups.registration.created",
                object_type="workgroups.registration",
                object_id=str(i),
                object_label=f"WG-{i:08X}",
                data={"n": i},
            )
            for i in range(30000)
        ],
        batch_size=2000,
    )
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(
                object_type="workgroups.session",
                object_id=str(i),
                kind="session",
                due_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
            )
            for i in range(3000)
        ],
        batch_size=2000,
    )
    media.mkdir(parents=True, exist_ok=True)
    for i in range(60):
        folder = media / "complaints" / "letters"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"letter-{i}.pdf").write_bytes(os.urandom(20_000) + b"%PDF" * 5000)


def one_run(run: int, engine, tmp: Path, sizes: dict[str, int]) -> tuple[dict, dict]:
    """One backup and one restore with hubops, then with the database's own tools."""
    from django.db import connection

    from continuity import services

    ours, theirs = {}, {}
    start = time.perf_counter()
    result = services.backup_create(trigger="bench")
    ours["backup"] = time.perf_counter() - start
    sizes["hubops archive (database + media)"] = result.path.stat().st_size
    start = time.perf_counter()
    verified = services.backup_verify(path=result.path, record=False)
    ours["restore"] = time.perf_counter() - start
    assert verified.ok, verified.differences
    result.path.unlink()

    plain = tmp / f"plain-{run}"
    if engine.name == "sqlite":
        db = connection.settings_dict["NAME"]
        connection.close()
        fresh = tmp / f"new-{run}.sqlite3"
        cli = shutil.which("sqlite3")
        if cli is None:
            raise SystemExit(
                "Install the sqlite3 shell (apt-get install sqlite3) for the baseline."
            )
        theirs["backup"] = timed(
            lambda: subprocess.run([cli, str(db), f".backup '{plain}'"], check=True)
        )
        theirs["restore"] = timed(
            lambda: subprocess.run([cli, str(fresh), f".restore '{plain}'"], check=True)
        )
        sizes["plain .backup file (database only)"] = plain.stat().st_size
        fresh.unlink()
    else:
        env = engine._env()
        theirs["backup"] = timed(
            lambda: subprocess.run(
                ["pg_dump", *engine._cli(), "-Fc", "-f", str(plain)], check=True, env=env
            )
        )
        target = f"hubops_bench_restore_{uuid.uuid4().hex[:8]}"
        engine.create_database(target)
        try:
            theirs["restore"] = timed(
                lambda: subprocess.run(
                    ["pg_restore", *engine._cli(target), "--no-owner", str(plain)],
                    check=True,
                    env=env,
                )
            )
        finally:
            engine.drop_database(target)
        sizes["plain pg_dump -Fc (database only)"] = plain.stat().st_size
    plain.unlink()
    return ours, theirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=52000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hubops-bench-backup-"))
    os.environ["HUBOPS_DATA_DIR"] = str(tmp / "var")
    os.environ["HUBOPS_MEDIA_ROOT"] = str(tmp / "var" / "media")
    os.environ["HUBOPS_BACKUP_DIR"] = str(tmp / "backups")
    os.environ.setdefault("HUBOPS_BACKUP_KEY", "bench-key-" + uuid.uuid4().hex)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubops.settings")
    scratch_pg = None
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        base, _, _name = url.rpartition("/")
        scratch_pg = f"hubops_bench_{uuid.uuid4().hex[:10]}"
        os.environ["DATABASE_URL"] = f"{base}/{scratch_pg}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from continuity import engines

    engine = engines.engine_for()
    if scratch_pg:
        engine.create_database(scratch_pg)
    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        populate(args.schools, Path(os.environ["HUBOPS_MEDIA_ROOT"]))
        print(f"Built the hub in {time.perf_counter() - t0:.1f} s ({engine.name}).")
        if engine.name == "sqlite":
            counts = engine.describe(Path(connection.settings_dict["NAME"]))
        else:
            counts = engine.describe()
        print(
            f"{sum(counts['tables'].values()):,} rows in {len(counts['tables'])} tables "
            f"(schools {counts['tables']['hubops_school']:,}, attendance "
            f"{counts['tables']['workgroups_attendance']:,}, audit "
            f"{counts['tables']['hubops_auditevent']:,}); 60 media files."
        )
        connection.close()
        results = {"backup": ([], []), "restore": ([], [])}
        sizes: dict[str, int] = {}
        for run in range(args.runs):
            ours, theirs = one_run(run, engine, tmp, sizes)
            for name in results:
                results[name][0].append(ours[name])
                results[name][1].append(theirs[name])
        tool = ".backup/.restore (sqlite3)" if engine.name == "sqlite" else "pg_dump/pg_restore"
        print(f"\nMedian of {args.runs} runs, hubops against {tool}:")
        print(f"{'':10} {'hubops s':>10} {'plain s':>10} {'ratio':>7}")
        for name, (ours, theirs) in results.items():
            a, b = statistics.median(ours), statistics.median(theirs)
            print(f"{name:10} {a:10.2f} {b:10.2f} {a / b:7.1f}x")
        for name, size in sizes.items():
            print(f"{name}: {size / 1e6:.1f} MB")
        print(
            "hubops restore includes decrypting, unpacking, checking every SHA-256, counting "
            "every table and comparing with the manifest; its backup includes the media files."
        )
    finally:
        connection.close()
        if scratch_pg:
            engine.drop_database(scratch_pg)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
