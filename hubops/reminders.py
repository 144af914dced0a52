"""Exactly-once reminders, claimed in batches.

A sweep (one per kind of deadline, run by beat) builds what is due as :class:`Reminder` items
and hands them to :func:`remind_batch`. Each reminder is claimed by inserting a
:class:`ReminderLog` row whose unique key is (object, kind, due date), and its email is queued
in the same transaction: a second sweep, or two sweeps at once, cannot claim it again, and a
worker that dies before the commit leaves nothing claimed, so the next sweep sends it.

Work per batch of about :data:`BATCH_SIZE` reminders is a constant number of statements, however
many reminders are due: one query for the claims that already exist, one for the restricted
people among the recipients, one ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` for the new
claims (it says exactly which ones this sweep won, even against a sweep running at the same
time), and one call of :func:`hubops.emails.queue_emails` for their messages. A rerun that
finds everything claimed issues one query per batch and writes nothing.

:func:`remind_once` is the one-item form, for sweeps that find a handful of objects.

The claims and their outbox rows (``hubops/outbox.py``) commit together: once a claim commits, so
has its message, which the outbox's drain sends even if the broker was down at that moment.
"Claimed" always means "will be sent".
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import audit, emails, outbox
from .models import ReminderLog

BATCH_SIZE = 1000

Key = tuple[str, str, str, date]


@dataclass
class Reminder:
    """One reminder a sweep found due. ``context`` and ``attachments`` may be callables, so a
    rerun that finds the reminder already claimed never builds them."""

    object_type: str
    object_id: str
    kind: str
    due_on: date
    to: Iterable[str]
    template_prefix: str
    context: dict[str, Any] | Callable[[], dict[str, Any]] | None = None
    attachments: Iterable[dict[str, str]] | Callable[[], Iterable[dict[str, str]]] = field(
        default_factory=tuple
    )

    @classmethod
    def about(cls, obj: models.Model, **kwargs: Any) -> Reminder:
        return cls(object_type=obj._meta.label_lower, object_id=str(obj.pk), **kwargs)

    @property
    def key(self) -> Key:
        return (self.object_type, self.object_id, self.kind, self.due_on)

    # Handed to the outbox as they are, not copied: it only reads them (a sweep of 100,000
    # would otherwise copy 100,000 dicts and lists that nothing else holds).
    def built_context(self) -> dict[str, Any]:
        context = self.context() if callable(self.context) else self.context
        return context if isinstance(context, dict) else dict(context or {})

    def built_attachments(self) -> list[dict[str, str]] | tuple[dict[str, str], ...]:
        files = self.attachments() if callable(self.attachments) else self.attachments
        return files if isinstance(files, list | tuple) else list(files or ())


def already_sent(obj: models.Model, kind: str, due_on: date) -> bool:
    return ReminderLog.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), kind=kind, due_on=due_on
    ).exists()


def person_email(recipients: list[str]) -> str:
    """The indexed lookup key of a reminder to one person: their address, normalised."""
    return recipients[0].strip().lower() if len(recipients) == 1 else ""


def _chunks(items: Iterable[Reminder], size: int) -> Iterator[list[Reminder]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _due(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: text


# PostgreSQL receives a batch as one string per column, split on the server (``string_to_array``
# on the ASCII unit separator): psycopg would otherwise quote every element of every array in
# Python, which costs more than the statement itself.
SEP = "\x1f"


def _packed(values: Iterable[Any]) -> str:
    text = list(map(str, values))
    # A leading separator, sliced off on the server, keeps a lone empty string an element
    # (``string_to_array('', ...)`` is an empty array).
    packed = SEP + SEP.join(text)
    if packed.count(SEP) != len(text):  # a value held the separator itself
        raise ValueError("A reminder's key or recipients contain a control character.")
    return packed


def _columns(rows: list[tuple]) -> list[str]:
    return [_packed(column) for column in zip(*rows, strict=True)]


def _array(cast: str) -> str:
    return f"(string_to_array(%s, chr(31)))[2:]::{cast}[]"


def unclaimed(keys: Iterable[Key]) -> list[int]:
    """The positions in ``keys`` of those not claimed yet, in one query: each key is looked
    up in the log on its unique key, one index probe however large the log is, and a rerun
    that finds everything claimed reads back nothing. (An ``IN`` list per column leaves
    PostgreSQL's planner guessing, and it guesses a scan.) PostgreSQL gets the keys as four
    arrays, each looked up by a ``LATERAL ... LIMIT 1``, which the planner cannot turn into a
    hash join: with the statistics of a log that was empty at the last ``ANALYZE`` (a sweep's
    first run fills it with 100,000 claims in seconds) it would scan the whole log for every
    batch, 75 ms a batch at 100,000 instead of 3. SQLite gets a ``VALUES`` list."""
    keys = list(keys)
    if not keys:
        return []
    table = connection.ops.quote_name(ReminderLog._meta.db_table)
    if connection.vendor == "postgresql":
        prefix = ""
        arrays = ", ".join(_array(cast) for cast in ("text", "text", "text", "date"))
        source = f"unnest({arrays}) WITH ORDINALITY AS k (object_type, object_id, kind, due_on, n)"
        params: list[Any] = _columns(keys)
    else:
        prefix = "WITH k (n, object_type, object_id, kind, due_on) AS (VALUES "
        prefix += ", ".join(["(%s, %s, %s, %s, %s)"] * len(keys)) + ") "
        source = "k"
        params = [
            v
            for n, (t, i, k, d) in enumerate(keys, start=1)
            for v in (n, t, i, k, connection.ops.adapt_datefield_value(d))
        ]
    match = (
        "r.object_type = k.object_type AND r.object_id = k.object_id "
        "AND r.kind = k.kind AND r.due_on = k.due_on"
    )
    # Only the quoted table name and placeholders are interpolated; every value is a parameter.
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT k.n FROM {source} LEFT JOIN LATERAL (SELECT 1 AS found FROM {table} r "  # noqa: S608
            f"WHERE {match} LIMIT 1) c ON true WHERE c.found IS NULL"
        )
    else:
        sql = (
            f"{prefix}SELECT k.n FROM {source} "  # noqa: S608
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} r WHERE {match})"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] - 1 for row in cursor.fetchall())


def existing_claims(keys: Iterable[Key]) -> set[Key]:
    """Which of ``keys`` are claimed already (one query)."""
    keys = list(keys)
    missing = set(unclaimed(keys))
    return {key for n, key in enumerate(keys) if n not in missing}


def _insert_claims(rows: list[tuple[Reminder, list[str]]]) -> set[Key]:
    """Insert the claims in one statement; return the keys this call inserted (a claim another
    sweep made first is skipped, not an error)."""
    table = connection.ops.quote_name(ReminderLog._meta.db_table)
    columns = ["object_type", "object_id", "kind", "due_on", "sent_at", "recipients", "email"]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    now = timezone.now()
    records = [
        (*item.key, now, ", ".join(recipients), person_email(recipients))
        for item, recipients in rows
    ]
    if connection.vendor == "postgresql":
        arrays = ", ".join(_array(cast) for cast in ("text",) * 3 + ("date",))
        source = f"SELECT t, i, k, d, %s::timestamptz, r, e FROM unnest({arrays}, "  # noqa: S608
        source += f"{_array('text')}, {_array('text')}) AS u (t, i, k, d, r, e)"
        t, i, k, d, _, r, e = zip(*records, strict=True)
        params: list[Any] = [now, _packed(t), _packed(i), _packed(k), _packed(d)]
        params += [_packed(r), _packed(e)]
    else:
        source = "VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(records))
        adapt_date = connection.ops.adapt_datefield_value
        adapt_time = connection.ops.adapt_datetimefield_value
        params = [
            v
            for t, i, k, d, at, r, e in records
            for v in (t, i, k, adapt_date(d), adapt_time(at), r, e)
        ]
    # Only quoted identifiers and placeholders are interpolated; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({quoted}) {source} "  # noqa: S608
        "ON CONFLICT DO NOTHING RETURNING object_type, object_id, kind, due_on"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(t, i, k, _due(d)) for t, i, k, d in cursor.fetchall()}


def _claim_batch(batch: list[Reminder]) -> int:
    unique: dict[Key, Reminder] = {}
    for item in batch:
        unique.setdefault(item.key, item)
    candidates = list(unique.values())
    new = [candidates[n] for n in unclaimed(item.key for item in candidates)]
    if not new:
        return 0
    # Restricted people (and any other recipient filter) once for the whole batch.
    addresses = {a for item in new for a in item.to if a}
    allowed = set(emails.allowed_recipients(sorted(addresses)))
    rows = [(item, [a for a in item.to if a and a in allowed]) for item in new]
    with transaction.atomic():
        won = _insert_claims(rows)
        emails.queue_emails(
            {
                "to": recipients,
                "template_prefix": item.template_prefix,
                "context": item.built_context(),
                "attachments": item.built_attachments(),
            }
            for item, recipients in rows
            if item.key in won and recipients
        )
    return len(won)


def remind_batch(
    items: Iterable[Reminder], *, batch_size: int = BATCH_SIZE, workers: int | None = None
) -> int:
    """Claim and queue every reminder in ``items`` not sent before, ``batch_size`` at a time,
    each batch in its own transaction. Returns how many were queued now.

    On PostgreSQL, outside a transaction, ``workers`` threads (``HUBOPS_SWEEP_WORKERS``, 2 by
    default) claim the batches, each on its own connection: while one waits for the database
    to write its batch, another builds the next one, so a large sweep takes about as long as
    the longer of the two halves, not their sum. Each batch is still one transaction, so
    exactly-once holds as it does for sweeps running at once. Inside a transaction (a test, a
    service that sweeps as part of a change) the batches run here, in order, on this
    connection, which alone sees the transaction's rows."""
    if workers is None:
        workers = int(getattr(settings, "HUBOPS_SWEEP_WORKERS", 2))
    batches = _chunks(items, batch_size)
    if workers < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return sum(_claim_batch(batch) for batch in batches)
    return _claim_in_threads(batches, workers)


def _claim_in_threads(batches: Iterator[list[Reminder]], workers: int) -> int:
    """``_claim_batch`` over ``batches`` in ``workers`` threads; the first error stops the
    batches not yet started (those done stay done: each committed alone) and is raised here."""
    waiting: queue.Queue[list[Reminder] | None] = queue.Queue(maxsize=workers)
    claimed: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            while (batch := waiting.get()) is not None:
                if errors:
                    continue  # a batch failed: let the rest go by unclaimed
                try:
                    claimed.append(_claim_batch(batch))
                except BaseException as exc:  # noqa: BLE001 - handed to the caller below
                    errors.append(exc)
        finally:
            # This thread's own connections: the database's and the broker's (kicks).
            connection.close()
            outbox.close_thread_connection()

    threads = [threading.Thread(target=work, name=f"sweep-{n}") for n in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for batch in batches:  # built here, in the caller's thread (its connection, its data)
            if errors:
                break
            waiting.put(batch)
    finally:
        for _ in threads:
            waiting.put(None)
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
    return sum(claimed)


def remind_once(
    *,
    obj: models.Model,
    kind: str,
    due_on: date,
    to: Iterable[str],
    template_prefix: str,
    context: dict[str, Any] | None = None,
    attachments: Iterable[dict[str, str]] = (),
) -> bool:
    """Queue one reminder about ``obj`` unless it was sent before. Returns whether it was
    queued now."""
    item = Reminder.about(
        obj,
        kind=kind,
        due_on=due_on,
        to=list(to),
        template_prefix=template_prefix,
        context=context,
        attachments=list(attachments),
    )
    return bool(remind_batch([item]))


# -- running the sweeps (beat, ``manage.py run_sweeps`` and the staff page) ----------------------

SWEEP_SUFFIXES = ("-sweeps", "-reminders")

#: What each beat sweep sends, for the people who run one early.
SWEEP_DESCRIPTIONS = {
    "workgroups-sweeps": "Work Groups: session reminders, absence follow-ups, evaluation "
    "requests and offers that lapse",
    "complaints-sweeps": "Complaints: acknowledgement, response and appeal deadlines, and the "
    "policy's review date",
    "privacy-sweeps": "Privacy: data-rights request deadlines, the 72-hour breach clock and DPIA "
    "reviews",
    "governance-reminder-sweeps": "Governance: board meetings to schedule, papers to circulate, "
    "terms ending and SLAs expiring",
    "reports-reminders": "Reports: reports due and reports waiting for quality assurance or "
    "sign-off",
}


@dataclass(frozen=True)
class Sweep:
    name: str
    task: str
    description: str


def sweeps() -> dict[str, Sweep]:
    """The beat schedule's reminder sweeps (names ending ``-sweeps`` or ``-reminders``), so a
    sweep an app adds to ``CELERY_BEAT_SCHEDULE`` is listed and runnable without more code."""
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", {})
    return {
        name: Sweep(name, entry["task"], SWEEP_DESCRIPTIONS.get(name, name))
        for name, entry in schedule.items()
        if name.endswith(SWEEP_SUFFIXES)
    }


def describe_result(result: Any) -> str:
    """What a sweep's task returned, as one line: "session_reminders 12, absences 0" for a
    sweep of several kinds, "3 sent" for one."""
    if isinstance(result, dict):
        return ", ".join(f"{name} {value}" for name, value in result.items()) or "nothing"
    if result is None:
        return "nothing due"
    return f"{result} sent"


def sweep_run(*, name: str, actor: Any = None) -> str:
    """Run the sweep ``name`` now, in this process, and say what it sent. Safe beside beat:
    every reminder is claimed once, so an early run never sends anything twice."""
    found = sweeps().get(name)
    if found is None:
        raise LookupError(f"No sweep called {name}. The sweeps are: {', '.join(sweeps())}.")
    result = import_string(found.task).run()
    summary = describe_result(result)
    audit.record(actor, None, "hubops.sweep.run_early", data={"sweep": name, "result": summary})
    return summary
