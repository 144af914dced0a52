"""Reminder sweeps for governance; each reminder is sent once per (object, kind, due date)."""

from __future__ import annotations

from datetime import date, timedelta

from hubops.reminders import Reminder, remind_batch, remind_once
from hubops.roles import Role, users_with_role
from hubops.selectors import academic_year_for

from . import rules
from .models import BoardMeeting, BoardMember, MeetingStatus, ServiceLevelAgreement

PAPERS_WARNING_DAYS = 7
SLA_WARNING_DAYS = 30
PREFIX = "governance/email/"


def _office(*roles: Role) -> list[str]:
    emails: set[str] = set()
    for role in roles:
        emails.update(users_with_role(role).values_list("email", flat=True))
    return sorted(e for e in emails if e)


def meeting_schedule_sweep(*, today: date) -> int:
    """Once a year: tell the office when fewer than three meetings are scheduled."""
    year = academic_year_for(today)
    if year is None:
        return 0
    scheduled = BoardMeeting.objects.filter(academic_year=year).exclude(
        status=MeetingStatus.CANCELLED
    )
    if scheduled.count() >= rules.MIN_MEETINGS_PER_YEAR:
        return 0
    sent = remind_once(
        obj=year,
        kind="governance.schedule_meetings",
        due_on=year.starts_on,
        to=_office(Role.HUB_STAFF, Role.MHL),
        template_prefix=PREFIX + "schedule_meetings",
        context={"year": year.name, "scheduled": scheduled.count()},
    )
    return int(sent)


def meeting_papers_sweep(*, today: date) -> int:
    """A week before each meeting's papers are due, until they are circulated."""
    meetings = BoardMeeting.objects.filter(
        papers_due_on__gte=today,
        papers_due_on__lte=today + timedelta(days=PAPERS_WARNING_DAYS),
        papers_circulated_on__isnull=True,
    ).exclude(status=MeetingStatus.CANCELLED)
    to = _office(Role.HUB_STAFF, Role.SLL)
    return remind_batch(
        Reminder.about(
            meeting,
            kind="governance.circulate_papers",
            due_on=meeting.papers_due_on,
            to=to,
            template_prefix=PREFIX + "circulate_papers",
            context={
                "meeting_on": meeting.held_on.isoformat(),
                "papers_due_on": str(meeting.papers_due_on),  # ISO; the mail writes |hubdate
            },
        )
        for meeting in meetings
    )


def board_member_term_sweep(*, today: date) -> int:
    """Board members whose term ends within ``rules.TERM_WARNING_DAYS``."""
    members = BoardMember.objects.filter(
        term_ends_on__gte=today,
        term_ends_on__lte=today + timedelta(days=rules.TERM_WARNING_DAYS),
    )
    to = _office(Role.MHL, Role.SLL)
    return remind_batch(
        Reminder.about(
            member,
            kind="governance.term_ending",
            due_on=member.term_ends_on,
            to=to,
            template_prefix=PREFIX + "term_ending",
            context={"name": member.name, "ends_on": str(member.term_ends_on)},
        )
        for member in members
    )


def sla_expiry_sweep(*, today: date) -> int:
    """SLAs that end within ``SLA_WARNING_DAYS`` and have not been ended early."""
    slas = ServiceLevelAgreement.objects.filter(
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=SLA_WARNING_DAYS),
        terminated_on__isnull=True,
    ).select_related("leader")
    to = _office(Role.HUB_STAFF, Role.MHL)
    return remind_batch(
        Reminder.about(
            sla,
            kind="governance.sla_expiring",
            due_on=sla.ends_on,
            to=to,
            template_prefix=PREFIX + "sla_expiring",
            context={"leader": sla.leader.name, "ends_on": sla.ends_on.isoformat()},
        )
        for sla in slas
    )


def governance_sweeps(*, today: date) -> dict[str, int]:
    """Every governance sweep once (``run_governance_sweeps_task`` wraps it)."""
    return {
        "schedule_meetings": meeting_schedule_sweep(today=today),
        "circulate_papers": meeting_papers_sweep(today=today),
        "terms_ending": board_member_term_sweep(today=today),
        "slas_expiring": sla_expiry_sweep(today=today),
    }
