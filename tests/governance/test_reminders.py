"""Reminder sweeps send each reminder once, however often they run."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from governance import reminders
from governance.models import BoardMeeting, LocalLeader, ServiceLevelAgreement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def run_twice(today):
    first = reminders.governance_sweeps(today=today)
    second = reminders.governance_sweeps(today=today)
    return first, second


def test_each_reminder_once(year, board, staff, sll, django_capture_on_commit_callbacks):
    BoardMeeting.objects.create(
        academic_year=year, term="spring", held_on=date(2026, 3, 12), papers_due_on=date(2026, 3, 5)
    )
    board[7].term_ends_on = date(2026, 4, 30)
    board[7].save()
    leader = LocalLeader.objects.create(name="Wren Fictional", email="wren@example.org")
    ServiceLevelAgreement.objects.create(
        leader=leader,
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 3, 20),
        deliverables="Lead one Work Group",
        release_days=Decimal("6"),
        payment=Decimal("1800"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        first, second = run_twice(date(2026, 3, 2))
    assert first == {
        "schedule_meetings": 1,
        "circulate_papers": 1,
        "terms_ending": 1,
        "slas_expiring": 1,
    }
    assert second == {
        "schedule_meetings": 0,
        "circulate_papers": 0,
        "terms_ending": 0,
        "slas_expiring": 0,
    }
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Board member term ending: Hal NCETM",
        "Board papers due by 5 March 2026",
        "Schedule the Strategic Board meetings for 2025/26",
        "Service level agreement expiring: Wren Fictional",
    ]
    papers = next(m for m in mail.outbox if m.subject.startswith("Board papers"))
    assert set(papers.to) == {"office@example.org", "sll@example.org"}


def test_papers_circulated_stops_the_reminder(year, staff):
    from governance import services

    meeting = BoardMeeting.objects.create(
        academic_year=year, term="spring", held_on=date(2026, 3, 12), papers_due_on=date(2026, 3, 5)
    )
    services.meeting_mark_papers_circulated(
        meeting_id=meeting.pk, actor=staff, today=date(2026, 3, 1)
    )
    assert reminders.meeting_papers_sweep(today=date(2026, 3, 2)) == 0


def test_nothing_due_nothing_sent(year, staff):
    for term, day in (("autumn", 20), ("spring", 21), ("summer", 22)):
        BoardMeeting.objects.create(
            academic_year=year,
            term=term,
            held_on=date(2026, 5, day),
            papers_due_on=date(2026, 5, day - 7),
            papers_circulated_on=date(2026, 5, 1),
        )
    assert reminders.governance_sweeps(today=date(2026, 1, 10)) == {
        "schedule_meetings": 0,
        "circulate_papers": 0,
        "terms_ending": 0,
        "slas_expiring": 0,
    }
