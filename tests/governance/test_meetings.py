"""Board meetings: agenda drafted by the SLL and agreed by the Chair; notes agreed by both and
locked as a PDF."""

import subprocess
from datetime import UTC, date, datetime

import pytest

from governance import services
from governance.models import BoardAttendance, MeetingStatus, MeetingTerm
from hubops.audit import events_for

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 1, 10, tzinfo=UTC)


@pytest.fixture
def meeting(year, staff):
    return services.meeting_schedule(
        academic_year=year, term=MeetingTerm.SPRING, held_on=date(2026, 3, 12), actor=staff
    )


def test_schedule_computes_papers_deadline_and_agenda_from_yearly_cycle(meeting):
    # Five working days before Thursday 12 March 2026 is Thursday 5 March.
    assert meeting.papers_due_on == date(2026, 3, 5)
    assert "Priorities and the leadership structure for next year" in meeting.agenda


def test_second_spring_meeting_refused(meeting, year, staff):
    with pytest.raises(services.GovernanceError, match="already a spring meeting"):
        services.meeting_schedule(
            academic_year=year, term=MeetingTerm.SPRING, held_on=date(2026, 3, 19), actor=staff
        )


def test_meeting_outside_the_year_refused(year, staff):
    with pytest.raises(services.GovernanceError, match="within 2025/26"):
        services.meeting_schedule(
            academic_year=year, term=MeetingTerm.AUTUMN, held_on=date(2026, 9, 10), actor=staff
        )


def test_chair_cannot_agree_an_agenda_the_sll_has_not_drafted(meeting, chair):
    with pytest.raises(services.GovernanceError, match="SLL must draft the agenda"):
        services.meeting_agree_agenda(meeting_id=meeting.pk, actor=chair, now=NOW)


def test_only_the_sll_drafts_and_only_the_chair_agrees(meeting, staff, sll, chair):
    with pytest.raises(services.GovernanceError, match="Only the Senior Leadership Link"):
        services.meeting_draft_agenda(meeting_id=meeting.pk, actor=staff, agenda="x", now=NOW)
    services.meeting_draft_agenda(meeting_id=meeting.pk, actor=sll, agenda="1. Plan", now=NOW)
    with pytest.raises(services.GovernanceError, match="Only the Chair"):
        services.meeting_agree_agenda(meeting_id=meeting.pk, actor=sll, now=NOW)
    agreed = services.meeting_agree_agenda(meeting_id=meeting.pk, actor=chair, now=NOW)
    assert agreed.status == MeetingStatus.AGENDA_AGREED
    assert (agreed.agenda_drafted_by, agreed.agenda_agreed_by) == (sll, chair)
    actions = [e.action for e in events_for(agreed)]
    assert "governance.boardmeeting.agenda_agreed" in actions
    assert "governance.boardmeeting.agenda_drafted" in actions


def _to_notes(meeting, board, staff, sll, chair, present=6):
    services.meeting_draft_agenda(meeting_id=meeting.pk, actor=sll, agenda="1. Plan", now=NOW)
    services.meeting_agree_agenda(meeting_id=meeting.pk, actor=chair, now=NOW)
    services.meeting_record_attendance(
        meeting_id=meeting.pk, actor=staff, present_ids={m.pk for m in board[:present]}
    )
    return services.meeting_draft_notes(
        meeting_id=meeting.pk, actor=staff, notes="The board reviewed the plan.", now=NOW
    )


def test_attendance_and_quorum(meeting, board, staff, sll, chair):
    m = _to_notes(meeting, board, staff, sll, chair, present=4)
    assert m.quorate is False  # 4 of 10 is below half
    assert BoardAttendance.objects.filter(meeting=m, present=True).count() == 4
    assert BoardAttendance.objects.filter(meeting=m).count() == 10


def test_notes_agreed_by_chair_only_are_not_locked(meeting, board, staff, sll, chair):
    _to_notes(meeting, board, staff, sll, chair)
    m = services.meeting_agree_notes(meeting_id=meeting.pk, actor=chair, now=NOW)
    assert m.status == MeetingStatus.NOTES_DRAFTED
    assert not m.notes_pdf and not m.notes_sha256
    with pytest.raises(services.GovernanceError, match="already agreed"):
        services.meeting_agree_notes(meeting_id=meeting.pk, actor=chair, now=NOW)


def test_redrafting_notes_clears_agreement(meeting, board, staff, sll, chair):
    _to_notes(meeting, board, staff, sll, chair)
    services.meeting_agree_notes(meeting_id=meeting.pk, actor=chair, now=NOW)
    m = services.meeting_draft_notes(meeting_id=meeting.pk, actor=staff, notes="Changed.", now=NOW)
    assert m.notes_chair_agreed_at is None


def test_notes_agreed_by_both_are_locked_as_pdf(
    meeting, board, staff, sll, chair, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    _to_notes(meeting, board, staff, sll, chair)
    services.meeting_agree_notes(meeting_id=meeting.pk, actor=chair, now=NOW)
    m = services.meeting_agree_notes(meeting_id=meeting.pk, actor=sll, now=NOW)
    assert m.status == MeetingStatus.NOTES_AGREED
    assert len(m.notes_sha256) == 64
    pdf_path = m.notes_pdf.path
    text = subprocess.run(["pdftotext", pdf_path, "-"], capture_output=True, text=True).stdout
    assert "The board reviewed the plan." in text
    assert "Morgan Chair" in text
    # Locked: nothing moves it any more.
    with pytest.raises(services.GovernanceError):
        services.meeting_draft_notes(meeting_id=meeting.pk, actor=staff, notes="x", now=NOW)
    with pytest.raises(services.GovernanceError):
        services.meeting_agree_notes(meeting_id=meeting.pk, actor=chair, now=NOW)


def test_a_meeting_is_held_only_on_or_after_its_day(meeting, board, staff, sll, chair):
    services.meeting_draft_agenda(meeting_id=meeting.pk, actor=sll, agenda="1. Plan", now=NOW)
    services.meeting_agree_agenda(meeting_id=meeting.pk, actor=chair, now=NOW)
    with pytest.raises(services.GovernanceError) as refused:
        services.meeting_record_attendance(
            meeting_id=meeting.pk,
            actor=staff,
            present_ids={m.pk for m in board[:6]},
            today=date(2026, 3, 11),
        )
    assert "This meeting is on 12 March 2026" in str(refused.value)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_AGREED
    held = services.meeting_record_attendance(
        meeting_id=meeting.pk,
        actor=staff,
        present_ids={m.pk for m in board[:6]},
        today=date(2026, 3, 12),
    )
    assert held.status == MeetingStatus.HELD
