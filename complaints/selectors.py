"""Reads for complaints, scoped to what the user may see.

Who sees a complaint: the people in its handling role (the Maths Hub Lead and complaints
handlers for complaints routed to the MHL; the Senior Leadership Link for those about the MHL;
the Lead School's head for those about the SLL), the SLL (oversight of every complaint not about
them), the assigned handler and the appeal panel. Nobody the complaint is about ever sees it,
whatever roles they hold, superusers included.

The appeal panel is drawn from holders of ``Role.LEAD_SCHOOL_SENIOR_LEADER``. Sitting on a panel
opens that one complaint, and only while its appeal runs: once it closes, the panel's access
ends (the panel stays on record).

The complaint register (the dashboard's list and ``log.csv``) is for the complaint roles
(``COMPLAINT_ROLES``); a panel member sees their own case there. Other staff (Work Group Leads,
the data protection lead, the Board Chair, hub staff) get "Forbidden".
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from hubops.calendar import week_start
from hubops.roles import Role, has_role, users_with_role

from .models import OPEN_STATUSES, Complaint, PolicyVersion, Route, Status
from .workflow import ESCALATION, HANDLER, PANEL

HANDLING_ROLES: dict[str, tuple[Role, ...]] = {
    Route.MHL: (Role.MHL, Role.COMPLAINTS_HANDLER),
    Route.SLL: (Role.SLL,),
    Route.LEAD_SCHOOL_HEAD: (Role.LEAD_SCHOOL_HEAD,),
    Route.DFE: (Role.MHL, Role.COMPLAINTS_HANDLER),
}
COMPLAINT_ROLES = (Role.MHL, Role.SLL, Role.COMPLAINTS_HANDLER, Role.LEAD_SCHOOL_HEAD)
PANEL_ROLE = Role.LEAD_SCHOOL_SENIOR_LEADER
# The annual figures carry no personal data and go to the Strategic Board.
FIGURES_ROLES = (*COMPLAINT_ROLES, Role.BOARD_CHAIR)
# Letter templates and the policy: the people who handle complaints routed to the hub.
POLICY_ROLES = (Role.MHL, Role.SLL, Role.COMPLAINTS_HANDLER)


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
    query = (
        Q(route__in=routes_seen_by(user))
        | Q(handler=user)
        | Q(pk__in=Complaint.objects.filter(panel=user, status=Status.APPEAL).values("pk"))
    )
    # One flat query (no join, so no duplicates): the dashboard counts over it at 20,000 rows.
    return Complaint.objects.filter(query).exclude(pk__in=_about(user))


def _about(user) -> QuerySet:
    """The ids of the complaints about ``user``, as a subquery. ``exclude(pk__in=...)`` makes it
    ``NOT IN``, which PostgreSQL hashes once; ``exclude(subjects=user)`` is a ``NOT EXISTS``
    that it may probe once per row (a third of a 20,000-row count's time)."""
    return Complaint.subjects.through.objects.filter(user_id=user.pk).values("complaint_id")


def complaint_get_for_user(user, pk: int) -> Complaint | None:
    return complaint_list(user).filter(pk=pk).first()


def can_use_complaints_area(user) -> bool:
    """The complaint roles, and anyone with a complaint of their own to open (the assigned
    handler, a panel member while the appeal runs). Not staff as such."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return has_role(user, *COMPLAINT_ROLES) or complaint_list(user).exists()


def can_see_figures(user) -> bool:
    return has_role(user, *FIGURES_ROLES)


def can_manage_policy(user) -> bool:
    """Who publishes a new version of the complaints policy: the complaint handlers (the MHL,
    the SLL and complaints handlers, who also write the letters and get the review reminder)."""
    return has_role(user, *POLICY_ROLES)


def policy_current() -> PolicyVersion | None:
    """The policy in force: the newest version."""
    return PolicyVersion.objects.order_by("-version").first()


def policy_versions() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.order_by("-version")


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
    """Sits on the complaint's appeal panel while the appeal runs (access ends when it closes)."""
    return (
        complaint.status == Status.APPEAL
        and complaint.panel.filter(pk=user.pk).exists()
        and not is_subject(user, complaint)
    )


def complaint_roles(user, complaint: Complaint) -> set[str]:
    """The names ``workflow.MACHINE`` gives the moves' makers, that ``user`` holds on
    ``complaint``: the handler, the escalation (who convenes the panel), the panel."""
    roles = set()
    if can_handle(user, complaint):
        roles.add(HANDLER)
    if can_convene_panel(user, complaint):
        roles.add(ESCALATION)
    if is_panel_member(user, complaint):
        roles.add(PANEL)
    return roles


def register_for(user) -> QuerySet[Complaint]:
    """The complaint register ``user`` may see: every complaint for the complaint roles, a
    panel member's (or assigned handler's) own cases for them, nothing for anyone else; never
    a complaint about ``user``. Rows carry no personal details; the template shows names only
    for complaints the user can open."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Complaint.objects.none()
    if has_role(user, *COMPLAINT_ROLES):
        return Complaint.objects.exclude(pk__in=_about(user))
    return complaint_list(user)


def panel_refusal(complaint: Complaint, user, involved: set[int]) -> str:
    """Why ``user`` cannot sit on ``complaint``'s appeal panel ("" if they can). ``involved``
    is ``services.involved_user_ids(complaint)``."""
    name = user.full_name or user.email
    if complaint.subjects.filter(pk=user.pk).exists():
        return f"{name} cannot sit on the panel: the complaint is about them."
    if user.pk in involved:
        return f"{name} cannot sit on the panel: they handled the complaint before the appeal."
    if not user.is_active or not user.groups.filter(name=PANEL_ROLE.value).exists():
        return f"{name} cannot sit on the panel: they are not a senior leader of the Lead School."
    return ""


def panel_candidates(complaint: Complaint, involved: set[int]) -> QuerySet:
    """Who may be chosen for the appeal panel: active holders of the senior leader role, minus
    the people the complaint is about and everyone who handled it before the appeal."""
    return (
        users_with_role(PANEL_ROLE)
        .exclude(pk__in=involved)
        .exclude(pk__in=complaint.subjects.values("pk"))
        .distinct()
        .order_by("full_name", "email")
    )


def overdue_q(today: date) -> Q:
    """Complaints with a deadline still running that has passed (``Complaint.next_due_on``, the
    earliest running clock, kept by the database and indexed)."""
    return Q(next_due_on__lt=today)


def due_between_q(first: date, last: date) -> Q:
    """Complaints whose earliest running deadline falls between ``first`` and ``last``."""
    return Q(next_due_on__range=(first, last))


DASHBOARD_LISTS = {
    "overdue": "Overdue",
    "week": "Due this week",
    "open": "All open complaints you handle",
}


class _CountedPaginator(Paginator):
    """A paginator told its count (worked out already, with the others, in one query)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def page_of_ids(ids: QuerySet, count: int, page: Any, per_page: int) -> Page:
    """One page of an ordered ``values_list("pk")`` queryset: the ids only (the index does the
    work), with the count known; the caller loads those rows alone."""
    return _CountedPaginator(ids, per_page, count).get_page(page)


def rows_for(ids: list[int], queryset: QuerySet[Complaint]) -> list[Complaint]:
    """The rows of ``ids``, in that order, each loaded once."""
    found = {c.pk: c for c in queryset.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def dashboard(user, today: date, *, show: str = "", page=None, per_page: int = 50) -> dict:
    """Counts of the user's open complaints (overdue, due this week, all), worked out in one
    SQL query that reads one index (``next_due_on``, the earliest running deadline, with the
    columns the user's scope needs), and one page of the list asked for (``show``: overdue,
    week or open; overdue first when there is any): the page's ids first, then those rows
    alone, each with its clocks. The same number of queries at 20 or 20,000 complaints."""
    monday = week_start(today)
    sunday = monday + timedelta(days=6)
    mine = complaint_list(user).filter(status__in=OPEN_STATUSES)
    wheres = {
        "overdue": overdue_q(today),
        # Not overdue, and the earliest running deadline is due by Sunday.
        "week": due_between_q(max(monday, today), sunday),
        "open": Q(),
    }
    counts = mine.aggregate(**{name: Count("pk", filter=q) for name, q in wheres.items()})
    lists = {name: mine.filter(q) for name, q in wheres.items()}
    if show not in lists:
        show = "overdue" if counts["overdue"] else "open"
    ids = lists[show].order_by("received_on", "pk").values_list("pk", flat=True)
    shown = page_of_ids(ids, counts[show], page, per_page)
    shown.object_list = rows_for(
        list(shown.object_list), Complaint.objects.select_related("handler")
    )
    for c in shown.object_list:
        c.clocks = clocks(c)  # type: ignore[attr-defined]  # for the template's row
    return {
        "counts": counts,
        "show": show,
        "show_label": DASHBOARD_LISTS[show],
        "lists": [(name, label, counts[name]) for name, label in DASHBOARD_LISTS.items()],
        "rows": shown,
        "week_ends_on": sunday,
    }


def clock_counts(today: date) -> dict[str, Any]:
    """Aggregates of the clocks still running over a queryset of complaints, one per clock
    (a formal complaint not yet acknowledged runs two): ``running``, and ``overdue``, those
    whose date has passed, as :func:`clocks` lists them."""
    formal = Q(status=Status.FORMAL)
    ack = formal & Q(acknowledged_on__isnull=True, ack_due_on__isnull=False)
    response = (
        formal
        & Q(responded_on__isnull=True)
        & (Q(response_extended_to__isnull=False) | Q(response_due_on__isnull=False))
    )
    appeal = Q(status=Status.APPEAL, appeal_decided_on__isnull=True, appeal_due_on__isnull=False)
    response_passed = Q(response_extended_to__lt=today) | Q(
        response_extended_to__isnull=True, response_due_on__lt=today
    )
    return {
        "running": Count("pk", filter=ack)
        + Count("pk", filter=response)
        + Count("pk", filter=appeal),
        "overdue": Count("pk", filter=ack & Q(ack_due_on__lt=today))
        + Count("pk", filter=response & response_passed)
        + Count("pk", filter=appeal & Q(appeal_due_on__lt=today)),
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
