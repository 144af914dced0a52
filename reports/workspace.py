"""Reports in the staff workspace (``hubops.ports``): reports awaiting the MHL's quality
assurance or the SLL's sign-off (for whoever makes that move), drafts to finish and reports
falling due with none started; counts and links. Registered in ``ReportsConfig.ready()``."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from hubops import ports
from hubops.roles import has_role

from . import workflow
from .models import Report, ReportDueDate
from .selectors import REPORT_ROLES, roles_of  # the pages' own gate

AREA = "Reports"
DUE_AHEAD = timedelta(days=42)
_MOVE_FOR = {
    workflow.DRAFT: (workflow.STAFF, "Finish and submit for QA"),
    workflow.SUBMITTED: (workflow.MHL, "Quality-assure"),
    workflow.MHL_APPROVED: (workflow.SLL, "Sign off"),
}


def due_items(user, today: date) -> list[ports.DueItem]:
    if not has_role(user, *REPORT_ROLES):
        return []
    roles = roles_of(user)
    statuses = [s for s, (actor, _) in _MOVE_FOR.items() if actor in roles]
    items = []
    reports = Report.objects.filter(status__in=statuses).select_related("due_date")
    for r in reports:
        actor, what = _MOVE_FOR[r.status]
        if r.status == workflow.DRAFT and not r.due_date_id:
            continue  # a draft with no due date is not chased
        items.append(
            ports.DueItem(
                area=AREA,
                what=what,
                title=r.title,
                url=reverse("reports:detail", args=[r.pk]),
                due_on=r.due_date.due_on if r.due_date else timezone.localdate(r.updated_at),
                undated=r.due_date is None,
                detail=r.status_label + ".",
            )
        )
    if workflow.STAFF in roles:
        unstarted = ReportDueDate.objects.filter(
            due_on__lte=today + DUE_AHEAD, due_on__gte=today - DUE_AHEAD, reports__isnull=True
        ).select_related("academic_year")
        for d in unstarted:
            items.append(
                ports.DueItem(
                    area=AREA,
                    what="Start the report",
                    title=f"{d.get_kind_display()}, {d.label or d.academic_year}",
                    url=reverse("reports:list") + "#new-report",
                    due_on=d.due_on,
                    detail="No draft yet.",
                )
            )
    return items


def area(user, today: date) -> ports.Area | None:
    if not has_role(user, *REPORT_ROLES):
        return None
    url = reverse("reports:list")
    counts = [
        ports.Count(
            "reports in QA or awaiting sign-off",
            Report.objects.filter(status__in=[workflow.SUBMITTED, workflow.MHL_APPROVED]).count(),
            url,
        )
    ]
    links = [ports.Link("Reports to the DfE and the NCETM: drafts, QA and sign-off", url)]
    return ports.Area(name=AREA, order=50, counts=counts, links=links)


def register() -> None:
    ports.register_due_items("reports", due_items)
    ports.register_area("reports", area)
