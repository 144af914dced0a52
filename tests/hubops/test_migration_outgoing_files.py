"""Migration 0009 moves every attachment's bytes into one stored file per distinct content,
and undoing it puts them back: mail queued before the upgrade is sent with its files."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("hubops", "0008_outgoingmessage_email")]
AFTER = [("hubops", "0009_outgoing_files_once")]
CALENDAR = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture(autouse=True)
def _latest_afterwards():
    yield
    # Whatever happened, the next test finds the database at the latest migrations.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_attachments_bytes_move_into_one_file_per_content_and_back():
    old = migrate(BEFORE)
    message = old.get_model("hubops", "OutgoingMessage")
    attachment = old.get_model("hubops", "OutgoingAttachment")
    for n, content in enumerate([CALENDAR, CALENDAR, b"%PDF-1.7 fictional letter"]):
        row = message.objects.create(message_id=f"<m{n}@hub.example>", to=f"p{n}@example.org")
        attachment.objects.create(
            message=row, filename=f"file{n}", mimetype="text/plain", content=content
        )

    new = migrate(AFTER)
    stored = new.get_model("hubops", "OutgoingFile")
    moved = new.get_model("hubops", "OutgoingAttachment")
    assert sorted(bytes(f.content) for f in stored.objects.all()) == sorted(
        [CALENDAR, b"%PDF-1.7 fictional letter"]
    )
    assert [bytes(a.file.content) for a in moved.objects.order_by("pk")] == [
        CALENDAR,
        CALENDAR,
        b"%PDF-1.7 fictional letter",
    ]
    assert {f.size for f in stored.objects.all()} == {len(CALENDAR), 25}

    back = migrate(BEFORE)
    restored = back.get_model("hubops", "OutgoingAttachment")
    assert [bytes(a.content) for a in restored.objects.order_by("pk")] == [
        CALENDAR,
        CALENDAR,
        b"%PDF-1.7 fictional letter",
    ]
