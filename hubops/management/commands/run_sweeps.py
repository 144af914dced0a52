"""``manage.py run_sweeps``: run every beat sweep once, now, in this process, and print what
each sent. Staff run one early here (``--only complaints-sweeps``) or on ``/staff/sweeps/``; the
benchmarks time it.

The sweeps are the beat schedule's reminder entries (``hubops.reminders.sweeps``: the names in
``CELERY_BEAT_SCHEDULE`` ending ``-sweeps`` or ``-reminders``), so a sweep an app adds there is
run here too. The schedule's other jobs (the outbox drain, retention, the nightly backup, the
key contacts) are not sweeps and are left to beat. Each is safe to run at any time: every
reminder is claimed once (``hubops.reminders``), so running a sweep early, twice or beside beat
sends nothing twice.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from hubops.reminders import sweep_run, sweeps


class Command(BaseCommand):
    help = "Run every reminder sweep once now and print what each sent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="NAME",
            help="Run only this sweep (a beat schedule name, e.g. complaints-sweeps); repeatable.",
        )
        parser.add_argument("--list", action="store_true", help="List the sweeps and stop.")

    def handle(self, *args, **options):
        schedule = sweeps()
        if options["list"]:
            for name, sweep in schedule.items():
                self.stdout.write(f"{name:<30} {sweep.task}")
            return
        unknown = sorted(set(options["only"]) - set(schedule))
        if unknown:
            raise CommandError(
                f"No sweep called {', '.join(unknown)}. The sweeps are: {', '.join(schedule)}."
            )
        names = options["only"] or list(schedule)
        started = time.perf_counter()
        for name in names:
            began = time.perf_counter()
            summary = sweep_run(name=name)
            took = time.perf_counter() - began
            self.stdout.write(f"{name}: {summary} ({took:.2f} s)")
        self.stdout.write(f"All sweeps done in {time.perf_counter() - started:.2f} s.")
