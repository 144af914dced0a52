"""The complaints sweeps, run each morning by ``tasks.complaints_sweeps_task``:

- ``complaint_deadline_sweep``: deadline reminders, each sent exactly once
  (``hubops.reminders.remind_once``): to the handler a few days before each deadline and on the
  day, and to the SLL (the Lead School's head for a complaint about the SLL) when one is missed;
- ``policy_review_sweep``: the policy's annual review, to the SLL and the MHL;
- ``attachment_draft_sweep``: files uploaded on a form that was never sent.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hubops.formats import absolute_url, format_date
from hubops.reminders import BATCH_SIZE, Reminder, remind_batch, remind_once
from hubops.roles import Role, users_with_role

from . import deadlines, selectors
from .models import OPEN_STATUSES, Attachment, Complaint, Route
from .selectors import HANDLING_ROLES


class _Recipients:
    """Who hears about each complaint's deadlines, with the role holders read once per sweep
    (the same rules as ``services.handler_emails`` and ``services.escalation_emails``, over
    the complaint's prefetched subjects, handler and panel)."""

    def __init__(self) -> None:
        self.handling = HANDLING_ROLES
        roles = {r for group in HANDLING_ROLES.values() for r in group} | {
            Role.SLL,
            Role.LEAD_SCHOOL_HEAD,
        }
        self.holders: dict[Role, list[tuple[int, str]]] = {
            role: [(u.pk, u.email) for u in users_with_role(role).only("pk", "email")]
            for role in roles
        }
        fallback = getattr(settings, "COMPLAINTS_LEAD_SCHOOL_HEAD_EMAIL", "")
        self.head_fallback = [fallback] if fallback else []

    def handler(self, c: Complaint, subjects: set[int]) -> list[str]:
        if c.handler is not None and c.handler.pk not in subjects:
            return [c.handler.email]
        found = sorted(
            {
                email
                for role in self.handling[c.route]
                for pk, email in self.holders[role]
                if pk not in subjects and email
            }
        )
        if not found and c.route == Route.LEAD_SCHOOL_HEAD:
            found = list(self.head_fallback)
        return found

    def escalation(self, c: Complaint, subjects: set[int]) -> list[str]:
        role = Role.LEAD_SCHOOL_HEAD if c.route == Route.LEAD_SCHOOL_HEAD else Role.SLL
        found = [email for pk, email in self.holders[role] if pk not in subjects]
        if not found and role == Role.LEAD_SCHOOL_HEAD:
            found = list(self.head_fallback)
        return found

    def for_clock(self, c: Complaint, clock: str, which: str) -> list[str]:
        subjects = {u.pk for u in c.subjects.all()}
        if which == "missed":
            return self.escalation(c, subjects)
        if clock == "Appeal response":
            panel = [u.email for u in c.panel.all() if u.pk not in subjects]
            return panel or self.escalation(c, subjects)
        return self.handler(c, subjects)


def complaint_deadline_sweep(*, today: date) -> int:
    """Every open complaint's running clocks, in batches: a constant number of queries per
    batch of complaints, however many are open."""
    days_before = int(getattr(settings, "COMPLAINTS_REMINDER_DAYS_BEFORE", 3))
    rows = (
        Complaint.objects.filter(status__in=OPEN_STATUSES)
        .select_related("handler")
        .prefetch_related("subjects", "panel")
        .order_by("pk")
    )
    recipients = _Recipients()

    def items():
        for c in rows.iterator(chunk_size=BATCH_SIZE):
            for label, due in selectors.clocks(c):
                which = deadlines.reminder_days(due, today, days_before)
                if which is None:
                    continue
                key = label.lower().replace(" ", "_")
                yield Reminder.about(
                    c,
                    kind=f"complaints.{key}.{which}",
                    due_on=due,
                    to=recipients.for_clock(c, label, which),
                    template_prefix=f"complaints/email/reminder_{which}",
                    context={
                        "reference": c.reference,
                        "clock": label,
                        "due_on": format_date(due),
                        "url": absolute_url(reverse("complaints_staff:detail", args=[c.pk])),
                    },
                )

    return remind_batch(items())


def policy_review_sweep(*, today: date) -> int:
    """Four weeks before the current policy's review date, on the day, and once it is missed."""
    policy = selectors.policy_current()
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
            context={"version": policy.version, "due_on": format_date(policy.review_due_on)},
        )
    )


def attachment_draft_sweep(*, today: date) -> int:
    """Delete attachments uploaded on a form that was never sent (after a day)."""
    cutoff = timezone.now() - timedelta(days=1)
    n = 0
    for a in Attachment.objects.filter(complaint__isnull=True, uploaded_at__lt=cutoff):
        a.delete()  # one by one: the post_delete hook removes each file
        n += 1
    return n


def complaints_sweeps(*, today: date) -> int:
    """The morning's complaints sweeps; the number of reminders sent."""
    sent = complaint_deadline_sweep(today=today) + policy_review_sweep(today=today)
    attachment_draft_sweep(today=today)
    return sent
