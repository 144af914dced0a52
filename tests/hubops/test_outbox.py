"""The outbox: a message is a row written with the change, sent after commit by a drain, retried
with backoff, marked failed for staff to retry, never sent twice by two senders."""

from __future__ import annotations

import smtplib
import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from hubops import emails, outbox, ports, reminders, tasks
from hubops.models import AuditEvent, OutgoingMessage, OutgoingStatus, ReminderLog
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "hubops/email/test_message"


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers every message with a temporary failure."""

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(451, b"Try again later")


class DownBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture(autouse=True)
def _hub(db, settings):
    settings.SITE_URL = "https://hub.example.test"
    return HubFactory()


def _queue(marker: str = "m1", **extra) -> None:
    emails.queue_email(
        to=["alex.fictional@example.org"],
        template_prefix=TEMPLATE,
        context={"marker": marker},
        **extra,
    )


def test_a_message_is_a_row_in_the_callers_transaction_and_goes_when_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _queue("committed")
        row = OutgoingMessage.objects.get()
        assert row.status == OutgoingStatus.QUEUED
        assert mail.outbox == []  # nothing leaves before the commit
    row.refresh_from_db()
    assert row.status == OutgoingStatus.SENT and row.sent_at is not None
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert "committed" in sent.subject
    assert sent.extra_headers["Message-ID"] == row.message_id
    assert row.message_id.endswith("@hub.example.test>")
    assert row.subject == sent.subject


def test_a_rolled_back_change_leaves_no_message(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _queue("rolled-back")
        raise RuntimeError("the change failed")
    assert OutgoingMessage.objects.count() == 0
    assert mail.outbox == []


def test_a_broker_error_on_commit_is_logged_not_raised_and_the_sweep_sends_later(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6391. Connection refused.")

    monkeypatch.setattr(tasks.outbox_drain_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _queue("broker-down")
    assert "Could not publish the outbox drain task" in caplog.text
    assert OutgoingMessage.objects.get().status == OutgoingStatus.QUEUED
    assert mail.outbox == []

    monkeypatch.undo()
    tasks.outbox_drain_task.delay()  # what beat does every minute
    assert [m.subject for m in mail.outbox] == [
        "Test message from Riverside Maths Hub: broker-down"
    ]
    assert OutgoingMessage.objects.get().status == OutgoingStatus.SENT


def test_one_kick_for_a_bulk_queue(django_capture_on_commit_callbacks):
    items = [{"to": ["a@example.org"], "template_prefix": TEMPLATE, "context": {}}] * 50
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        emails.queue_emails(items)
    assert len(callbacks) == 1


def test_a_failing_server_is_retried_with_growing_delays_then_marked_failed(settings):
    settings.EMAIL_BACKEND = "tests.hubops.test_outbox.RefusingBackend"
    settings.HUBOPS_OUTBOX_MAX_ATTEMPTS = 4
    settings.HUBOPS_OUTBOX_RETRY_SECONDS = 30
    with transaction.atomic():
        _queue("refused")
    row = OutgoingMessage.objects.get()
    delays = []
    for _ in range(3):
        before = timezone.now()
        result = outbox.drain()
        row.refresh_from_db()
        assert result.retried == 1 and row.status == OutgoingStatus.QUEUED
        delays.append(round((row.next_attempt_at - before).total_seconds()))
        assert "451" in row.last_error
        # Nothing is tried again before its time.
        assert outbox.drain().retried == 0
        OutgoingMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert delays == [30, 60, 120]
    assert outbox.drain().failed == 1
    row.refresh_from_db()
    assert row.status == OutgoingStatus.FAILED and row.attempts == 4
    assert outbox.drain().failed == 0  # a failed message stays failed until someone retries it


def test_mail_server_down_keeps_the_whole_batch_queued(settings):
    settings.EMAIL_BACKEND = "tests.hubops.test_outbox.DownBackend"
    with transaction.atomic():
        for n in range(3):
            _queue(f"down{n}")
    result = outbox.drain()
    assert result.retried == 3 and result.sent == 0
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {OutgoingStatus.QUEUED}


def test_staff_see_failed_mail_in_the_admin_and_retry_it(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.EMAIL_BACKEND = "tests.hubops.test_outbox.RefusingBackend"
    settings.HUBOPS_OUTBOX_MAX_ATTEMPTS = 1
    with transaction.atomic():
        _queue("failed-once")
    outbox.drain()
    row = OutgoingMessage.objects.get()
    assert row.status == OutgoingStatus.FAILED

    url = reverse("admin:hubops_outgoingmessage_changelist")
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "1 email could not be sent" in page.content.decode()
    assert "alex.fictional@example.org" in page.content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"action": "retry_selected", "_selected_action": [row.pk]}, follow=True
        )
    assert "1 email queued to be sent again." in response.content.decode()
    row.refresh_from_db()
    assert row.status == OutgoingStatus.SENT
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="hubops.outgoingmessage.retried").count() == 1


def test_two_senders_never_claim_the_same_message():
    with transaction.atomic():
        for n in range(10):
            _queue(f"c{n}")
    first = outbox.claim(6)
    second = outbox.claim(6)
    assert len(first) == 6 and len(second) == 4
    assert not {r.pk for r in first} & {r.pk for r in second}
    assert outbox.claim(6) == []


def test_a_dead_senders_claim_lapses_and_the_resend_keeps_the_message_id(settings):
    settings.HUBOPS_OUTBOX_LEASE_SECONDS = 300
    with transaction.atomic():
        _queue("crashed")
    [claimed] = outbox.claim(10)  # this sender "dies" here, before sending or marking
    assert outbox.drain().sent == 0  # its lease still holds
    OutgoingMessage.objects.filter(pk=claimed.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert outbox.drain().sent == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == claimed.message_id
    # The dead sender's late "sent" mark cannot touch the row another sender now owns.
    assert outbox._mine(claimed).update(status=OutgoingStatus.QUEUED) == 0


def test_a_slow_batch_hands_back_what_it_cannot_send_within_its_lease(settings, monkeypatch):
    settings.HUBOPS_OUTBOX_LEASE_SECONDS = 10
    with transaction.atomic():
        for n in range(4):
            _queue(f"slow{n}")
    clock = iter([0.0, 1.0, 2.0, 60.0, 61.0])
    monkeypatch.setattr(outbox, "monotonic", lambda: next(clock))  # the batch's clock only
    rows = outbox.claim(10)
    result = outbox.send_claimed(rows)
    # Deadline at 5 s (half the lease): the first always goes, the second and third are checked
    # at 1 s and 2 s, the fourth at 60 s is handed back untried.
    assert result.sent == 3
    [queued] = OutgoingMessage.objects.filter(status=OutgoingStatus.QUEUED)
    assert queued.attempts == 0 and queued.next_attempt_at <= timezone.now()
    assert "slow3" in str(queued.context)


def test_a_message_whose_sender_keeps_dying_is_failed_not_tried_for_ever(settings):
    settings.HUBOPS_OUTBOX_MAX_ATTEMPTS = 3
    with transaction.atomic():
        _queue("poison")
    for _ in range(3):
        assert len(outbox.claim(10)) == 1  # the sender dies each time
        OutgoingMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert outbox.claim(10) == []
    row = OutgoingMessage.objects.get()
    assert row.status == OutgoingStatus.FAILED
    assert "stopped while sending it, 3 times" in row.last_error


def test_queue_emails_writes_many_messages_with_one_insert():
    items = [
        {"to": [f"teacher{n}@example.org"], "template_prefix": TEMPLATE, "context": {"marker": n}}
        for n in range(1000)
    ]
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        assert emails.queue_emails(items) == 1000
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "hubops_outgoingmessage"')]
    # One bulk INSERT, split only by the database's parameter limit (SQLite: 999 per statement,
    # so about a dozen here; PostgreSQL: one). One INSERT per message would be 1,000.
    assert len(inserts) <= (1 if connection.vendor == "postgresql" else 15)
    assert OutgoingMessage.objects.count() == 1000
    assert outbox.drain().sent == 1000
    assert len(mail.outbox) == 1000
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 1000


def test_attachments_travel_through_the_outbox():
    pdf = b"%PDF-1.7 fictional copy \x00\xff"
    with transaction.atomic():
        _queue("with-pdf", attachments=[emails.attachment("copy.pdf", pdf, "application/pdf")])
    outbox.drain()
    [(name, content, mimetype)] = mail.outbox[0].attachments
    assert (name, content, mimetype) == ("copy.pdf", pdf, "application/pdf")


def test_restricted_people_are_not_emailed_even_if_restricted_after_queueing(monkeypatch):
    restricted: set[str] = set()
    monkeypatch.setattr(
        ports, "_recipient_filters", [lambda addrs: [a for a in addrs if a not in restricted]]
    )
    restricted.add("kept.out@example.org")
    with transaction.atomic():
        emails.queue_email(
            to=["kept.out@example.org"], template_prefix=TEMPLATE, context={"marker": "a"}
        )
        emails.queue_email(
            to=["later@example.org", "fine@example.org"],
            template_prefix=TEMPLATE,
            context={"marker": "b"},
        )
    assert OutgoingMessage.objects.count() == 1  # nobody left to email: no row
    restricted.add("later@example.org")
    outbox.drain()
    assert [m.to for m in mail.outbox] == [["fine@example.org"]]
    restricted.add("fine@example.org")
    OutgoingMessage.objects.update(status=OutgoingStatus.QUEUED, next_attempt_at=timezone.now())
    mail.outbox.clear()
    assert outbox.drain().dropped == 1
    assert mail.outbox == []
    assert OutgoingMessage.objects.get().status == OutgoingStatus.DROPPED


def test_reply_to_and_from(settings):
    settings.HUBOPS_REPLY_TO = "office@hub.example.test"
    settings.DEFAULT_FROM_EMAIL = "hubops <no-reply@hub.example.test>"
    with transaction.atomic():
        _queue("a")
        _queue("b", reply_to=["handler@hub.example.test"])
    outbox.drain()
    by_subject = {m.subject[-1]: m for m in mail.outbox}
    assert by_subject["a"].from_email == "Riverside Maths Hub <no-reply@hub.example.test>"
    assert by_subject["a"].reply_to == ["office@hub.example.test"]
    assert by_subject["b"].reply_to == ["handler@hub.example.test"]


def test_a_claimed_reminder_always_has_its_message(monkeypatch):
    hub = HubFactory(name="Second Hub", code="ZZ2")

    def outbox_fails(items):
        raise RuntimeError("the outbox write failed")

    monkeypatch.setattr(outbox, "queue", outbox_fails)
    with pytest.raises(RuntimeError):
        reminders.remind_once(
            obj=hub,
            kind="test.reminder",
            due_on=date(2026, 12, 8),
            to=["alex.fictional@example.org"],
            template_prefix=TEMPLATE,
            context={"marker": "r"},
        )
    assert ReminderLog.objects.count() == 0  # not claimed, so the next sweep tries again
    monkeypatch.undo()

    for _ in range(2):
        reminders.remind_once(
            obj=hub,
            kind="test.reminder",
            due_on=date(2026, 12, 8),
            to=["alex.fictional@example.org"],
            template_prefix=TEMPLATE,
            context={"marker": "r"},
        )
    assert ReminderLog.objects.count() == 1
    assert OutgoingMessage.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_senders_on_postgresql_send_each_message_once(monkeypatch):
    """Real row locks: eight drains at once over 400 messages, each sent exactly once."""
    monkeypatch.setattr(outbox, "_kick", lambda: None)  # no eager drain on commit here
    with transaction.atomic():
        emails.queue_emails(
            {"to": [f"t{n}@example.org"], "template_prefix": TEMPLATE, "context": {"marker": n}}
            for n in range(400)
        )
    barrier = threading.Barrier(8)
    results = []

    def sender():
        try:
            barrier.wait()
            results.append(outbox.drain(batch=10))
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.sent for r in results) == 400
    assert sum(1 for r in results if r.sent) > 1  # they really worked side by side
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 400 and len(set(ids)) == 400
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {OutgoingStatus.SENT}
