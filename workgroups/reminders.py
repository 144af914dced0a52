"""Reminder sweeps, run by beat. Each reminder is claimed through ``hubops.reminders.remind_once``
so running a sweep twice sends one email."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from hubops.emails import attachment
from hubops.reminders import remind_once

from .ics import session_ics
from .models import Attendance, AttendanceStatus, GroupStatus, Registration, RegStatus, Session

REMIND_DAYS_BEFORE = 2


def _session_context(session: Session) -> dict:
    start = timezone.localtime(session.starts_at)
    return {
        "group_code": session.work_group.code,
        "group_title": session.work_group.title,
        "when": f"{start:%A %-d %B %Y at %H:%M}",
        "venue": session.venue or session.work_group.venue,
        "online_link": session.online_link,
    }


def session_reminder_sweep(*, today: date) -> int:
    """Confirmed participants hear about each session up to two days before it."""
    sent = 0
    horizon = today + timedelta(days=REMIND_DAYS_BEFORE)
    sessions = Session.objects.filter(
        cancelled=False,
        starts_at__date__gte=today,
        starts_at__date__lte=horizon,
        work_group__status__in=[GroupStatus.PUBLISHED, GroupStatus.RUNNING],
    ).select_related("work_group")
    for session in sessions:
        ics = attachment("session.ics", session_ics(session), "text/calendar")
        ctx = _session_context(session)
        regs = session.work_group.registrations.filter(status=RegStatus.CONFIRMED).exclude(email="")
        for reg in regs:
            sent += remind_once(
                obj=reg,
                kind=f"workgroups.session_reminder.{session.pk}",
                due_on=timezone.localtime(session.starts_at).date(),
                to=[reg.email],
                template_prefix="workgroups/email/session_reminder",
                context={**ctx, "full_name": reg.full_name},
                attachments=[ics],
            )
    return sent


def absence_followup_sweep(*, today: date) -> int:
    """Participants marked absent (or with apologies) hear how to catch up, once per session."""
    sent = 0
    rows = Attendance.objects.filter(
        status__in=[AttendanceStatus.ABSENT, AttendanceStatus.APOLOGIES],
        session__starts_at__date__lt=today + timedelta(days=1),
    ).select_related("session", "session__work_group", "registration")
    for row in rows:
        if not row.registration.email:
            continue
        sent += remind_once(
            obj=row,
            kind="workgroups.absence_followup",
            due_on=timezone.localtime(row.session.starts_at).date(),
            to=[row.registration.email],
            template_prefix="workgroups/email/absence_followup",
            context={**_session_context(row.session), "full_name": row.registration.full_name},
        )
    return sent


def evaluation_request_sweep(*, today: date) -> int:
    """After a group's last session, each participant is asked to evaluate it, once."""
    from django.db.models import Max

    sent = 0
    regs = (
        Registration.objects.filter(status__in=[RegStatus.CONFIRMED, RegStatus.COMPLETED])
        .exclude(email="")
        .select_related("work_group")
        .annotate(last=Max("work_group__sessions__starts_at"))
        .filter(last__date__lt=today)
    )
    for reg in regs:
        sent += remind_once(
            obj=reg,
            kind="workgroups.evaluation_request",
            due_on=timezone.localtime(reg.last).date(),
            to=[reg.email],
            template_prefix="workgroups/email/evaluation_request",
            context={
                "group_code": reg.work_group.code,
                "group_title": reg.work_group.title,
                "full_name": reg.full_name,
                "registration_id": reg.pk,
            },
        )
    return sent
