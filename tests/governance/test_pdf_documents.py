"""The Strategic Board's agreed notes, locked as a PDF, are PDF/UA and read in order."""

from __future__ import annotations

import pytest

from governance import services
from tests.pdfcheck import assert_accessible, in_order, page_texts

from .test_meetings import AFTER, _to_notes, meeting  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_locked_board_notes(meeting, board, staff, sll, chair, tmp_path, settings):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    _to_notes(meeting, board, staff, sll, chair)
    services.meeting_agree_notes(meeting_id=meeting.pk, actor=chair, today=AFTER, agreed_on=AFTER)
    m = services.meeting_agree_notes(meeting_id=meeting.pk, actor=sll, today=AFTER, agreed_on=AFTER)
    data = m.notes_pdf.read()
    assert_accessible(data, title="Strategic Board notes, 12 March 2026")
    text = "\n".join(page_texts(data))
    assert in_order(
        text, "Strategic Board meeting, 12 March 2026", "Present", "Agenda", "Notes", "Agreement"
    )
