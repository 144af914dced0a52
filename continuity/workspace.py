"""Continuity in the staff workspace (``hubops.ports``): a backup that failed, a restore test
that failed, a nightly backup that stopped, and SLAs a handover left to renew, for the data
protection lead and the MHL. Registered in ``ContinuityConfig.ready()``."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from hubops import ports

from . import selectors

AREA = "Continuity"


def due_items(user, today: date) -> list[ports.DueItem]:
    if not selectors.can_see_continuity(user):
        return []
    url = reverse("continuity_staff:dashboard")
    items = [
        ports.DueItem(
            area=AREA,
            what="Put the backups right",
            title=problem,
            url=url,
            due_on=today,
            detail="What to do: the runbook's restore section.",
        )
        for problem in selectors.continuity_status(timezone.now())["problems"]
    ]
    items += [
        ports.DueItem(
            area=AREA,
            what="Renew the SLA",
            title=str(renewal),
            url=url,
            due_on=renewal.flagged_on,
            undated=True,
        )
        for renewal in selectors.sla_renewals_open()[:20]
    ]
    return items


def area(user, today: date) -> ports.Area | None:
    if not selectors.can_see_continuity(user):
        return None
    status = selectors.continuity_status(timezone.now())
    return ports.Area(
        name=AREA,
        order=90,
        counts=[
            ports.Count("backup problems", len(status["problems"])),
            ports.Count("SLAs to renew", selectors.sla_renewals_open().count()),
        ],
        links=[
            ports.Link("Backups and restore tests", reverse("continuity_staff:dashboard")),
            ports.Link(
                "Runbook: losing data or a compromised server", reverse("continuity_staff:runbook")
            ),
        ],
    )


def register() -> None:
    ports.register_due_items("continuity", due_items)
    ports.register_area("continuity", area)
