"""Complaints in the staff workspace (``hubops.ports``): the acknowledgement, response and
appeal clocks of the complaints this person acts on, the area's counts and links, and the
search by reference or complainant. Registered in ``ComplaintsConfig.ready()``."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse

from hubops import ports
from hubops.formats import format_date
from hubops.roles import Role, has_role

from . import selectors
from .models import OPEN_STATUSES, Complaint, Status

AREA = "Complaints"
SEARCH_LIMIT = 20
_MOVES = {"Acknowledgement": "Acknowledge", "Response": "Respond", "Appeal response": "Decide"}


def _moves(user) -> Q:
    """The complaints whose running clock is ``user``'s move: at stage 2 the handling role's
    or the assigned handler's, at stage 3 the appeal panel's and those who convene it.
    (Oversight alone is not a move.)"""
    appeal = Q(status=Status.APPEAL)
    if not has_role(user, Role.SLL, Role.LEAD_SCHOOL_HEAD):
        sits_on = Complaint.panel.through.objects.filter(user_id=user.pk)
        appeal &= Q(pk__in=sits_on.values("complaint_id"))
    routes = [r for r, roles in selectors.HANDLING_ROLES.items() if has_role(user, *roles)]
    return appeal | Q(status=Status.FORMAL) & (Q(handler=user) | Q(route__in=routes))


def due_list(user, today: date, limit: int) -> ports.DueList:
    """The running clocks of the complaints that are ``user``'s move: the soonest ``limit``
    (read through the indexed ``next_due_on``, the earliest clock of each complaint) and how
    many there are, and how many overdue, counted in SQL."""
    url = reverse("complaints_staff:dashboard")
    if not selectors.can_use_complaints_area(user):
        return ports.DueList(AREA, [], 0, 0, url)
    mine = selectors.complaint_list(user).filter(_moves(user), next_due_on__isnull=False)
    counts = mine.aggregate(**selectors.clock_counts(today))
    rows = mine.select_related("handler").order_by("next_due_on", "pk")[:limit]
    items = [
        ports.DueItem(
            area=AREA,
            what=_MOVES.get(label, label),
            title=f"complaint {c.reference}",
            url=reverse("complaints_staff:detail", args=[c.pk]),
            due_on=due,
            detail=f"{label} due. {c.get_status_display()}, received "
            f"{format_date(c.received_on)}"
            + (f"; handler {c.handler.full_name}" if c.handler else "")
            + ".",
        )
        for c in rows
        for label, due in selectors.clocks(c)
    ]
    items.sort(key=lambda item: item.due_on)
    return ports.DueList(AREA, items[:limit], counts["running"], counts["overdue"], url)


def area(user, today: date) -> ports.Area | None:
    if not selectors.can_use_complaints_area(user):
        return None
    data = selectors.complaint_list(user).filter(status__in=OPEN_STATUSES)
    dashboard = reverse("complaints_staff:dashboard")
    counts = [
        ports.Count("open complaints you can see", data.count(), dashboard),
        ports.Count("informal concerns", data.filter(status=Status.INFORMAL).count(), dashboard),
        ports.Count("appeals", data.filter(status=Status.APPEAL).count(), dashboard),
    ]
    links = [ports.Link("Complaints: due this week and overdue", dashboard)]
    if has_role(user, *selectors.COMPLAINT_ROLES):
        links.append(
            ports.Link("Record a complaint or concern", reverse("complaints_staff:record_new"))
        )
    if has_role(user, Role.MHL, Role.SLL, Role.COMPLAINTS_HANDLER):
        links.append(ports.Link("Letter templates", reverse("complaints_staff:letter_templates")))
    if selectors.can_see_figures(user):  # not a panel member sitting on one case
        links.append(ports.Link("Annual figures and charts", reverse("complaints_staff:figures")))
    return ports.Area(name=AREA, order=20, counts=counts, links=links)


def search(user, query: str) -> list[ports.SearchHit]:
    """Complaints by reference, complainant or email, among those the user may open."""
    if not selectors.can_use_complaints_area(user):
        return []
    rows = selectors.complaint_list(user).filter(
        Q(reference__icontains=query) | Q(full_name__icontains=query) | Q(email__iexact=query)
    )
    return [
        ports.SearchHit(
            area=AREA,
            kind="Complaint",
            title=f"{c.reference}{': ' + c.full_name if c.full_name else ''}",
            url=reverse("complaints_staff:detail", args=[c.pk]),
            detail=f"{c.get_status_display()}, received {format_date(c.received_on)}",
        )
        for c in rows.order_by("-received_on", "-pk")[:SEARCH_LIMIT]
    ]


def register() -> None:
    ports.register_due_list("complaints", due_list)
    ports.register_area("complaints", area)
    ports.register_search("complaints", search)
