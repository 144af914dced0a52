"""Reads for complaints, scoped to what the user may see.

Who sees a complaint: the people in its handling role (the Maths Hub Lead and complaints
handlers for complaints routed to the MHL; the Senior Leadership Link for those about the MHL;
the Lead School's head for those about the SLL), the SLL (oversight of every complaint not about
them), the assigned handler and the appeal panel. Nobody the complaint is about ever sees it,
whatever roles they hold, superusers included.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from hubops.calendar import week_start
from hubops.roles import Role, has_role

from .models import OPEN_STATUSES, Complaint, Route, Status

HANDLING_ROLES: dict[str, tuple[Role, ...]] = {
    Route.MHL: (Role.MHL, Role.COMPLAINTS_HANDLER),
    Route.SLL: (Role.SLL,),
    Route.LEAD_SCHOOL_HEAD: (Role.LEAD_SCHOOL_HEAD,),
    Route.DFE: (Role.MHL, Role.COMPLAINTS_HANDLER),
}
COMPLAINT_ROLES = (Role.MHL, Role.SLL, Role.COMPLAINTS_HANDLER, Role.LEAD_SCHOOL_HEAD)


def routes_seen_by(user) -> set[str]:
    routes: set[str] = set()
    for route, roles in HANDLING_ROLES.items():
        if has_role(user, *roles):
            routes.add(route)
    if has_role(user, Role.SLL):  # oversight
        routes.update({Route.MHL, Route.SLL, Route.DFE})
    return routes


def complaint_list(user) -> QuerySet[Complaint]:
    """The complaints ``user`` may open (never one about them)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Complaint.objects.none()
    query = Q(route__in=routes_seen_by(user)) | Q(handler=user) | Q(panel=user)
    ids = Complaint.objects.filter(query).exclude(subjects=user).values("pk")
    return Complaint.objects.filter(pk__in=ids)


def complaint_get_for_user(user, pk: int) -> Complaint | None:
    return complaint_list(user).filter(pk=pk).first()


def can_use_complaints_area(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        user.is_staff
        or has_role(user, *COMPLAINT_ROLES)
        or Complaint.objects.filter(panel=user).exists()
    )


def is_subject(user, complaint: Complaint) -> bool:
    return complaint.subjects.filter(pk=user.pk).exists()


def can_handle(user, complaint: Complaint) -> bool:
    """May act at stages 1 and 2 (acknowledge, write letters, respond)."""
    if is_subject(user, complaint):
        return False
    if complaint.handler_id == user.pk:
        return True
    return has_role(user, *HANDLING_ROLES[complaint.route]) or (
        complaint.route != Route.LEAD_SCHOOL_HEAD and has_role(user, Role.SLL)
    )


def can_convene_panel(user, complaint: Complaint) -> bool:
    """The Lead School convenes the appeal panel: the SLL or the head, if not the subject."""
    return not is_subject(user, complaint) and has_role(user, Role.SLL, Role.LEAD_SCHOOL_HEAD)


def is_panel_member(user, complaint: Complaint) -> bool:
    return complaint.panel.filter(pk=user.pk).exists() and not is_subject(user, complaint)


def log_for_staff(user) -> QuerySet[Complaint]:
    """Every complaint, for staff who may see the anonymous log, minus those about ``user``.
    Rows carry no personal details; the template shows names only for complaints the user can
    open."""
    return Complaint.objects.exclude(subjects=user)


def _clock_running(due: Q) -> Q:
    """Complaints with a running clock whose due date matches ``due`` (a lookup on a date,
    e.g. ``{"lt": today}``), on the indexed due columns, as ``clocks`` reads them."""

    def on(field: str) -> Q:
        return Q(**{f"{field}__{lookup}": value for lookup, value in due.items()})

    formal = Q(status=Status.FORMAL)
    ack = formal & Q(acknowledged_on__isnull=True) & on("ack_due_on")
    response = (
        formal
        & Q(responded_on__isnull=True)
        & (
            on("response_extended_to")
            | Q(response_extended_to__isnull=True) & on("response_due_on")
        )
    )
    appeal = Q(status=Status.APPEAL, appeal_decided_on__isnull=True) & on("appeal_due_on")
    return ack | response | appeal


def overdue_q(today: date) -> Q:
    return _clock_running({"lt": today})


def due_between_q(first: date, last: date) -> Q:
    return _clock_running({"range": (first, last)})


DASHBOARD_LISTS = {
    "overdue": "Overdue",
    "week": "Due this week",
    "open": "All open complaints you handle",
}


def dashboard(user, today: date, *, show: str = "", page=None, per_page: int = 50) -> dict:
    """Counts of the user's open complaints (overdue, due this week, all), worked out in SQL on
    the indexed due columns, and one page of the list asked for (``show``: overdue, week or
    open; overdue first when there is any). Only the rows shown have their clocks computed."""
    from django.core.paginator import Paginator

    monday = week_start(today)
    sunday = monday + timedelta(days=6)
    mine = complaint_list(user).filter(status__in=OPEN_STATUSES)
    overdue = overdue_q(today)
    lists = {
        "overdue": mine.filter(overdue),
        "week": mine.filter(due_between_q(max(monday, today), sunday)).exclude(overdue),
        "open": mine,
    }
    counts = {name: qs.count() for name, qs in lists.items()}
    if show not in lists:
        show = "overdue" if counts["overdue"] else "open"
    ordered = lists[show].select_related("handler").order_by("received_on", "pk")
    shown = Paginator(ordered, per_page).get_page(page)
    for c in shown.object_list:
        c.clocks = clocks(c)
    return {
        "counts": counts,
        "show": show,
        "show_label": DASHBOARD_LISTS[show],
        "lists": [(name, label, counts[name]) for name, label in DASHBOARD_LISTS.items()],
        "rows": shown,
        "week_ends_on": sunday,
    }


def clocks(c: Complaint) -> list[tuple[str, date]]:
    """The deadlines still running on a complaint (label, date)."""
    out = []
    if c.status == Status.FORMAL:
        if c.ack_due_on and not c.acknowledged_on:
            out.append(("Acknowledgement", c.ack_due_on))
        if c.response_effective_due_on and not c.responded_on:
            out.append(("Response", c.response_effective_due_on))
    if c.status == Status.APPEAL and c.appeal_due_on and not c.appeal_decided_on:
        out.append(("Appeal response", c.appeal_due_on))
    return out
