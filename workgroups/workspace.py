"""Work Groups in the staff workspace (``hubops.ports``): this week's sessions, registers not
yet taken, offers of a place about to lapse; counts, links and the search for a registration
(reference, teacher, school name or URN). A Work Group Lead sees their own groups only.
Registered in ``WorkgroupsConfig.ready()``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from hubops import ports

from . import selectors
from .models import PLACE_HOLDING, Attendance, GroupStatus, Registration, RegStatus, Session

AREA = "Work Groups"
SEARCH_LIMIT = 20
# Registers are chased for sessions in the last eight weeks; older gaps are history.
REGISTER_LOOKBACK = timedelta(weeks=8)
OFFER_AHEAD = timedelta(days=7)
WEEK = timedelta(days=7)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def due_list(user, today: date, limit: int) -> ports.DueList:
    """This week's sessions, registers not yet taken and offers about to lapse in the user's
    groups: the soonest ``limit`` of each read, and all of them counted, in SQL."""
    url = reverse("workgroups_staff:group_list")
    if not selectors.can_see_staff_pages(user):
        return ports.DueList(AREA, [], 0, 0, url)
    now = timezone.now()
    sessions = selectors.in_groups_for_user(
        Session.objects.filter(cancelled=False), user
    ).select_related("work_group")
    # "This week" is the coming seven days, so a Friday still shows Monday's session.
    this_week = sessions.filter(starts_at__gte=now, starts_at__lt=_start_of(today + WEEK))
    has_people = Registration.objects.filter(
        work_group=OuterRef("work_group"), status__in=PLACE_HOLDING
    )
    untaken = sessions.filter(
        starts_at__lt=now, starts_at__gte=_start_of(today - REGISTER_LOOKBACK)
    ).filter(~Exists(Attendance.objects.filter(session=OuterRef("pk"))), Exists(has_people))
    offers = (
        selectors.in_groups_for_user(Registration.objects.all(), user)
        .filter(
            status=RegStatus.OFFERED,
            offer_expires_on__lte=today + OFFER_AHEAD,
            offer_expires_on__gte=today,
        )
        .select_related("work_group", "school")
    )
    items = [_session_item(s) for s in this_week.order_by("starts_at", "pk")[:limit]]
    items += [_register_item(s) for s in untaken.order_by("starts_at", "pk")[:limit]]
    items += [_offer_item(r) for r in offers.order_by("offer_expires_on", "pk")[:limit]]
    items.sort(key=lambda item: item.due_on)
    # A register is overdue from the day after its session: counted in the same query.
    registers = untaken.aggregate(
        all=Count("pk"), overdue=Count("pk", filter=Q(starts_at__lt=_start_of(today)))
    )
    overdue = registers["overdue"]
    total = this_week.count() + registers["all"] + offers.count()
    return ports.DueList(AREA, items[:limit], total, overdue, url)


def _session_item(s: Session) -> ports.DueItem:
    local = timezone.localtime(s.starts_at)
    return ports.DueItem(
        area=AREA,
        what="Session",
        title=f"{s.work_group.code} {s.work_group.title}",
        url=reverse("workgroups_staff:group_detail", args=[s.work_group_id]),
        due_on=local.date(),
        detail=f"{local:%A %-d %B, %H:%M}" + (f", {s.venue}" if s.venue else "") + ".",
    )


def _register_item(s: Session) -> ports.DueItem:
    local = timezone.localtime(s.starts_at)
    return ports.DueItem(
        area=AREA,
        what="Take the register",
        title=f"{s.work_group.code} session of {local:%-d %B}",
        url=reverse("workgroups_staff:register", args=[s.work_group_id, s.pk]),
        due_on=local.date(),
        detail=f"{s.work_group.title}: nobody is marked present or absent yet.",
    )


def _offer_item(r: Registration) -> ports.DueItem:
    return ports.DueItem(
        area=AREA,
        what="Offer lapses",
        title=f"{r.full_name}, {r.work_group.code}",
        url=reverse("workgroups_staff:group_detail", args=[r.work_group_id]),
        due_on=r.offer_expires_on,
        detail=f"{r.school.name}: the place goes to the next school on the waiting "
        "list unless it is taken up.",
    )


def area(user, today: date) -> ports.Area | None:
    if not selectors.can_see_staff_pages(user):
        return None
    groups = selectors.groups_for_user(user)
    list_url = reverse("workgroups_staff:group_list")
    counts = [
        ports.Count(
            "Work Groups open or running",
            groups.filter(status__in=[GroupStatus.PUBLISHED, GroupStatus.RUNNING]).count(),
            list_url,
        ),
        ports.Count(
            "teachers holding a place",
            selectors.in_groups_for_user(Registration.objects.all(), user)
            .filter(status__in=PLACE_HOLDING)
            .count(),
            list_url,
        ),
    ]
    links = [ports.Link("Work Groups, sessions and registers", list_url)]
    if selectors.is_staff_manager(user):
        links += [
            ports.Link("Participation returns", reverse("workgroups_staff:exports")),
            ports.Link("Import registrations", reverse("workgroups_staff:import")),
            ports.Link("Teaching for Mastery reach", reverse("workgroups_staff:reach")),
        ]
    return ports.Area(name=AREA, order=10, counts=counts, links=links)


def search(user, query: str) -> list[ports.SearchHit]:
    """Registrations in the user's groups by reference, teacher, email, school or URN."""
    if not selectors.can_see_staff_pages(user):
        return []
    match = (
        Q(reference__iexact=query)
        | Q(full_name__icontains=query)
        | Q(email__iexact=query)
        | Q(school__name__icontains=query)
    )
    if query.isdigit():
        match |= Q(school__urn=int(query))
    rows = (
        selectors.in_groups_for_user(Registration.objects.all(), user)
        .filter(match)
        .select_related("work_group", "school")
        .order_by("-created_at", "-pk")[:SEARCH_LIMIT]
    )
    return [
        ports.SearchHit(
            area=AREA,
            kind="Registration",
            title=f"{r.reference}: {r.full_name}",
            url=reverse("workgroups_staff:group_detail", args=[r.work_group_id]),
            detail=f"{r.work_group.code} {r.work_group.title}; {r.school.name}; "
            f"{r.get_status_display().lower()}",
        )
        for r in rows
    ]


def register() -> None:
    ports.register_due_list("workgroups", due_list)
    ports.register_area("workgroups", area)
    ports.register_search("workgroups", search)
