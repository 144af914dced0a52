"""Privacy's reminder sweeps (``hubops.reminders``), each run by a beat task:

- :func:`data_request_deadline_sweep`: a week before each open request falls due, and on the day;
- :func:`breach_clock_sweep`: 24 and 48 hours after a breach is found, and at the 72-hour
  deadline, while the ICO decision is not recorded;
- :func:`dpia_review_sweep`: a month before each DPIA's review date;
- :func:`retention_sweep`: carries out approved retention runs, and prepares today's dry run
  for the data protection lead when something is due.

:func:`privacy_sweeps` runs the first three (``privacy_sweeps_task``, every half hour);
``retention_task`` runs :func:`retention_sweep` nightly. Running a sweep twice sends nothing
twice: each reminder is claimed under (record, kind, due date).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from hubops.formats import format_date
from hubops.reminders import Reminder, remind_batch, remind_once
from hubops.roles import Role, users_with_role

from . import workflow
from .models import DPIA, Breach, DataRequest, RequestStatus, RetentionRun
from .services.retention import retention_plan, retention_run_execute, retention_run_prepare

DPIA_REVIEW_AHEAD = dt.timedelta(days=30)
REQUEST_WARNING = dt.timedelta(days=7)


def _data_protection_leads() -> list[str]:
    return [u.email for u in users_with_role(Role.DATA_PROTECTION_LEAD)]


def _deadline_text(at: dt.datetime) -> str:
    """ "14:30 on 8 December 2026", in the hub's time zone."""
    return f"{timezone.localtime(at):%H:%M} on {format_date(at)}"


def data_request_deadline_sweep(*, today: dt.date) -> int:
    """Remind the data protection lead a week before each open request falls due, and on the
    day. Only requests already in a reminder's window are read (on the indexed due columns)."""
    to = _data_protection_leads()
    week = today + REQUEST_WARNING
    due_soon = Q(extended_to__lte=week) | Q(extended_to__isnull=True, due_on__lte=week)
    open_requests = (
        DataRequest.objects.filter(closed_on__isnull=True, status=RequestStatus.OPEN)
        .filter(due_soon)
        .order_by("pk")
        .only("pk", "reference", "due_on", "extended_to")
    )
    return remind_batch(
        Reminder.about(
            request,
            kind=f"privacy.request.{kind}",
            due_on=due,
            to=to,
            template_prefix="privacy/email/request_due",
            context={"reference": request.reference, "due_on": format_date(due)},
        )
        for request in open_requests.iterator()
        for due in [request.effective_due_on]
        for kind, when in (("week_before", due - REQUEST_WARNING), ("due", due))
        if today >= when
    )


def breach_clock_sweep(*, today: dt.date, now: dt.datetime | None = None) -> int:
    """Remind the data protection lead of each breach whose ICO decision is not recorded, at
    24 and 48 hours after discovery and at the deadline. ``now`` (the clock runs in hours)
    defaults to the current time."""
    now = now or timezone.now()
    to = _data_protection_leads()
    pending = Breach.objects.filter(
        ico_notified_at__isnull=True, ico_not_notified_reason="", closed_on__isnull=True
    ).order_by("pk")
    return remind_batch(
        Reminder.about(
            breach,
            kind=f"privacy.breach.ico_{hours}h",
            due_on=breach.ico_deadline.date(),
            to=to,
            template_prefix="privacy/email/breach_clock",
            context={
                "reference": breach.reference,
                "deadline": _deadline_text(breach.ico_deadline),
                "hours": hours,
            },
        )
        for breach in pending.iterator()
        for hours in workflow.breach_reminder_hours(breach.found_at, now)
    )


def dpia_review_sweep(*, today: dt.date) -> int:
    """Remind the data protection lead a month before each DPIA's review date."""
    to = _data_protection_leads()
    return remind_batch(
        Reminder.about(
            dpia,
            kind="privacy.dpia.review",
            due_on=dpia.review_on,
            to=to,
            template_prefix="privacy/email/dpia_review",
            context={"title": dpia.title, "review_on": format_date(dpia.review_on)},
        )
        for dpia in DPIA.objects.filter(review_on__lte=today + DPIA_REVIEW_AHEAD)
    )


def retention_sweep(*, today: dt.date) -> RetentionRun | None:
    """Execute approved runs; prepare today's dry run when something is due, and tell the data
    protection lead."""
    for run in RetentionRun.objects.filter(approved_at__isnull=False, executed_at__isnull=True):
        retention_run_execute(retention_run_id=run.pk, today=today)
    plan = retention_plan(today)
    if not any(item["count"] for item in plan.values()):
        return None
    run = retention_run_prepare(today=today)
    remind_once(
        obj=run,
        kind="privacy.retention.review",
        due_on=today,
        to=_data_protection_leads(),
        template_prefix="privacy/email/retention_review",
        context={"run_id": run.pk, "as_of": format_date(today)},
    )
    return run


def privacy_sweeps(*, today: dt.date, now: dt.datetime | None = None) -> dict[str, int]:
    """The half-hourly sweeps, with how many reminders each queued."""
    return {
        "requests": data_request_deadline_sweep(today=today),
        "breaches": breach_clock_sweep(today=today, now=now),
        "dpias": dpia_review_sweep(today=today),
    }
