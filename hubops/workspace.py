"""The hub core's part of the staff workspace: failed school imports, emails the outbox gave up
on, the school search and the admin link (for those the admin lets in). Registered in
``HubopsConfig.ready()``."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from . import ports
from .models import OutgoingMessage, OutgoingStatus, School, SchoolImport, SchoolImportStatus
from .roles import Role, has_role

AREA = "Hub"
SEARCH_LIMIT = 20
# A failed import stays on the home for a fortnight (then it is history in the admin).
FAILED_IMPORT_DAYS = 14


def _can_see_imports(user) -> bool:
    """Who may open the import pages in the admin (they need to add and change schools)."""
    return user.is_staff and user.has_perms(["hubops.add_school", "hubops.change_school"])


def _failed_mail(user, today: date) -> list[ports.DueItem]:
    """One item for every email the outbox gave up on, for those who may retry them (the admin's
    "Retry" action). A count, not the addresses: the home shows no one's personal data."""
    if not (user.is_staff and user.has_perm("hubops.change_outgoingmessage")):
        return []
    failed = OutgoingMessage.objects.filter(status=OutgoingStatus.FAILED)
    count = failed.count()
    if not count:
        return []
    oldest = failed.order_by("created_at").values_list("created_at", flat=True).first()
    return [
        ports.DueItem(
            area=AREA,
            what="Emails failed to send: retry them",
            title=f"{count} email{'s' if count != 1 else ''}",
            url=reverse("admin:hubops_outgoingmessage_changelist") + "?status__exact=failed",
            due_on=timezone.localdate(oldest) if oldest else today,
            detail="The mail server refused them after every retry; the admin says why.",
        )
    ]


def due_items(user, today: date) -> list[ports.DueItem]:
    items = _failed_mail(user, today)
    if not _can_see_imports(user):
        return items
    since = timezone.now() - timedelta(days=FAILED_IMPORT_DAYS)
    failed = SchoolImport.objects.filter(
        status=SchoolImportStatus.FAILED, uploaded_at__gte=since
    ).order_by("-uploaded_at")
    return items + [
        ports.DueItem(
            area=AREA,
            what="Import failed: upload the file again",
            title=imp.filename,
            url=reverse("admin:hubops_school_import_progress", args=[imp.pk]),
            due_on=timezone.localdate(imp.finished_at or imp.uploaded_at),
            detail=(imp.error or "")[:200],
        )
        for imp in failed
    ]


def area(user, today: date) -> ports.Area | None:
    if not user.is_staff:
        return None
    links = [
        ports.Link("Search people, schools, registrations and complaints", reverse("staff_search"))
    ]
    if user.has_perm("hubops.view_school") or user.has_perm("hubops.change_school"):
        links.append(ports.Link("Schools (admin)", reverse("admin:hubops_school_changelist")))
    if has_role(user, Role.HUB_STAFF, Role.MHL):
        links.append(ports.Link("Reminder sweeps: run one now", reverse("staff_sweeps")))
    return ports.Area(name=AREA, order=90, links=links)


def search(user, query: str) -> list[ports.SearchHit]:
    """Schools by name or URN. Any staff member may look a school up."""
    if not user.is_staff:
        return []
    qs = School.objects.all()
    qs = qs.filter(urn=int(query)) if query.isdigit() else qs.filter(name__icontains=query)
    can_open = user.has_perm("hubops.view_school") or user.has_perm("hubops.change_school")
    return [
        ports.SearchHit(
            area=AREA,
            kind="School",
            title=school.name,
            url=reverse("admin:hubops_school_change", args=[school.pk]) if can_open else "",
            detail=", ".join(
                p
                for p in (
                    f"URN {school.urn}",
                    school.la_name,
                    school.get_phase_display(),
                    school.get_status_display(),
                )
                if p
            ),
        )
        for school in qs.order_by("name")[:SEARCH_LIMIT]
    ]


def register() -> None:
    ports.register_due_items("hubops", due_items)
    ports.register_area("hubops", area)
    ports.register_search("hubops", search)
