"""The reports' reminder sweep (``hubops.reminders``): the MHL and the SLL are reminded 14 days
before each reporting deadline and on the day, unless it has been met (a report for it signed
off). Each reminder is claimed once, keyed on the deadline and its date, so moving a deadline
reminds again for the new date."""

from __future__ import annotations

from datetime import date, timedelta

from governance import selectors as governance_selectors
from hubops import reminders
from hubops.roles import Role, users_with_role

REMIND_DAYS_BEFORE = 14


def report_due_sweep(*, today: date) -> int:
    """Queue the reminders due ``today``; returns how many were queued now."""
    soon = today + timedelta(days=REMIND_DAYS_BEFORE)
    due = governance_selectors.report_due_dates_unmet_on([today, soon])
    to = sorted({u.email for role in (Role.MHL, Role.SLL) for u in users_with_role(role)})
    if not to:
        return 0
    items = []
    for item in due:
        kind = "due_today" if item.due_on == today else "due_soon"
        items.append(
            reminders.Reminder.about(
                item,
                kind=f"reports.{kind}",
                due_on=item.due_on,
                to=to,
                template_prefix="reports/email/due",
                context={"what": str(item), "due_on": item.due_on.isoformat(), "today": kind},
            )
        )
    return reminders.remind_batch(items)
