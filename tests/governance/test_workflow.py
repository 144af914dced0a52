"""The board meeting machine, pure: who makes each move, and the guards that keep dates true."""

from datetime import date

import pytest

from governance import workflow as w
from hubops.workflow import DomainError

DAY = date(2026, 3, 12)


def facts(today, **more):
    return w.MeetingFacts(held_on=DAY, today=today, **more)


def names(status, roles, subject):
    return [m.name for m in w.available(status, roles=roles, subject=subject)]


def test_the_sll_drafts_the_agenda_and_the_chair_agrees_it():
    before = facts(date(2026, 3, 1))
    assert names(w.PLANNED, {w.SLL, w.OFFICE}, before) == ["draft_agenda", "cancel"]
    assert names(w.PLANNED, {w.CHAIR}, before) == []
    assert names(w.AGENDA_DRAFTED, {w.CHAIR}, before) == ["agree_agenda"]
    with pytest.raises(w.GovernanceError, match="Only the Chair can agree the agenda"):
        w.check("agree_agenda", w.AGENDA_DRAFTED, roles={w.SLL, w.OFFICE}, subject=before)


def test_attendance_only_on_or_after_the_meeting_day():
    assert names(w.AGENDA_AGREED, {w.OFFICE}, facts(date(2026, 3, 11))) == ["cancel"]
    assert names(w.AGENDA_AGREED, {w.OFFICE}, facts(DAY)) == ["record_attendance", "cancel"]
    with pytest.raises(DomainError, match="This meeting is on 12 March 2026"):
        w.check("record_attendance", w.AGENDA_AGREED, roles=None, subject=facts(date(2026, 3, 1)))


@pytest.mark.parametrize(
    "agreed_on, reason",
    [
        (None, "Enter the date the notes were agreed."),
        (
            date(2026, 3, 11),
            "The notes cannot have been agreed before the meeting on 12 March 2026.",
        ),
        (date(2026, 12, 3), "The date the notes were agreed must be today or in the past."),
    ],
)
def test_notes_agreed_on_a_true_date(agreed_on, reason):
    subject = facts(date(2026, 12, 2), agreed_on=agreed_on, side=w.CHAIR)
    assert w.MEETING.reasons("agree_notes", w.NOTES_DRAFTED, roles={w.CHAIR}, subject=subject) == [
        reason
    ]


def test_each_side_agrees_once_and_the_notes_lock_when_both_have():
    chair_done = facts(DAY, agreed_on=DAY, side=w.CHAIR, chair_agreed=True)
    assert w.MEETING.reasons("agree_notes", w.NOTES_DRAFTED, roles={w.CHAIR}, subject=chair_done)
    assert w.MEETING.reasons("lock_notes", w.NOTES_DRAFTED, subject=chair_done)
    both = facts(DAY, chair_agreed=True, sll_agreed=True)
    assert not w.MEETING.reasons("lock_notes", w.NOTES_DRAFTED, subject=both)
    # The lock is the system's: never a button.
    assert "lock_notes" not in names(w.NOTES_DRAFTED, None, both)
    assert w.notes_side({w.CHAIR, w.SLL}, chair_agreed=True, sll_agreed=False) == w.SLL


def test_a_move_out_of_order_says_what_has_to_come_first():
    with pytest.raises(w.MoveRefused, match=r"The SLL must draft the agenda .*\(Now: Planned\.\)"):
        w.check("agree_agenda", w.PLANNED, roles={w.CHAIR}, subject=facts(DAY))
    assert w.MEETING.final(w.NOTES_AGREED) and w.MEETING.final(w.CANCELLED)


def test_date_rules_for_terms_and_spend():
    assert w.extension_refusal(date(2026, 8, 31), date(2026, 8, 31))
    assert w.extension_refusal(None, date(2027, 1, 1)) == "This term has no end date to extend."
    assert w.ending_refusal(date(2025, 9, 1), date(2026, 8, 31), date(2026, 9, 1))
    assert w.ending_refusal(date(2025, 9, 1), None, date(2026, 9, 1)) is None
    year = {"year_starts_on": date(2025, 9, 1), "year_ends_on": date(2026, 8, 31)}
    assert w.month_refusal(date(2025, 12, 1), today=date(2026, 1, 1), **year) is None
    assert w.month_refusal(date(2026, 1, 1), today=date(2026, 1, 31), **year)
