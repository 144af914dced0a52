"""An access export finds a person's reminders and audit events by their exact address (an
indexed column), never by a substring: ``sam@`` must not carry ``xsam@``'s rows."""

from __future__ import annotations

from datetime import date

import pytest

from hubops import audit, outbox
from hubops.models import AuditEvent, OutgoingAttachment, OutgoingMessage, ReminderLog
from hubops.personal_data import Person
from hubops.personal_data_declarations import (
    _audit_rows,
    _erase_outgoing,
    _outgoing_rows,
    _redact_reminders,
    _reminder_rows,
)
from hubops.reminders import Reminder, remind_batch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def remind(kind: str, *to: str) -> None:
    remind_batch(
        [
            Reminder(
                object_type="tests.thing",
                object_id="1",
                kind=kind,
                due_on=date(2026, 2, 2),
                to=to,
                template_prefix="hubops/email/test_message",
            )
        ]
    )


def test_reminders_are_found_by_the_whole_address_only():
    remind("tests.sam", "Sam@example.org")
    remind("tests.xsam", "xsam@example.org")
    remind("tests.role", "lee@example.org", "sam@example.org")
    remind("tests.other-role", "lee@example.org", "xsam@example.org")
    found = _reminder_rows(Person.for_email("sam@example.org"))
    assert sorted(found.values_list("kind", flat=True)) == ["tests.role", "tests.sam"]


def test_erasure_redacts_only_that_persons_reminders():
    remind("tests.sam", "sam@example.org")
    remind("tests.xsam", "xsam@example.org")
    assert _redact_reminders(Person.for_email("sam@example.org")) == 1
    sam = ReminderLog.objects.get(kind="tests.sam")
    assert "sam@example.org" not in sam.recipients and sam.email == ""
    assert ReminderLog.objects.get(kind="tests.xsam").recipients == "xsam@example.org"


def test_audit_events_about_a_persons_record_are_found_by_its_address():
    sam = UserFactory(email="sam@example.org")
    other = UserFactory(email="xsam@example.org")
    audit.record(None, sam, "tests.about_sam")
    audit.record(None, other, "tests.about_xsam")
    audit.record(sam, other, "tests.sam_acted")
    actions = set(_audit_rows(Person.for_user(sam)).values_list("action", flat=True))
    assert actions == {"tests.about_sam", "tests.sam_acted"}
    assert AuditEvent.objects.get(action="tests.about_xsam").subject_email == "xsam@example.org"


def queue_to(*to: str) -> int:
    return outbox.queue([{"to": list(to), "template_prefix": "hubops/email/test_message"}])


def test_mail_is_found_by_the_whole_address_only():
    queue_to("Sam@example.org")
    queue_to("xsam@example.org")
    queue_to("lee@example.org", "sam@example.org")
    queue_to("lee@example.org", "xsam@example.org")
    found = _outgoing_rows(Person.for_email("sam@example.org"))
    assert sorted(found.values_list("to", flat=True)) == [
        "Sam@example.org",
        "lee@example.org, sam@example.org",
    ]


def test_erasure_deletes_only_that_persons_mail_and_keeps_a_roles_for_the_others():
    outbox.queue(
        [
            {
                "to": ["sam@example.org"],
                "template_prefix": "hubops/email/test_message",
                "attachments": [{"filename": "copy.pdf", "content": b"%PDF-1.7 fictional"}],
            }
        ]
    )
    queue_to("xsam@example.org")
    queue_to("lee@example.org", "sam@example.org")
    assert _erase_outgoing(Person.for_email("sam@example.org")) == 2  # one deleted, one redacted
    assert not OutgoingAttachment.objects.exists()  # the file went with its message
    assert sorted(OutgoingMessage.objects.values_list("to", flat=True)) == [
        "lee@example.org, [redacted]",
        "xsam@example.org",
    ]
