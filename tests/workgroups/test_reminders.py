"""Reminders: each exactly once, however often a sweep runs."""

from __future__ import annotations

from datetime import date

import pytest

from hubops.models import OutgoingFile
from tests.factories import UserFactory
from workgroups import reminders, services
from workgroups.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(group, schools, teacher, today):
    return services.registration_create(
        group_id=group.pk,
        user=teacher,
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )


def test_session_reminder_once_with_ics(reg, mailoutbox):
    mailoutbox.clear()
    day = date(2026, 1, 31)  # first session is Monday 2 February
    assert reminders.session_reminder_sweep(today=day) == 1
    assert reminders.session_reminder_sweep(today=day) == 0
    assert len(mailoutbox) == 1
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert mimetype == "text/calendar" and name == "session.ics"
    text = content if isinstance(content, str) else content.decode()
    assert "DTSTART:20260202T154500Z" in text and "BEGIN:VEVENT" in text
    assert reminders.session_reminder_sweep(today=date(2026, 1, 20)) == 0


def test_a_sessions_calendar_file_is_stored_once_for_everyone_reminded(
    reg, group, schools, today, mailoutbox
):
    for n, school in enumerate(schools[1:2], start=1):
        services.registration_create(
            group_id=group.pk,
            user=UserFactory(full_name=f"Fictional Teacher {n}", email=f"t{n}@example.org"),
            school_id=school.pk,
            role_at_school="Teacher",
            today=today,
        )
    mailoutbox.clear()
    assert reminders.session_reminder_sweep(today=date(2026, 1, 31)) == 2
    assert OutgoingFile.objects.count() == 1  # one session, one calendar file
    files = {m.to[0]: m.attachments[0].content for m in mailoutbox}
    assert len(files) == 2 and len(set(files.values())) == 1
    assert "BEGIN:VEVENT" in files["t1@example.org"]


def test_absence_followup_once(reg, group, mailoutbox):
    Attendance.objects.create(session=group.sessions.first(), registration=reg, status="absent")
    mailoutbox.clear()
    assert reminders.absence_followup_sweep(today=date(2026, 2, 3)) == 1
    assert reminders.absence_followup_sweep(today=date(2026, 2, 4)) == 0
    assert len(mailoutbox) == 1 and "missed you" in mailoutbox[0].subject


def test_evaluation_request_after_last_session_once(reg, mailoutbox):
    mailoutbox.clear()
    assert reminders.evaluation_request_sweep(today=date(2026, 3, 1)) == 0  # not finished
    assert reminders.evaluation_request_sweep(today=date(2026, 3, 20)) == 1
    assert reminders.evaluation_request_sweep(today=date(2026, 3, 21)) == 0
    assert len(mailoutbox) == 1 and f"/workgroups/mine/{reg.pk}/evaluation/" in mailoutbox[0].body


def test_beat_task_runs_all_sweeps(reg):
    from workgroups.tasks import run_workgroups_sweeps_task

    assert set(run_workgroups_sweeps_task()) == {
        "offers_lapsed",
        "session_reminders",
        "absence_followups",
        "evaluation_requests",
    }
