"""Board meetings: agenda drafted by the SLL and agreed by the Chair; notes agreed by both and
locked as a PDF."""

import subprocess
from datetime import date

import pytest

from governance import services
from governance.models import BoardAttendance, MeetingStatus, MeetingTerm
from hubops.audit import events_for

pytestmark = pytest.mark.django_db
BEFORE = date(2026, 3, 1)  # before the meeting on 12 March
AFTER = date(2026, 3, 16)  # after it


@pytest.fixture
def meeting(year, staff):
    return services.meeting_schedule(
        academic_year_id=year.pk,
        today=date(2025, 9, 1),
        term=MeetingTerm.SPRING,
        held_on=date(2026, 3, 12),
        actor=staff,
    )


def test_schedule_computes_papers_deadline_and_agenda_from_yearly_cycle(meeting):
    # Five working days before Thursday 12 March 2026 is Thursday 5 March.
    assert meeting.papers_due_on == date(2026, 3, 5)
    assert "Priorities and the leadership structure for next year" in meeting.agenda


def test_second_spring_meeting_refused(meeting, year, staff):
    with pytest.raises(services.GovernanceError, match="already a spring meeting"):
        services.meeting_schedule(
            academic_year_id=year.pk,
            today=date(2025, 9, 1),
            term=MeetingTerm.SPRING,
            held_on=date(2026, 3, 19),
            actor=staff,
        )


def test_meeting_outside_the_year_refused(year, staff):
    with pytest.raises(services.GovernanceError, match="within 2025/26"):
        services.meeting_schedule(
            academic_year_id=year.pk,
            today=date(2025, 9, 1),
            term=MeetingTerm.AUTUMN,
            held_on=date(2026, 9, 10),
            actor=staff,
        )


def test_chair_cannot_agree_an_agenda_the_sll_has_not_drafted(meeting, chair):
    with pytest.raises(services.GovernanceError, match="SLL must draft the agenda"):
        services.meeting_agree_agenda(meeting_id=meeting.pk, actor=chair, today=BEFORE)


def test_only_the_sll_drafts_and_only_the_chair_agrees(meeting, staff, sll, chair):
    with pytest.raises(services.GovernanceError, match="Only the Senior Leadership Link"):
        services.meeting_draft_agenda(meeting_id=meeting.pk, actor=staff, agenda="x", today=BEFORE)
    services.meeting_draft_agenda(meeting_id=meeting.pk, actor=sll, agenda="1. Plan", today=BEFORE)
    with pytest.raises(services.GovernanceError, match="Only the Chair"):
        services.meeting_agree_agenda(meeting_id=meeting.pk, actor=sll, today=BEFORE)
    agreed = services.meeting_agree_agenda(meeting_id=meeting.pk, actor=chair, today=BEFORE)
    assert agreed.status == MeetingStatus.AGENDA_AGREED
    assert (agreed.agenda_drafted_by, agreed.agenda_agreed_by) == (sll, chair)
    actions = [e.action for e in events_for(agreed)]
    assert "governance.boardmeeting.agenda_agreed" in actions
    assert "governance.boardmeeting.agenda_drafted" in actions


def _to_notes(meeting, board, staff, sll, chair, present=6):
    services.meeting_draft_agenda(meeting_id=meeting.pk, actor=sll, agenda="1. Plan", today=BEFORE)
    services.meeting_agree_agenda(meeting_id=meeting.pk, actor=chair, today=BEFORE)
    services.meeting_record_attendance(
        meeting_id=meeting.pk,
        actor=staff,
        today=AFTER,
        present_ids={m.pk for m in board[:present]},
    )
    return services.meeting_draft_notes(
        meeting_id=meeting.pk, actor=staff, notes="The board reviewed the plan.", today=AFTER
    )


def test_attendance_and_quorum(meeting, board, staff, sll, chair):
    m = _to_notes(meeting, board, staff, sll, chair, present=4)
    assert m.quorate is False  # 4 of 10 is below half
    assert BoardAttendance.objects.filter(meeting=m, present=True).count() == 4
    assert BoardAttendance.objects.filter(meeting=m).count() == 10


def test_notes_agreed_by_chair_only_are_not_locked(meeting, board, staff, sll, chair):
    _to_notes(meeting, board, staff, sll, chair)
    m = services.meeting_agree_notes(
        meeting_id=meeting.pk, actor=chair, today=AFTER, agreed_on=AFTER
    )
    assert m.status == MeetingStatus.NOTES_DRAFTED
    assert not m.notes_pdf and not m.notes_sha256
    with pytest.raises(services.GovernanceError, match="already agreed"):
        services.meeting_agree_notes(
            meeting_id=meeting.pk, actor=chair, today=AFTER, agreed_on=AFTER
        )


def test_redrafting_notes_clears_agreement(meeting, board, staff, sll, chair):
    _to_notes(meeting, board, staff, sll, chair)
    services.meeting_agree_notes(meeting_id=meeting.pk, actor=chair, today=AFTER, agreed_on=AFTER)
    m = services.meeting_draft_notes(
        meeting_id=meeting.pk, actor=staff, notes="Changed.", today=AFTER
    )
    assert m.notes_chair_agreed_at is None


def test_notes_agreed_by_both_are_locked_as_pdf(
    meeting, board, staff, sll, chair, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    _to_notes(meeting, board, staff, sll, chair)
    services.meeting_agree_notes(meeting_id=meeting.pk, actor=chair, today=AFTER, agreed_on=AFTER)
    m = services.meeting_agree_notes(meeting_id=meeting.pk, actor=sll, today=AFTER, agreed_on=AFTER)
    assert m.status == MeetingStatus.NOTES_AGREED
    assert len(m.notes_sha256) == 64
    pdf_path = m.notes_pdf.path
    text = subprocess.run(["pdftotext", pdf_path, "-"], capture_output=True, text=True).stdout
    assert "The board reviewed the plan." in text
    assert "Morgan Chair" in text
    # Locked: nothing moves it any more.
    with pytest.raises(services.GovernanceError):
        services.meeting_draft_notes(meeting_id=meeting.pk, actor=staff, notes="x", today=AFTER)
    with pytest.raises(services.GovernanceError):
        services.meeting_agree_notes(
            meeting_id=meeting.pk, actor=chair, today=AFTER, agreed_on=AFTER
        )


def test_a_meeting_is_held_only_on_or_after_its_day(meeting, board, staff, sll, chair):
    services.meeting_draft_agenda(meeting_id=meeting.pk, actor=sll, agenda="1. Plan", today=BEFORE)
    services.meeting_agree_agenda(meeting_id=meeting.pk, actor=chair, today=BEFORE)
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


def test_notes_are_agreed_on_the_day_given_never_before_the_meeting_or_in_the_future(
    meeting, board, staff, sll, chair, tmp_path, settings
):
    """A meeting in March whose notes are agreed in December says the days they were agreed,
    not the day someone clicked."""
    settings.MEDIA_ROOT = tmp_path
    _to_notes(meeting, board, staff, sll, chair)
    december = date(2026, 12, 2)
    agree = services.meeting_agree_notes
    with pytest.raises(services.GovernanceError, match="before the meeting on 12 March 2026"):
        agree(meeting_id=meeting.pk, actor=chair, today=december, agreed_on=date(2026, 3, 11))
    with pytest.raises(services.GovernanceError, match="today or in the past"):
        agree(meeting_id=meeting.pk, actor=chair, today=december, agreed_on=date(2026, 12, 3))
    with pytest.raises(services.GovernanceError, match="Enter the date"):
        agree(meeting_id=meeting.pk, actor=chair, today=december, agreed_on=None)
    agree(meeting_id=meeting.pk, actor=chair, today=december, agreed_on=date(2026, 3, 20))
    m = agree(meeting_id=meeting.pk, actor=sll, today=december, agreed_on=date(2026, 3, 23))
    assert (m.notes_chair_agreed_on, m.notes_sll_agreed_on) == (
        date(2026, 3, 20),
        date(2026, 3, 23),
    )
    text = subprocess.run(
        ["pdftotext", m.notes_pdf.path, "-"], capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert "Agreed by the Chair on 20 March 2026" in flat
    assert "Senior Leadership Link on 23 March 2026" in flat
    assert "December" not in flat


def test_cancel_keeps_the_reason_and_only_before_the_meeting_is_held(
    meeting, board, staff, sll, chair
):
    with pytest.raises(services.GovernanceError, match="Only hub staff"):
        services.meeting_cancel(meeting_id=meeting.pk, actor=chair, today=BEFORE, reason="x")
    with pytest.raises(services.GovernanceError, match="Enter why"):
        services.meeting_cancel(meeting_id=meeting.pk, actor=staff, today=BEFORE, reason=" ")
    m = services.meeting_cancel(
        meeting_id=meeting.pk,
        actor=staff,
        today=BEFORE,
        reason="Not quorate: too few members free.",
    )
    assert (
        m.status == MeetingStatus.CANCELLED
        and m.cancelled_reason == "Not quorate: too few members free."
    )
    assert "governance.boardmeeting.cancelled" in [e.action for e in events_for(m)]
