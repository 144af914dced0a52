"""Privacy in the staff workspace (``hubops.ports``): data-rights requests by their one-month
deadline, the 72-hour breach clock, DPIAs due for review; counts, links and the search for a
requester. Registered in ``PrivacyConfig.ready()``. Only privacy handlers see any of it."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from hubops import ports
from hubops.formats import format_date

from . import selectors
from .models import DPIA, Breach, DataRequest, RequestStatus

AREA = "Privacy"
SEARCH_LIMIT = 20
DPIA_REVIEW_AHEAD = timedelta(days=30)


def _open_breaches():
    return Breach.objects.filter(
        closed_on__isnull=True, ico_notified_at__isnull=True, ico_not_notified_reason=""
    )


def due_list(user, today: date, limit: int) -> ports.DueList:
    """Open data-rights requests by their deadline, breaches on the 72-hour clock and DPIAs
    due for review: the soonest ``limit`` of each read, and all of them counted, in SQL."""
    url = reverse("privacy_staff:requests")
    if not selectors.can_handle_privacy(user):
        return ports.DueList(AREA, [], 0, 0, url)
    now = timezone.now()
    requests = DataRequest.objects.filter(closed_on__isnull=True).alias(
        due=Coalesce("extended_to", "due_on")
    )
    breaches = _open_breaches()
    dpias = DPIA.objects.filter(review_on__lte=today + DPIA_REVIEW_AHEAD)
    items = [_request_item(r) for r in requests.order_by("due", "pk")[:limit]]
    items += [_breach_item(b) for b in breaches.order_by("ico_deadline", "pk")[:limit]]
    items += [_dpia_item(d) for d in dpias.order_by("review_on", "pk")[:limit]]
    items.sort(key=lambda item: item.due_on)
    counted = requests.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)))
    late = breaches.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(ico_deadline__lt=now))
    )
    reviews = dpias.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(review_on__lt=today)))
    total = counted["total"] + late["total"] + reviews["total"]
    overdue = counted["overdue"] + late["overdue"] + reviews["overdue"]
    return ports.DueList(AREA, items[:limit], total, overdue, url)


def _request_item(r: DataRequest) -> ports.DueItem:
    waiting = r.status == RequestStatus.AWAITING_VERIFICATION
    return ports.DueItem(
        area=AREA,
        what="Check identity" if waiting else "Answer the request",
        title=f"{r.reference} ({r.get_kind_display().split(' (')[0].lower()})",
        url=reverse("privacy_staff:request_detail", args=[r.pk]),
        due_on=r.effective_due_on,
        detail=f"From {r.full_name}, received {format_date(r.received_on)}"
        + (" (extended)" if r.extended_to else "")
        + ".",
    )


def _breach_item(b: Breach) -> ports.DueItem:
    return ports.DueItem(
        area=AREA,
        what="Tell the ICO, or record why not",
        title=f"breach {b.reference}",
        url=reverse("privacy_staff:breach_detail", args=[b.pk]),
        due_on=timezone.localdate(b.ico_deadline),
        due_at=b.ico_deadline,
        detail=f"Found {timezone.localtime(b.found_at):%H:%M} on "
        f"{format_date(b.found_at)}; the ICO must hear within 72 hours.",
    )


def _dpia_item(d: DPIA) -> ports.DueItem:
    return ports.DueItem(
        area=AREA,
        what="Review the DPIA",
        title=d.title,
        url=reverse("privacy_staff:dpia_edit", args=[d.pk]),
        due_on=d.review_on,
    )


def area(user, today: date) -> ports.Area | None:
    if not selectors.can_handle_privacy(user):
        return None
    requests_url = reverse("privacy_staff:requests")
    counts = [
        ports.Count(
            "open data-rights requests",
            DataRequest.objects.filter(closed_on__isnull=True).count(),
            requests_url,
        ),
        ports.Count(
            "breaches awaiting the ICO decision",
            _open_breaches().count(),
            reverse("privacy_staff:breaches"),
        ),
    ]
    links = [
        ports.Link("Data-rights requests", requests_url),
        ports.Link(
            "Record a request received by post, phone or email",
            reverse("privacy_staff:request_new"),
        ),
        ports.Link("Retention and destruction", reverse("privacy_staff:retention")),
        ports.Link("Sharing log", reverse("privacy_staff:sharing")),
        ports.Link("Breach log", reverse("privacy_staff:breaches")),
        ports.Link("Log a breach", reverse("privacy_staff:breach_new")),
        ports.Link("DPIA register", reverse("privacy_staff:dpias")),
        ports.Link("Privacy notice versions", reverse("privacy_staff:notices")),
    ]
    return ports.Area(name=AREA, order=30, counts=counts, links=links)


def search(user, query: str) -> list[ports.SearchHit]:
    """Data-rights requests by reference, requester's name or email."""
    if not selectors.can_handle_privacy(user):
        return []
    rows = DataRequest.objects.filter(
        Q(reference__icontains=query) | Q(full_name__icontains=query) | Q(email__iexact=query)
    ).order_by("-received_on", "-pk")[:SEARCH_LIMIT]
    return [
        ports.SearchHit(
            area=AREA,
            kind="Data-rights request",
            title=f"{r.reference}: {r.full_name}",
            url=reverse("privacy_staff:request_detail", args=[r.pk]),
            detail=f"{r.get_kind_display()}; {r.get_status_display().lower()}",
        )
        for r in rows
    ]


def register() -> None:
    ports.register_due_list("privacy", due_list)
    ports.register_area("privacy", area)
    ports.register_search("privacy", search)
