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


def sweep_schedule_meetings(today: date) -> int:
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


def sweep_circulate_papers(today: date) -> int:
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
                "papers_due_on": meeting.papers_due_on.isoformat(),
            },
        )
        for meeting in meetings
    )


def sweep_terms_ending(today: date) -> int:
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
            context={"name": member.name, "ends_on": member.term_ends_on.isoformat()},
        )
        for member in members
    )


def sweep_slas_expiring(today: date) -> int:
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


def run_sweeps(today: date) -> dict[str, int]:
    return {
        "schedule_meetings": sweep_schedule_meetings(today),
        "circulate_papers": sweep_circulate_papers(today),
        "terms_ending": sweep_terms_ending(today),
        "slas_expiring": sweep_slas_expiring(today),
    }
