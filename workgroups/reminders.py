"""Reminder sweeps, run by beat. Each reminder is claimed through ``hubops.reminders`` (in
batches), so running a sweep twice sends one email."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from django.db.models import Max
from django.utils import timezone

from hubops.emails import attachment
from hubops.formats import format_date
from hubops.models import Hub
from hubops.reminders import BATCH_SIZE, Reminder, remind_batch

from . import services
from .ics import session_ics
from .models import (
    Attendance,
    AttendanceStatus,
    GroupStatus,
    Registration,
    RegStatus,
    Session,
    WorkGroup,
)

REMIND_DAYS_BEFORE = 2
REGISTRATION = Registration._meta.label_lower


def _session_context(session: Session) -> dict:
    start = timezone.localtime(session.starts_at)
    return {
        "group_code": session.work_group.code,
        "group_title": session.work_group.title,
        "when": f"{format_date(start, weekday=True)} at {start:%H:%M}",
        "venue": session.venue or session.work_group.venue,
        "online_link": session.online_link,
    }


def session_reminder_sweep(*, today: date) -> int:
    """Confirmed participants hear about each session up to two days before it. The sessions
    and their participants are read with two queries however many are due; the reminders are
    claimed in batches (``hubops.reminders.remind_batch``)."""
    horizon = today + timedelta(days=REMIND_DAYS_BEFORE)
    sessions = list(
        Session.objects.filter(
            cancelled=False,
            starts_at__date__gte=today,
            starts_at__date__lte=horizon,
            work_group__status__in=[GroupStatus.PUBLISHED, GroupStatus.RUNNING],
        )
        .select_related("work_group")
        .order_by("work_group_id", "starts_at", "pk")
    )
    if not sessions:
        return 0
    people: dict[int, list[tuple[int, str, str]]] = {}
    regs = (
        Registration.objects.filter(
            work_group_id__in={s.work_group_id for s in sessions}, status=RegStatus.CONFIRMED
        )
        .exclude(email="")
        .order_by("work_group_id", "pk")
        .values_list("work_group_id", "pk", "email", "full_name")
    )
    for group_id, pk, email, full_name in regs:
        people.setdefault(group_id, []).append((pk, email, full_name))

    hub: list[Hub | None] = []  # read once, on the first calendar file this sweep builds
    files: dict[int, list[dict[str, str]]] = {}

    def calendar_file(session: Session) -> list[dict[str, str]]:
        """The session's .ics, built once per session and only for reminders claimed now."""
        if session.pk not in files:
            if not hub:
                hub.append(Hub.current())
            files[session.pk] = [
                attachment("session.ics", session_ics(session, hub=hub[0]), "text/calendar")
            ]
        return files[session.pk]

    def items():
        for session in sessions:
            ics = partial(calendar_file, session)
            ctx = _session_context(session)
            kind = f"workgroups.session_reminder.{session.pk}"
            due_on = timezone.localtime(session.starts_at).date()
            for pk, email, full_name in people.get(session.work_group_id, ()):
                yield Reminder(
                    object_type=REGISTRATION,
                    object_id=str(pk),
                    kind=kind,
                    due_on=due_on,
                    to=(email,),
                    template_prefix="workgroups/email/session_reminder",
                    context={**ctx, "full_name": full_name},
                    attachments=ics,
                )

    return remind_batch(items())


def absence_followup_sweep(*, today: date) -> int:
    """Participants marked absent (or with apologies) hear how to catch up, once per session."""
    rows = (
        Attendance.objects.filter(
            status__in=[AttendanceStatus.ABSENT, AttendanceStatus.APOLOGIES],
            session__starts_at__date__lt=today + timedelta(days=1),
        )
        .exclude(registration__email="")
        .select_related("session", "session__work_group", "registration")
        .order_by("pk")
    )
    contexts: dict[int, dict] = {}

    def context(row: Attendance) -> dict:
        if row.session_id not in contexts:
            contexts[row.session_id] = _session_context(row.session)
        return {**contexts[row.session_id], "full_name": row.registration.full_name}

    return remind_batch(
        Reminder.about(
            row,
            kind="workgroups.absence_followup",
            due_on=timezone.localtime(row.session.starts_at).date(),
            to=(row.registration.email,),
            template_prefix="workgroups/email/absence_followup",
            context=lambda row=row: context(row),
        )
        for row in rows.iterator(chunk_size=BATCH_SIZE)
    )


def evaluation_request_sweep(*, today: date) -> int:
    """After a group's last session, each participant is asked to evaluate it, once."""
    ended = (
        WorkGroup.objects.annotate(last=Max("sessions__starts_at"))
        .filter(last__date__lt=today)
        .values_list("pk", "code", "title", "last")
    )
    groups = {pk: (code, title, last) for pk, code, title, last in ended}
    if not groups:
        return 0
    regs = (
        Registration.objects.filter(
            work_group_id__in=groups, status__in=[RegStatus.CONFIRMED, RegStatus.COMPLETED]
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "work_group_id", "email", "full_name")
    )

    def items():
        for pk, group_id, email, full_name in regs.iterator(chunk_size=BATCH_SIZE):
            code, title, last = groups[group_id]
            yield Reminder(
                object_type=REGISTRATION,
                object_id=str(pk),
                kind="workgroups.evaluation_request",
                due_on=timezone.localtime(last).date(),
                to=(email,),
                template_prefix="workgroups/email/evaluation_request",
                context={
                    "group_code": code,
                    "group_title": title,
                    "full_name": full_name,
                    "registration_id": pk,
                },
            )

    return remind_batch(items())


def workgroups_sweeps(*, today: date) -> dict[str, int]:
    """Every Work Groups sweep once (beat's ``run_workgroups_sweeps_task``)."""
    return {
        "offers_lapsed": services.offer_lapse_sweep(today=today),
        "session_reminders": session_reminder_sweep(today=today),
        "absence_followups": absence_followup_sweep(today=today),
        "evaluation_requests": evaluation_request_sweep(today=today),
    }
