"""Benchmark: draining the outbox to a local SMTP server, against Django's own
``send_messages`` over one connection for the same messages, in the same run.

    .venv/bin/python bench/bench_outbox.py [--messages 10000] [--rounds 3] [--latency 40]
                                           [--sweep 100000]

Uses a temporary SQLite database and an aiosmtpd server in this process (a sink that counts
what it accepts). Each round queues N messages with ``hubops.emails.queue_emails`` (one bulk
INSERT), drains them with ``hubops.outbox.drain`` (claim in batches, render, send over one SMTP
connection per batch, mark each sent), then sends the same N messages, already rendered, with
one ``get_connection().send_messages(...)`` call. It prints the median messages/second of the
rounds for both, the ratio, and the aim beside it (the outbox at least half the raw rate).

It also prints the median latency of filing a complaint (an informal concern: the service the
form calls) with the outbox against the same call with sending switched off.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AIM = 0.5

SINK = """
import signal, sys, threading
from aiosmtpd.controller import Controller

class Sink:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        return "250 OK"

done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("READY", flush=True)
done.wait()
controller.stop()
print("ACCEPTED", Sink.count, flush=True)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency", type=int, default=40, help="complaints filed per variant")
    parser.add_argument("--sweep", type=int, default=100_000, help="messages in one queue_emails")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="hubops-bench-outbox-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "hubops.settings",
            "HUBOPS_DATA_DIR": folder,
            "DEBUG": "false",  # no query log in memory: as in production
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123",
            "SITE_URL": "https://hub.example.test",
            "ALLOWED_HOSTS": "*",
            "CELERY_BROKER_URL": "memory://",  # the kick on commit is a cheap in-memory publish
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.mail import get_connection
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from complaints import services as complaint_services
    from hubops import emails, outbox
    from hubops.models import Hub, OutgoingMessage

    call_command("migrate", verbosity=0)
    Hub.objects.create(name="Bench Fictional Hub", code="ZZ9", email="hub@hub.example.test")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The SMTP server runs in a process of its own, as a real one would (in a thread of this
    # process the sender and the server would take turns on the GIL).
    sink = subprocess.Popen(
        [sys.executable, "-c", SINK, str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout.readline().strip() == "READY"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""

    n = args.messages
    template = "workgroups/email/registration_received"

    def items():
        return [
            {
                "to": [f"teacher{i}@example.org"],
                "template_prefix": template,
                "context": {
                    "full_name": f"Teacher {i} O'Fictional",
                    "group_code": "FL25-01",
                    "group_title": "Fictional Leaders' Fractions Group",
                    "school_name": "St Fictional's Primary",
                    "reference": f"R-{i:05d}",
                    "status": "Confirmed",
                },
            }
            for i in range(n)
        ]

    queue_rates, drain_rates, raw_rates = [], [], []
    try:
        for round_no in range(1, args.rounds + 1):
            OutgoingMessage.objects.all().delete()
            batch = items()
            started = time.perf_counter()
            with transaction.atomic():
                emails.queue_emails(batch)
            queue_rates.append(n / (time.perf_counter() - started))

            started = time.perf_counter()
            result = outbox.drain()
            drain_rates.append(n / (time.perf_counter() - started))
            assert result.sent == n, result

            hub = Hub.current()
            messages = [emails.build_email(**item, hub=hub) for item in batch]
            started = time.perf_counter()
            sent = get_connection().send_messages(messages)
            raw_rates.append(n / (time.perf_counter() - started))
            assert sent == n, sent
            print(
                f"round {round_no}: queue {queue_rates[-1]:,.0f}/s, outbox drain "
                f"{drain_rates[-1]:,.0f}/s, Django send_messages {raw_rates[-1]:,.0f}/s",
                flush=True,
            )

        # A reminder sweep's worth queued in one call (not sent).
        OutgoingMessage.objects.all().delete()
        sweep = [
            {"to": [f"t{i}@example.org"], "template_prefix": template, "context": {"n": i}}
            for i in range(args.sweep)
        ]
        started = time.perf_counter()
        with transaction.atomic():
            emails.queue_emails(sweep)
        sweep_seconds = time.perf_counter() - started
        OutgoingMessage.objects.all().delete()

        # A complaint filed: with the outbox, and with sending switched off.
        data = {
            "full_name": "Pat O'Fictional",
            "email": "pat@example.org",
            "phone": "",
            "address": "",
            "relationship": "participant",
            "about_kind": "work_group",
            "about_detail": "Fictional Fractions Work Group",
            "subject_name": "",
            "what_happened": "The session was cancelled without notice.",
            "done_so_far": "",
            "outcome_wanted": "An apology.",
            "adjustments": "",
            "concerns": "other",
            "issue_date": timezone.localdate(),
        }

        def file_many() -> float:
            times = []
            for _ in range(args.latency):
                started = time.perf_counter()
                complaint_services.complaint_file(
                    data=data, received_on=timezone.localdate(), formal=False
                )
                times.append(time.perf_counter() - started)
            return statistics.median(times) * 1000

        with_outbox = file_many()
        real_queue = outbox.queue
        outbox.queue = lambda items: []  # sending switched off
        try:
            without = file_many()
        finally:
            outbox.queue = real_queue
    finally:
        sink.send_signal(signal.SIGTERM)
        accepted = sink.communicate(timeout=30)[0].strip()
    expected = 2 * n * args.rounds
    assert accepted == f"ACCEPTED {expected}", (accepted, expected)

    queue_rate = statistics.median(queue_rates)
    drain_rate = statistics.median(drain_rates)
    raw_rate = statistics.median(raw_rates)
    ratio = drain_rate / raw_rate
    print()
    print(f"messages per round: {n:,}, rounds: {args.rounds} (medians below)")
    print(f"queue_emails (one bulk INSERT): {queue_rate:>10,.0f} messages/s")
    print(f"queue_emails of {args.sweep:,} (a sweep): {sweep_seconds:.1f} s")
    print(f"outbox drain to SMTP:           {drain_rate:>10,.0f} messages/s")
    print(f"Django send_messages (1 conn):  {raw_rate:>10,.0f} messages/s")
    verdict = "met" if ratio >= AIM else "NOT met"
    print(f"ratio outbox/raw: {ratio:.2f}   (aim >= {AIM}: {verdict})")
    print(
        f"filing a concern, median of {args.latency}: {with_outbox:.1f} ms with the outbox, "
        f"{without:.1f} ms with sending switched off"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
