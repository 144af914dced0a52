"""Benchmark: the reminder sweeps at the large demo hub's scale (100,000 session reminders
due, 2,000 open complaints), run, then run again (which must send nothing).

    .venv/bin/python bench/bench_sweeps.py [--rounds 3]

Each round forgets the session-reminder and complaint-reminder claims (in this benchmark's
database only), then times ``manage.py run_sweeps`` twice and each big sweep on its own, with
the number of SQL statements (on every connection, the sweep's worker threads' too; a ``COPY``
is not counted). Messages go to an in-process broker (``memory://``), through
``hubops.emails.queue_emails``; the "claims only" rows count the messages instead of queueing
them, which is the sweep's own work (finding what is due, claiming it in batches). Medians over
the rounds are printed beside the aims.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as bench  # noqa: E402

AIMS = {
    "session reminders, claims only, first run": 10.0,
    "session reminders, claims only, rerun": 2.0,
    "session reminders, first run": 10.0,
    "session reminders, rerun": 2.0,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    env = bench.environment()
    env["CELERY_BROKER_URL"] = "memory://"
    bench.setup_django(env)

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from complaints import reminders as complaint_reminders
    from hubops.models import ReminderLog
    from workgroups import reminders as workgroup_reminders
    from workgroups.models import Registration

    if Registration.objects.count() < 20000:
        sys.exit("Load the large demo first: manage.py load_demo --size large")
    today = timezone.localdate()

    def forget() -> None:
        # Every claim goes (this is the benchmark's database). TRUNCATE, not DELETE: 100,000
        # dead rows would leave the planner thinking the log is empty however full it gets.
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {ReminderLog._meta.db_table}")

    from hubops import emails

    real_queue_emails = emails.queue_emails

    def claims_only(run):
        """The sweep with its messages counted instead of queued: the sweep's own work, which
        is what remains once the outbox stores a batch's messages with one INSERT."""

        def wrapped():
            emails.queue_emails = lambda items: sum(1 for _ in items)
            try:
                return run()
            finally:
                emails.queue_emails = real_queue_emails

        return wrapped

    from django.db.backends.signals import connection_created

    def timed(run) -> tuple[float, int, object]:
        """Seconds, SQL statements (on every connection: a sweep's worker threads open their
        own) and the result of ``run()``."""
        statements = [0]
        lock = threading.Lock()

        def count(execute, sql, params, many, context):
            with lock:
                statements[0] += 1
            return execute(sql, params, many, context)

        def wrap_new(sender, connection, **kwargs):
            connection.execute_wrappers.append(count)

        connection_created.connect(wrap_new)
        try:
            with connection.execute_wrapper(count):
                began = time.perf_counter()
                result = run()
                took = time.perf_counter() - began
        finally:
            connection_created.disconnect(wrap_new)
        return took, statements[0], result

    rows: dict[str, list[tuple[float, int, object]]] = {}

    def record(name: str, run) -> None:
        rows.setdefault(name, []).append(timed(run))

    sessions = lambda: workgroup_reminders.session_reminder_sweep(today=today)  # noqa: E731
    for _ in range(args.rounds):
        forget()
        record("session reminders, claims only, first run", claims_only(sessions))
        record("session reminders, claims only, rerun", claims_only(sessions))
        forget()
        record(
            "session reminders, first run",
            lambda: workgroup_reminders.session_reminder_sweep(today=today),
        )
        record(
            "session reminders, rerun",
            lambda: workgroup_reminders.session_reminder_sweep(today=today),
        )
        record(
            "complaints (2,000 open), first run",
            lambda: complaint_reminders.complaints_sweeps(today=today),
        )
        record("complaints, rerun", lambda: complaint_reminders.complaints_sweeps(today=today))
        forget()
        record("run_sweeps, first run", lambda: call_command("run_sweeps", stdout=io.StringIO()))
        record("run_sweeps, second run", lambda: call_command("run_sweeps", stdout=io.StringIO()))

    print(f"Sweeps at the large demo hub, PostgreSQL, median of {args.rounds} rounds.")
    print(f"{'sweep':<38} {'seconds':>8} {'aim':>6} {'queries':>8} {'sent':>8}  ok?")
    for name, results in rows.items():
        seconds = statistics.median(r[0] for r in results)
        queries = statistics.median(r[1] for r in results)
        sent = results[-1][2] if isinstance(results[-1][2], int) else ""
        aim = AIMS.get(name)
        ok = "" if aim is None else ("yes" if seconds <= aim else "NO")
        aim_text = f"{aim:.0f} s" if aim else ""
        print(f"{name:<38} {seconds:>8.2f} {aim_text:>6} {queries:>8.0f} {sent!s:>8}  {ok}")


if __name__ == "__main__":
    main()
