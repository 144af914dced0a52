"""The transactional outbox: every email is a row, written with the change that causes it, and
sent by a drain.

Why a table and not the broker: publishing to Celery is a second system that can be down when a
service commits. A row in the same transaction commits (or rolls back) with the change, so
"the complaint exists" always means "its acknowledgement will be sent".

- :func:`queue` writes rows (one bulk INSERT for any number of messages, split only by the
  database's parameter limit) and asks for a drain when the transaction commits. That kick is
  a best-effort publish: if the broker is down the error is logged and swallowed, and beat's
  sweep (every ``HUBOPS_OUTBOX_SWEEP_SECONDS``, 60 by default) sends the message when the
  broker is back.
- :func:`drain` claims due rows in batches and sends them over one SMTP connection per batch.
  The claim is a conditional UPDATE (``status`` still due) stamped with a claim token, preceded
  on PostgreSQL by ``SELECT ... FOR UPDATE SKIP LOCKED`` so concurrent senders take disjoint
  batches without waiting; on SQLite the write lock serialises the claim and the conditional
  UPDATE alone decides. Two senders never hold the same row.
- A claim is a lease (``HUBOPS_OUTBOX_LEASE_SECONDS``): a sender that dies (SIGKILL, a lost
  machine) leaves its rows "sending", and once the lease lapses the next drain takes them over.
  A message the SMTP server accepted just before the sender died, but which was not yet marked
  sent, is therefore sent once more, with the same ``Message-ID`` (fixed on the row when it was
  queued), so mail clients can thread or drop the duplicate.
- A failure is retried with exponential backoff (``HUBOPS_OUTBOX_RETRY_SECONDS`` doubling, capped
  at ``HUBOPS_OUTBOX_RETRY_MAX_SECONDS``); after ``HUBOPS_OUTBOX_MAX_ATTEMPTS`` tries the row is
  marked failed, shown to staff in the admin, where "Retry" calls :func:`outbox_retry`.
- Rendering happens at send time from the stored template prefix and JSON context (queueing
  stays one cheap INSERT; a reminder sweep of 100,000 queues in seconds). An attached file's
  bytes are stored once (:class:`~hubops.models.OutgoingFile`) for all the messages of one
  :func:`queue` call that carry it, each message naming it in an
  :class:`~hubops.models.OutgoingAttachment` row.
- Restriction of processing applies twice: recipients are filtered when queued and again when
  sent (a restriction may start in between); a message left with nobody is marked dropped.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import smtplib
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from time import monotonic  # the batch deadline (tests replace it)
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import get_connection
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from . import audit, emails, tasks
from .models import Hub, OutgoingAttachment, OutgoingFile, OutgoingMessage, OutgoingStatus

logger = logging.getLogger(__name__)

# Template prefixes whose rows keep no personal data once sent (see forget_when_sent).
FORGET_WHEN_SENT: set[str] = set()

REDACTED = "[redacted]"
# The context key of a message stored already rendered (see queue_rendered).
RENDERED = "_rendered"


def forget_when_sent(template_prefix: str) -> None:
    """Once a message of this kind is sent, blank its recipients, context and attachments
    (e.g. the confirmation of an erasure, sent to a person who must leave no trace)."""
    FORGET_WHEN_SENT.add(template_prefix)


# Errors that mean the connection to the mail server is gone: stop the batch, retry it later.
CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _message_domain() -> str:
    host = urlsplit(getattr(settings, "SITE_URL", "") or "").hostname
    return host or "hubops.invalid"


def new_message_id() -> str:
    return new_message_ids(1)[0]


def new_message_ids(count: int, domain: str = "") -> list[str]:
    """``count`` Message-IDs, unique worldwide (RFC 5322 asks it): each is the time in
    milliseconds and 96 random bits, drawn for all of them in one call, at the hub's domain."""
    domain = domain or _message_domain()
    stamp = time.time_ns() // 1_000_000
    random = os.urandom(12 * count).hex()
    return [f"<{stamp}.{random[n : n + 24]}@{domain}>" for n in range(0, 24 * count, 24)]


def _attachment_bytes(item: dict[str, Any]) -> bytes:
    if "content" in item:
        content = item["content"]
        return content.encode() if isinstance(content, str) else bytes(content)
    return base64.b64decode(item["content_b64"])


# Queueing ----------------------------------------------------------------------------------------


def queue(items: Iterable[dict[str, Any]]) -> int:
    """Write one outbox row per item (the keyword arguments of ``emails.queue_email``) in the
    current transaction and kick a drain when it commits. Returns how many rows were written
    (an item whose recipients are all filtered out writes none).

    A constant number of statements however many messages: on PostgreSQL the messages' ids are
    taken from their sequence in one query and the messages go in one ``COPY``; elsewhere in one
    prepared INSERT executed for all rows (``executemany``), their ids read back by their unique
    Message-IDs. No model instances, no per-row ORM work, so a sweep of 100,000 queues in
    seconds. Attachments store each distinct file of the call once (:class:`OutgoingFile`, by
    its SHA-256: a session's calendar file once for all its participants in a batch), then one
    small row per message that carries it."""
    # The items are read, never changed: each is kept as it came, with its recipients listed
    # once (they may be any iterable).
    items = list(items)
    if not items:
        return 0
    recipients = [list(item["to"]) for item in items]
    wanted = {a for to in recipients for a in to if a}
    allowed = set(emails.allowed_recipients(sorted(wanted)))
    stamp = db_connection.ops.adapt_datetimefield_value(timezone.now())
    message_ids = iter(new_message_ids(len(items)))
    plain: list[tuple] = []
    carried: list[tuple[int, list | tuple]] = []  # (row, its files)
    for item, listed in zip(items, recipients, strict=True):
        to = list(dict.fromkeys(a for a in listed if a and a in allowed))
        if not to:
            continue
        files = item.get("attachments")
        if files:
            carried.append((len(plain), files if isinstance(files, list | tuple) else list(files)))
        headers = item.get("headers")
        plain.append(
            (
                next(message_ids),
                ", ".join(to),
                _sole(to),
                ", ".join(item.get("reply_to") or ()),
                item["template_prefix"],
                # JSON text, which both COPY and SQLite's INSERT take as it is.
                _json(item.get("context") or {}),
                _json(dict(headers)) if headers else "{}",
                OutgoingStatus.QUEUED.value,
                0,
                stamp,
                "",
                "",
                "",
                stamp,
            )
        )
    if not plain:
        return 0
    with transaction.atomic():
        ids = _insert_many(plain, ids_needed=bool(carried))
        if carried:
            stored = _store_files([f for _, files in carried for f in files])
            links = [
                (
                    ids[row],
                    stored[id(f)],
                    f["filename"],
                    f.get("mimetype") or "application/octet-stream",
                )
                for row, files in carried
                for f in files
            ]
            if db_connection.vendor == "postgresql":
                _copy_rows(OutgoingAttachment, _LINK_COLUMNS, links)
            else:
                OutgoingAttachment.objects.bulk_create(
                    [OutgoingAttachment(**dict(zip(_LINK_COLUMNS, f, strict=True))) for f in links],
                    batch_size=500,
                )
        kick_on_commit()
    return len(plain)


_LINK_COLUMNS = ("message_id", "file_id", "filename", "mimetype")
# One encoder for every message (``json.dumps(cls=...)`` would build one per call).
_json = DjangoJSONEncoder().encode


def _store_files(files: list[dict[str, Any]]) -> dict[int, int]:
    """Store each distinct file among ``files`` once and return, for each file dict (by
    ``id()``: a sweep hands the same dict to every message about one session), its
    :class:`OutgoingFile` key: one INSERT.

    Files are shared within one call, never across calls: a batch that reused another
    transaction's file would wait for that transaction to commit (the threads of a sweep
    would queue behind each other), and could lose the file to a concurrent erasure. A sweep
    of 100,000 reminders in batches of 1,000 stores each session's file once per batch."""
    digest_of: dict[int, str] = {}
    contents: dict[str, bytes] = {}
    for f in files:
        if id(f) in digest_of:
            continue
        content = _attachment_bytes(f)
        digest = hashlib.sha256(content).hexdigest()
        digest_of[id(f)] = digest
        contents.setdefault(digest, content)
    stored = OutgoingFile.objects.bulk_create(
        [OutgoingFile(sha256=d, size=len(c), content=c) for d, c in contents.items()],
        batch_size=200,
    )
    keys = {f.sha256: f.pk for f in stored}
    return {key: keys[digest] for key, digest in digest_of.items()}


def forget_unused_files(file_ids: Iterable[int]) -> int:
    """Delete those of ``file_ids`` that no message carries any more (an attachment was
    deleted: its message erased, forgotten once sent, or destroyed by the retention schedule).
    Returns how many went."""
    unused = OutgoingFile.objects.filter(pk__in=list(file_ids)).filter(
        ~Exists(OutgoingAttachment.objects.filter(file=OuterRef("pk")))
    )
    deleted, _ = unused.delete()
    return deleted


def sole_recipient(to: str) -> str:
    """The indexed key of a message to one person (their address, lower-cased), or "" for a
    message to several: those are found by the whole address in ``to``."""
    return _sole([a.strip() for a in to.split(",") if a.strip()])


def _sole(addresses: list[str]) -> str:
    return addresses[0].strip().lower() if len(addresses) == 1 else ""


_COLUMNS = (
    "message_id",
    "to",
    "email",
    "reply_to",
    "template_prefix",
    "context",
    "headers",
    "status",
    "attempts",
    "next_attempt_at",
    "claim",
    "subject",
    "last_error",
    "created_at",
)


def _copy_rows(model, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """PostgreSQL's ``COPY ... FROM STDIN`` for ``rows`` (the values of ``columns``, in order):
    at 100,000 messages several times faster than an ``executemany`` of INSERTs, which still
    adapts and sends each row as its own statement."""
    quote = db_connection.ops.quote_name
    # Table and column names come from the model; the rows travel as COPY data.
    sql = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table),
        ", ".join(quote(model._meta.get_field(c).column) for c in columns),
    )
    with db_connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _new_ids(model, count: int) -> list[int]:
    """``count`` new primary keys for ``model``'s rows, from its sequence, in one query
    (PostgreSQL): rows written with them need no second query to learn their ids."""
    table = db_connection.ops.quote_name(model._meta.db_table)
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _insert_many(rows: list[tuple], *, ids_needed: bool) -> list[int]:
    """Write the messages ``rows`` (values of ``_COLUMNS``); return their ids, in order, when
    ``ids_needed`` (on PostgreSQL they are taken before the rows are written)."""
    if db_connection.vendor == "postgresql":
        if not ids_needed:
            _copy_rows(OutgoingMessage, _COLUMNS, rows)
            return []
        ids = _new_ids(OutgoingMessage, len(rows))
        _copy_rows(
            OutgoingMessage,
            ("id", *_COLUMNS),
            ((pk, *row) for pk, row in zip(ids, rows, strict=True)),
        )
        return ids
    quote = db_connection.ops.quote_name
    # Table and column names come from the model, the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(OutgoingMessage._meta.db_table),
        ", ".join(quote(OutgoingMessage._meta.get_field(c).column) for c in _COLUMNS),  # type: ignore[union-attr,arg-type]
        ", ".join(["%s"] * len(_COLUMNS)),
    )
    with db_connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    if not ids_needed:
        return []
    message_ids = [row[0] for row in rows]
    found = dict(
        OutgoingMessage.objects.filter(message_id__in=message_ids).values_list("message_id", "pk")
    )
    return [found[m] for m in message_ids]


_local = threading.local()


def _broker_connection(app):
    """This thread's connection for kicks, kept open between them. One try, no reconnect loop:
    a request must never wait for a broker that is down (kombu would retry for seconds)."""
    conn = getattr(_local, "connection", None)
    if conn is None:
        options = {**(app.conf.broker_transport_options or {}), "max_retries": 0}
        conn = _local.connection = app.connection_for_write(transport_options=options)
    return conn


def close_thread_connection() -> None:
    """Release this thread's broker connection for kicks (a thread that queued mail ends)."""
    _drop_broker_connection()


def _drop_broker_connection() -> None:
    conn = getattr(_local, "connection", None)
    _local.connection = None
    if conn is not None:
        try:
            conn.release()
        except Exception:  # already broken: nothing to release
            logger.debug("Releasing the broker connection failed", exc_info=True)


def queue_rendered(
    *, to: list[str], template_prefix: str, subject: str, text: str, html: str
) -> int:
    """Queue a message rendered by someone else (allauth renders its own mail in the request).
    It is stored as it is and, once sent, keeps none of its contents (sign-in codes, links)."""
    forget_when_sent(template_prefix)
    return queue(
        [
            {
                "to": to,
                "template_prefix": template_prefix,
                "context": {RENDERED: {"subject": subject, "text": text, "html": html}},
            }
        ]
    )


def _kick() -> None:
    task = tasks.outbox_drain_task
    if task.app.conf.task_always_eager:
        try:
            task.apply_async()
        except Exception as exc:  # as below: the change is committed, the sweep sends later
            logger.warning(
                "Could not publish the outbox drain task (%s: %s); the next sweep will send "
                "the mail.",
                type(exc).__name__,
                exc,
            )
        return
    for attempt in (1, 2):  # a kept connection may have gone stale: try a fresh one once
        try:
            task.apply_async(connection=_broker_connection(task.app), retry=False)
            return
        except Exception as exc:  # the broker is down: beat's sweep sends the message later
            _drop_broker_connection()
            if attempt == 2:
                logger.warning(
                    "Could not publish the outbox drain task (%s: %s); the next sweep will "
                    "send the mail.",
                    type(exc).__name__,
                    exc,
                )


def kick_on_commit() -> None:
    """Ask for a drain once the current transaction commits. Each call publishes one small task
    (a service that writes several messages in one call kicks once: :func:`queue` is one call);
    a drain that finds nothing due costs one query."""
    transaction.on_commit(_kick)


# Sending -----------------------------------------------------------------------------------------


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0

    def count(self, outcome: str) -> None:
        """Add one to the field named ``outcome`` ("sent", "retried", "failed", "dropped")."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __iadd__(self, other: DrainResult) -> DrainResult:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.dropped += other.dropped
        return self


def _due(now) -> Q:
    # Queued and due, or "sending" whose sender's lease has lapsed (the sender died).
    return Q(status__in=[OutgoingStatus.QUEUED, OutgoingStatus.SENDING], next_attempt_at__lte=now)


def claim(limit: int) -> list[OutgoingMessage]:
    """Claim up to ``limit`` due messages for this sender and return them."""
    now = timezone.now()
    token = uuid.uuid4().hex
    lease = timedelta(seconds=_setting("HUBOPS_OUTBOX_LEASE_SECONDS", 300))
    most = _setting("HUBOPS_OUTBOX_MAX_ATTEMPTS", 8)
    # A message whose senders kept dying while sending it (a lapsed claim, every try used) is
    # failed, not tried for ever.
    OutgoingMessage.objects.filter(
        status=OutgoingStatus.SENDING, next_attempt_at__lte=now, attempts__gte=most
    ).update(
        status=OutgoingStatus.FAILED,
        claim="",
        last_error=f"The sender stopped while sending it, {most} times.",
    )
    with transaction.atomic():
        candidates = OutgoingMessage.objects.filter(_due(now)).order_by("next_attempt_at", "pk")
        if db_connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        # The claim itself: only rows still due match, so a sender that read the same ids a
        # moment earlier or later (SQLite has no row locks) cannot take them too.
        OutgoingMessage.objects.filter(_due(now), pk__in=ids).update(
            status=OutgoingStatus.SENDING,
            claim=token,
            next_attempt_at=now + lease,
            attempts=F("attempts") + 1,
        )
    return list(
        OutgoingMessage.objects.filter(
            pk__in=ids, claim=token, status=OutgoingStatus.SENDING
        ).order_by("pk")
    )


def _backoff(attempts: int) -> timedelta:
    base = _setting("HUBOPS_OUTBOX_RETRY_SECONDS", 30)
    cap = _setting("HUBOPS_OUTBOX_RETRY_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _mine(row: OutgoingMessage):
    return OutgoingMessage.objects.filter(pk=row.pk, claim=row.claim, status=OutgoingStatus.SENDING)


def _mark_sent(row: OutgoingMessage, subject: str) -> None:
    """Mark one message sent, right after the server accepted it (one short statement: this runs
    once per message, so it skips the ORM's query building)."""
    table = db_connection.ops.quote_name(OutgoingMessage._meta.db_table)
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, subject = %s, claim = '', "  # noqa: S608
            "last_error = '' WHERE id = %s AND claim = %s AND status = %s",
            [
                OutgoingStatus.SENT.value,
                db_connection.ops.adapt_datetimefield_value(timezone.now()),
                subject[:300],
                row.pk,
                row.claim,
                OutgoingStatus.SENDING.value,
            ],
        )


def _release(rows: list[OutgoingMessage]) -> None:
    """Give claimed, untried rows back to the queue, due now, their try not counted."""
    for row in rows:
        _mine(row).update(
            status=OutgoingStatus.QUEUED,
            claim="",
            next_attempt_at=timezone.now(),
            attempts=F("attempts") - 1,
        )


def _give_up_or_retry(row: OutgoingMessage, error: BaseException, *, final: bool = False) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    if final or row.attempts >= _setting("HUBOPS_OUTBOX_MAX_ATTEMPTS", 8):
        _mine(row).update(status=OutgoingStatus.FAILED, last_error=text, claim="")
        logger.error("Outbox message %s failed for good: %s", row.pk, text)
        return "failed"
    _mine(row).update(
        status=OutgoingStatus.QUEUED,
        last_error=text,
        claim="",
        next_attempt_at=timezone.now() + _backoff(row.attempts),
    )
    logger.warning("Outbox message %s will be retried: %s", row.pk, text)
    return "retried"


def _build(row: OutgoingMessage, *, to, hub, attachments, from_email):
    """The message for ``row``, or the outcome ("retried" or "failed") when it cannot be
    rendered: a missing or broken template fails at once, anything else is retried."""
    try:
        return emails.message_from_outbox(
            row, to=to, hub=hub, attachments=attachments, from_email=from_email
        )
    except (TemplateDoesNotExist, TemplateSyntaxError) as exc:
        _give_up_or_retry(row, exc, final=True)
        return "failed"
    except Exception as exc:  # a context the template cannot render: retry, then fail
        return _give_up_or_retry(row, exc)


def _delivered(row: OutgoingMessage, subject: str) -> None:
    """Mark ``row`` sent; a message in FORGET_WHEN_SENT keeps no copy of what it said."""
    if row.template_prefix not in FORGET_WHEN_SENT:
        _mark_sent(row, subject)
        return
    with transaction.atomic():
        _mine(row).update(
            status=OutgoingStatus.SENT,
            sent_at=timezone.now(),
            to=REDACTED,
            email="",
            reply_to="",
            context={},
            subject="",
            claim="",
            last_error="",
        )
        OutgoingAttachment.objects.filter(message_id=row.pk).delete()


def _send_each(rows, mail, result: DrainResult, *, hub, files, allowed, deadline) -> None:
    from_email = emails.hub_from_email(hub)
    for index, row in enumerate(rows):
        to = [a for a in row.to_list if a in allowed]
        if not to:
            _mine(row).update(status=OutgoingStatus.DROPPED, claim="", sent_at=None)
            result.dropped += 1
            continue
        if index and monotonic() > deadline:
            # Past half the claim's lease: hand the rest back rather than risk another
            # sender taking them over while this one still sends.
            _release(rows[index:])
            return
        message = _build(
            row, to=to, hub=hub, attachments=files.get(row.pk, ()), from_email=from_email
        )
        if isinstance(message, str):
            result.count(message)
            continue
        try:
            mail.send_messages([message])
        except CONNECTION_ERRORS as exc:
            # The server went away: this one and the rest of the batch wait and retry.
            for pending in rows[index:]:
                result.count(_give_up_or_retry(pending, exc))
            return
        except Exception as exc:
            result.count(_give_up_or_retry(row, exc))
            continue
        _delivered(row, message.subject)
        result.sent += 1


def _files_of(rows: list[OutgoingMessage]) -> dict[int, list[dict[str, Any]]]:
    """Each message's attachments (``build_email``'s dicts), in two queries: the attachments,
    then each distinct file's bytes once."""
    links = list(OutgoingAttachment.objects.filter(message__in=[r.pk for r in rows]).order_by("pk"))
    if not links:
        return {}
    contents = dict(
        OutgoingFile.objects.filter(pk__in={a.file_id for a in links}).values_list("pk", "content")
    )
    files: dict[int, list[dict[str, Any]]] = {}
    for a in links:
        files.setdefault(a.message_id, []).append(
            {"filename": a.filename, "content": bytes(contents[a.file_id]), "mimetype": a.mimetype}
        )
    return files


def send_claimed(rows: list[OutgoingMessage]) -> DrainResult:
    """Send claimed rows over one connection to the mail server, marking each as it goes."""
    result = DrainResult()
    if not rows:
        return result
    files = _files_of(rows)
    allowed = set(emails.allowed_recipients(sorted({a for r in rows for a in r.to_list})))
    deadline = monotonic() + _setting("HUBOPS_OUTBOX_LEASE_SECONDS", 300) / 2
    mail = get_connection()
    try:
        mail.open()
    except Exception as exc:
        for row in rows:
            result.count(_give_up_or_retry(row, exc))
        return result
    try:
        _send_each(
            rows, mail, result, hub=Hub.current(), files=files, allowed=allowed, deadline=deadline
        )
    finally:
        try:
            mail.close()
        except Exception:  # closing a dead connection: nothing left to do
            logger.debug("Closing the mail connection failed", exc_info=True)
    return result


def drain(*, batch: int | None = None, max_batches: int | None = None) -> DrainResult:
    """Send everything due, batch by batch, until nothing is left (or ``max_batches``)."""
    size = batch or _setting("HUBOPS_OUTBOX_BATCH", 200)
    total = DrainResult()
    done = 0
    while max_batches is None or done < max_batches:
        rows = claim(size)
        if not rows:
            break
        total += send_claimed(rows)
        done += 1
    return total


# Staff -------------------------------------------------------------------------------------------


@transaction.atomic
def outbox_retry(*, message_ids: Iterable[int], actor: Any) -> int:
    """Put failed (or dropped) messages back in the queue to be tried now. Returns how many."""
    rows = list(
        OutgoingMessage.objects.select_for_update()
        .filter(
            pk__in=list(message_ids), status__in=[OutgoingStatus.FAILED, OutgoingStatus.DROPPED]
        )
        .order_by("pk")
    )
    for row in rows:
        row.status = OutgoingStatus.QUEUED
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.claim = ""
        row.save(update_fields=["status", "attempts", "next_attempt_at", "claim"])
        audit.record(
            actor,
            row,
            "hubops.outgoingmessage.retried",
            object_label=f"{row.template_prefix} #{row.pk}",
        )
    if rows:
        kick_on_commit()
    return len(rows)
