"""Deadline reminders, each sent exactly once (``hubops.reminders.remind_once``): to the
handler a few days before each deadline and on the day, and to the SLL (the Lead School's head
for a complaint about the SLL) when one is missed. Also the policy's annual review."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse

from hubops.formats import absolute_url, format_date
from hubops.reminders import remind_once
from hubops.roles import Role, users_with_role

from . import deadlines, selectors, services
from .models import OPEN_STATUSES, Complaint, PolicyVersion

_d = format_date  # "12 January 2026": hubops.formats, the one date formatter


def _recipients(c: Complaint, clock: str) -> list[str]:
    if clock == "Appeal response":
        subjects = set(c.subjects.values_list("pk", flat=True))
        panel = [u.email for u in c.panel.all() if u.pk not in subjects]
        return panel or services.escalation_emails(c)
    return services.handler_emails(c)


def sweep(today: date) -> int:
    days_before = int(getattr(settings, "COMPLAINTS_REMINDER_DAYS_BEFORE", 3))
    sent = 0
    rows = (
        Complaint.objects.filter(status__in=OPEN_STATUSES)
        .select_related("handler")
        .prefetch_related("subjects", "panel")
    )
    for c in rows:
        for label, due in selectors.clocks(c):
            which = deadlines.reminder_days(due, today, days_before)
            if which is None:
                continue
            to = services.escalation_emails(c) if which == "missed" else _recipients(c, label)
            key = label.lower().replace(" ", "_")
            sent += remind_once(
                obj=c,
                kind=f"complaints.{key}.{which}",
                due_on=due,
                to=to,
                template_prefix=f"complaints/email/reminder_{which}",
                context={
                    "reference": c.reference,
                    "clock": label,
                    "due_on": _d(due),
                    "url": absolute_url(reverse("complaints_staff:detail", args=[c.pk])),
                },
            )
    sent += policy_review_sweep(today)
    return sent


def policy_review_sweep(today: date) -> int:
    policy = PolicyVersion.objects.order_by("-version").first()
    if policy is None:
        return 0
    which = deadlines.reminder_days(policy.review_due_on, today, 28)
    if which is None:
        return 0
    to = sorted(
        {u.email for role in (Role.SLL, Role.MHL) for u in users_with_role(role) if u.email}
    )
    return int(
        remind_once(
            obj=policy,
            kind=f"complaints.policy_review.{which}",
            due_on=policy.review_due_on,
            to=to,
            template_prefix="complaints/email/policy_review",
            context={"version": policy.version, "due_on": _d(policy.review_due_on)},
        )
    )


def cleanup_drafts(today: date) -> int:
    """Delete attachments uploaded on a form that was never sent (after a day)."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Attachment

    cutoff = timezone.now() - timedelta(days=1)
    n = 0
    for a in Attachment.objects.filter(complaint__isnull=True, uploaded_at__lt=cutoff):
        a.delete()
        n += 1
    return n
