"""Privacy in the staff workspace (``hubops.ports``): data-rights requests by their one-month
deadline, the 72-hour breach clock, DPIAs due for review; counts, links and the search for a
requester. Registered in ``PrivacyConfig.ready()``. Only privacy handlers see any of it."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
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


def due_items(user, today: date) -> list[ports.DueItem]:
    if not selectors.can_handle_privacy(user):
        return []
    items = []
    for r in DataRequest.objects.filter(closed_on__isnull=True):
        waiting = r.status == RequestStatus.AWAITING_VERIFICATION
        items.append(
            ports.DueItem(
                area=AREA,
                what="Check identity" if waiting else "Answer the request",
                title=f"{r.reference} ({r.get_kind_display().split(' (')[0].lower()})",
                url=reverse("privacy_staff:request_detail", args=[r.pk]),
                due_on=r.effective_due_on,
                detail=f"From {r.full_name}, received {format_date(r.received_on)}"
                + (" (extended)" if r.extended_to else "")
                + ".",
            )
        )
    for b in _open_breaches():
        items.append(
            ports.DueItem(
                area=AREA,
                what="Tell the ICO, or record why not",
                title=f"breach {b.reference}",
                url=reverse("privacy_staff:breach_detail", args=[b.pk]),
                due_on=timezone.localdate(b.ico_deadline),
                due_at=b.ico_deadline,
                detail=f"Found {timezone.localtime(b.found_at):%H:%M} on "
                f"{format_date(b.found_at)}; the ICO must hear within 72 hours.",
            )
        )
    for d in DPIA.objects.filter(review_on__lte=today + DPIA_REVIEW_AHEAD):
        items.append(
            ports.DueItem(
                area=AREA,
                what="Review the DPIA",
                title=d.title,
                url=reverse("privacy_staff:dpia_edit", args=[d.pk]),
                due_on=d.review_on,
            )
        )
    return items


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
    ports.register_due_items("privacy", due_items)
    ports.register_area("privacy", area)
    ports.register_search("privacy", search)
