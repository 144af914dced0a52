"""Privacy reads."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet

from hubops.models import AuditEvent
from hubops.roles import Role, has_role

from .models import (
    DPIA,
    Breach,
    DataRequest,
    Disclosure,
    MailingObjection,
    NoticeAcceptance,
    PrivacyNotice,
    RetentionRun,
)

PRIVACY_ROLES = (Role.DATA_PROTECTION_LEAD, Role.MHL)


def can_handle_privacy(user) -> bool:
    return bool(user.is_staff and has_role(user, *PRIVACY_ROLES))


def current_notice(today: dt.date) -> PrivacyNotice | None:
    return PrivacyNotice.objects.filter(published_on__lte=today).order_by("-version").first()


def has_accepted(user, notice: PrivacyNotice | None) -> bool:
    if notice is None or not user.is_authenticated:
        return True
    return user.notice_acceptances.filter(notice=notice).exists()


def notice_acceptance_latest(user):
    """The newest version of the notice ``user`` accepted (with when), or None."""
    if user is None or not user.is_authenticated:
        return None
    return user.notice_acceptances.select_related("notice").order_by("-notice__version").first()


def notice_changed_since_accepted(user, notice: PrivacyNotice | None) -> bool:
    """Whether ``user`` accepted an older version than ``notice`` and not this one: only they
    are told the notice has changed (a person who never accepted one is simply asked)."""
    latest = notice_acceptance_latest(user)
    return notice is not None and latest is not None and latest.notice.version < notice.version


def requests_for_staff() -> QuerySet[DataRequest]:
    return DataRequest.objects.select_related("user").order_by("closed_on", "due_on", "pk")


DUE_SOON_DAYS = 7
REQUEST_LISTS = {
    "overdue": "Overdue",
    "due_soon": f"Due in the next {DUE_SOON_DAYS} days",
    "open": "All open",
    "all": "Every request",
}


def _due(lookup: str, value) -> Q:
    """On the indexed due columns: the extended date when there is one, else the due date."""
    return Q(**{f"extended_to__{lookup}": value}) | Q(
        extended_to__isnull=True, **{f"due_on__{lookup}": value}
    )


def request_lists(today: dt.date) -> dict[str, QuerySet[DataRequest]]:
    """The staff list's filters, each one query; counting them reads no rows."""
    open_requests = DataRequest.objects.filter(closed_on__isnull=True)
    overdue = _due("lt", today)
    soon = _due("range", (today, today + dt.timedelta(days=DUE_SOON_DAYS)))
    return {
        "overdue": open_requests.filter(overdue),
        "due_soon": open_requests.filter(soon),
        "open": open_requests,
        "all": DataRequest.objects.all(),
    }


def request_page(today: dt.date, *, show: str = "", page=None, per_page: int = 50) -> dict:
    lists = request_lists(today)
    counts = {name: qs.count() for name, qs in lists.items()}
    if show not in lists:
        show = "open"
    ordered = lists[show].select_related("user").order_by("closed_on", "due_on", "pk")
    return {
        "lists": [(name, label, counts[name]) for name, label in REQUEST_LISTS.items()],
        "show": show,
        "show_label": REQUEST_LISTS[show],
        "page": Paginator(ordered, per_page).get_page(page),
    }


def viewers_of(obj) -> QuerySet[AuditEvent]:
    """Who has seen or exported this record, newest first."""
    return (
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
        )
        .filter(action__regex=r"\.(viewed|exported|downloaded)$")
        .order_by("-at")
    )


def disclosures() -> QuerySet[Disclosure]:
    return Disclosure.objects.select_related("recorded_by")


def breaches() -> QuerySet[Breach]:
    return Breach.objects.all()


def retention_runs() -> QuerySet[RetentionRun]:
    return RetentionRun.objects.select_related("approved_by")


def dpias() -> QuerySet[DPIA]:
    return DPIA.objects.order_by("review_on")


def mailing_objectors() -> set[str]:
    """The (lower-case) addresses that objected to CPD mailings."""
    return set(MailingObjection.objects.values_list("email", flat=True))


def notice_acceptance_count(notice: PrivacyNotice | None) -> int:
    """How many people accepted ``notice`` (they are asked again when a new one is out)."""
    if notice is None:
        return 0
    return NoticeAcceptance.objects.filter(notice=notice).count()


def notices() -> QuerySet[PrivacyNotice]:
    return PrivacyNotice.objects.order_by("-version")


def data_request_get_for_user(user, pk: int) -> DataRequest | None:
    """The request, for the people who handle privacy (anyone else: None, so a 404)."""
    if not can_handle_privacy(user):
        return None
    return DataRequest.objects.select_related("user").filter(pk=pk).first()


def breach_get_for_user(user, pk: int) -> Breach | None:
    if not can_handle_privacy(user):
        return None
    return Breach.objects.filter(pk=pk).first()


def dpia_get_for_user(user, pk: int) -> DPIA | None:
    if not can_handle_privacy(user):
        return None
    return DPIA.objects.filter(pk=pk).first()
