"""An attached file is stored once for all the emails queued together that carry it (a sweep's
batch), and leaves with the last email that carries it: erased, forgotten once sent, or
deleted."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hubops import emails, outbox
from hubops.models import OutgoingAttachment, OutgoingFile, OutgoingMessage
from hubops.personal_data import Person
from hubops.personal_data_declarations import _outgoing_file_rows
from privacy.services.erasure import erase_person
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "hubops/email/test_message"
CALENDAR = b"BEGIN:VCALENDAR\r\nSUMMARY:Fictional session\r\nEND:VCALENDAR\r\n"


@pytest.fixture(autouse=True)
def _hub(db):
    return HubFactory()


def message(to: str, *files: tuple[str, bytes]) -> dict:
    return {
        "to": [to],
        "template_prefix": TEMPLATE,
        "context": {"marker": to},
        # A new dict each time, as a caller that builds the file per message would pass.
        "attachments": [emails.attachment(name, content, TYPES[name]) for name, content in files],
    }


TYPES = {"session.ics": "text/calendar", "letter.pdf": "application/pdf"}


def received(message) -> list[tuple[str, bytes, str]]:
    """A sent email's attachments as bytes (Django hands text/* ones back decoded)."""
    return [
        (a.filename, a.content.encode() if isinstance(a.content, str) else a.content, a.mimetype)
        for a in message.attachments
    ]


def test_the_same_file_sent_to_many_is_stored_once_and_everyone_receives_it():
    letter = b"%PDF-1.7 a fictional letter \x00\xff"
    with transaction.atomic():
        outbox.queue(
            [message(f"p{n}@example.org", ("session.ics", CALENDAR)) for n in range(3)]
            + [message("sam@example.org", ("session.ics", CALENDAR), ("letter.pdf", letter))]
        )
    assert OutgoingFile.objects.count() == 2  # the calendar once, the letter once
    assert OutgoingAttachment.objects.count() == 5
    assert outbox.drain().sent == 4
    files = {m.to[0]: received(m) for m in mail.outbox}
    assert files["p1@example.org"] == [("session.ics", CALENDAR, "text/calendar")]
    assert files["sam@example.org"] == [
        ("session.ics", CALENDAR, "text/calendar"),
        ("letter.pdf", letter, "application/pdf"),
    ]


def test_queueing_files_takes_the_same_statements_for_ten_messages_or_a_thousand():
    def statements(count: int) -> tuple[int, int]:
        items = [message(f"p{n}@example.org", ("session.ics", CALENDAR)) for n in range(count)]
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            assert outbox.queue(items) == count
        links = [
            q for q in captured if q["sql"].startswith('INSERT INTO "hubops_outgoingattachment"')
        ]
        return len(captured) - len(links), len(links)

    (small, small_links), (large, large_links) = statements(10), statements(1000)
    assert large == small
    # PostgreSQL writes the attachments with one COPY; SQLite's INSERT is split by its limit of
    # 999 parameters (249 rows of four).
    assert small_links == (0 if connection.vendor == "postgresql" else 1)
    assert large_links == (0 if connection.vendor == "postgresql" else 5)


def test_the_last_email_carrying_a_file_takes_it_with_it():
    with transaction.atomic():
        outbox.queue(
            [message(to, ("session.ics", CALENDAR)) for to in ("a@example.org", "b@example.org")]
        )
    first, second = OutgoingMessage.objects.order_by("pk")
    first.delete()
    assert OutgoingFile.objects.count() == 1  # the other email still carries it
    second.delete()
    assert not OutgoingFile.objects.exists()


def test_a_message_forgotten_once_sent_leaves_no_file(monkeypatch):
    monkeypatch.setattr(outbox, "FORGET_WHEN_SENT", {TEMPLATE})
    with transaction.atomic():
        outbox.queue([message("sam@example.org", ("letter.pdf", b"%PDF-1.7 fictional"))])
    assert outbox.drain().sent == 1
    assert received(mail.outbox[0])[0][1] == b"%PDF-1.7 fictional"
    assert not OutgoingAttachment.objects.exists() and not OutgoingFile.objects.exists()


def test_erasure_deletes_a_file_only_that_persons_mail_carries_and_keeps_a_shared_one():
    own = b"%PDF-1.7 Sam's own fictional letter"
    with transaction.atomic():
        outbox.queue(
            [
                message("sam@example.org", ("letter.pdf", own), ("session.ics", CALENDAR)),
                message("lee@example.org", ("session.ics", CALENDAR)),
            ]
        )
    sam = Person.for_email("sam@example.org")
    assert [f.content for f in _outgoing_file_rows(sam)] == [own]  # the access export's rows

    erase_person(sam, today=timezone.localdate())

    assert [bytes(f.content) for f in OutgoingFile.objects.all()] == [CALENDAR]
    assert list(OutgoingMessage.objects.values_list("to", flat=True)) == ["lee@example.org"]
    assert outbox.drain().sent == 1
    assert received(mail.outbox[0]) == [("session.ics", CALENDAR, "text/calendar")]


def test_staff_see_each_attachments_name_and_size_in_the_admin(admin_client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    with transaction.atomic():
        outbox.queue([message("sam@example.org", ("session.ics", CALENDAR))])
    row = OutgoingMessage.objects.get()
    page = admin_client.get(reverse("admin:hubops_outgoingmessage_change", args=[row.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "session.ics" in text and f">{len(CALENDAR)}<" in text
