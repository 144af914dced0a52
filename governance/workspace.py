"""Governance in the staff workspace (``hubops.ports``): board papers, agendas and notes to
agree (each for the person whose move it is), board actions, SLAs ending or unsigned; counts,
links and the search for a local leader. Registered in ``GovernanceConfig.ready()``."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from hubops import ports
from hubops.formats import format_date
from hubops.roles import has_role

from . import workflow
from .access import EDIT_ROLES, GOVERNANCE_ROLES, can_edit, moves_for
from .models import BoardAction, BoardMeeting, LocalLeader, MeetingStatus, ServiceLevelAgreement

AREA = "Governance"
SEARCH_LIMIT = 20
SLA_AHEAD = timedelta(days=60)
MEETINGS_AHEAD = timedelta(days=60)
# The notes are agreed soon after the meeting; the home counts two weeks from the meeting.
NOTES_WITHIN = timedelta(days=14)


#: The moves the staff home lists (a redraft is not due), with what to call each and its due day.
DUE_MOVES = {
    "draft_agenda": workflow.PLANNED,
    "agree_agenda": workflow.AGENDA_DRAFTED,
    "draft_notes": workflow.HELD,
    "agree_notes": workflow.NOTES_DRAFTED,
}


def _meeting_moves(user, m: BoardMeeting, today: date) -> list[tuple[str, date]]:
    before = m.papers_due_on or m.held_on
    moves = [
        (step.label, before if step.name.endswith("agenda") else m.held_on + NOTES_WITHIN)
        for step in moves_for(user, m, today)
        if DUE_MOVES.get(step.name) == m.status
    ]
    open_for_papers = m.status in workflow.BEFORE_THE_MEETING
    if can_edit(user) and open_for_papers and m.papers_due_on and not m.papers_circulated_on:
        moves.append(("Circulate the papers", m.papers_due_on))
    return moves


def due_items(user, today: date) -> list[ports.DueItem]:
    if not has_role(user, *GOVERNANCE_ROLES):
        return []
    items = []
    meetings = BoardMeeting.objects.filter(held_on__lte=today + MEETINGS_AHEAD).exclude(
        status__in=[MeetingStatus.NOTES_AGREED, MeetingStatus.CANCELLED]
    )
    for m in meetings:
        for what, due in _meeting_moves(user, m, today):
            items.append(
                ports.DueItem(
                    area=AREA,
                    what=what,
                    title=f"Strategic Board, {m.get_term_display()} ({format_date(m.held_on)})",
                    url=reverse("governance_staff:meeting_detail", args=[m.pk]),
                    due_on=due,
                    detail=m.get_status_display() + ".",
                )
            )
    if not has_role(user, *EDIT_ROLES):
        return items
    for a in BoardAction.objects.filter(done_on__isnull=True, due_on__lte=today + MEETINGS_AHEAD):
        items.append(
            ports.DueItem(
                area=AREA,
                what="Board action",
                title=f"{a.description[:100]} ({a.owner_name})",
                url=reverse("governance_staff:meeting_detail", args=[a.meeting_id]),
                due_on=a.due_on,
            )
        )
    later = ServiceLevelAgreement.objects.filter(
        leader=OuterRef("leader"), starts_on__gt=OuterRef("ends_on"), terminated_on__isnull=True
    )
    ending = (
        ServiceLevelAgreement.objects.filter(
            terminated_on__isnull=True, ends_on__gte=today, ends_on__lte=today + SLA_AHEAD
        )
        .filter(~Exists(later))
        .select_related("leader")
    )
    for sla in ending:
        items.append(
            ports.DueItem(
                area=AREA,
                what="SLA ends: agree the next one",
                title=sla.leader.name,
                url=reverse("governance_staff:llme"),
                due_on=sla.ends_on,
            )
        )
    unsigned = ServiceLevelAgreement.objects.filter(
        terminated_on__isnull=True, ends_on__gte=today
    ).filter(Q(hub_signed_on__isnull=True) | Q(leader_signed_on__isnull=True))
    for sla in unsigned.select_related("leader"):
        items.append(
            ports.DueItem(
                area=AREA,
                what="SLA awaiting signature",
                title=sla.leader.name,
                url=reverse("governance_staff:llme"),
                due_on=sla.starts_on,
            )
        )
    return items


def area(user, today: date) -> ports.Area | None:
    if not has_role(user, *GOVERNANCE_ROLES):
        return None
    meetings_url = reverse("governance_staff:meeting_list")
    counts = [
        ports.Count(
            "board meetings ahead",
            BoardMeeting.objects.filter(held_on__gte=today)
            .exclude(status=MeetingStatus.CANCELLED)
            .count(),
            meetings_url,
        )
    ]
    links = [
        ports.Link("Team and board compliance", reverse("governance_staff:compliance")),
        ports.Link("Grant Offer Letter checklist", reverse("governance_staff:checklist")),
        ports.Link("Strategic Board meetings", meetings_url),
        ports.Link("Board members and terms", reverse("governance_staff:members")),
        ports.Link("MHLM team appointments", reverse("governance_staff:team")),
        ports.Link("Annual plan", reverse("governance_staff:plan")),
        ports.Link("Local leaders (LLME) and SLAs", reverse("governance_staff:llme")),
    ]
    if has_role(user, *EDIT_ROLES):
        counts.append(
            ports.Count(
                "board actions open",
                BoardAction.objects.filter(done_on__isnull=True).count(),
                meetings_url,
            )
        )
        links.append(ports.Link("Grant and spending", reverse("governance_staff:finance")))
        links.append(ports.Link("Send a CPD mailing", reverse("governance_staff:mailing_new")))
    return ports.Area(name=AREA, order=40, counts=counts, links=links)


def search(user, query: str) -> list[ports.SearchHit]:
    """Local leaders (LLME) by name or email."""
    if not has_role(user, *GOVERNANCE_ROLES):
        return []
    rows = LocalLeader.objects.filter(Q(name__icontains=query) | Q(email__iexact=query))
    return [
        ports.SearchHit(
            area=AREA,
            kind="Local leader",
            title=leader.name,
            url=reverse("governance_staff:llme"),
            detail=leader.email,
        )
        for leader in rows.order_by("name")[:SEARCH_LIMIT]
    ]


def register() -> None:
    ports.register_due_items("governance", due_items)
    ports.register_area("governance", area)
    ports.register_search("governance", search)
