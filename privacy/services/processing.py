"""Restriction of processing (GDPR Art. 18), objections to CPD mailings and the sharing log
(GDPR Art. 30): what limits or records the hub's use of a person's data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone

from hubops import audit
from hubops.formats import format_date

from ..models import DataRequest, Disclosure, MailingObjection, Restriction
from .data_requests import close_locked

# Restriction -------------------------------------------------------------------------------------


def restriction_start(
    *,
    email: str,
    user: Any = None,
    request: DataRequest | None = None,
    today: dt.date,
    reason: str = "",
    actor: Any = None,
) -> Restriction:
    """Restrict processing of the person at ``email`` (idempotent: one active restriction)."""
    email = email.strip().lower()
    with transaction.atomic():
        existing = Restriction.objects.filter(email=email, lifted_on__isnull=True).first()
        if existing:
            return existing
        restriction = Restriction.objects.create(
            email=email, user=user, request=request, started_on=today, reason=reason
        )
        audit.record(actor, restriction, "privacy.restriction.started")
    return restriction


def restriction_lift(*, restriction_id: int, today: dt.date, actor: Any = None) -> Restriction:
    with transaction.atomic():
        restriction = Restriction.objects.select_for_update().get(pk=restriction_id)
        restriction.lifted_on = today
        restriction.save(update_fields=["lifted_on"])
        audit.record(actor, restriction, "privacy.restriction.lifted")
    return restriction


def restriction_carry_out(*, data_request_id: int, actor: Any, today: dt.date) -> Restriction:
    """Carry out a request to restrict (or object, or withdraw consent) as a restriction, and
    close it, telling the person."""
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=data_request_id)
        outcome = (
            f"Processing restricted from {format_date(today)}: you are left out of exports, "
            "emails and processing until the restriction is lifted."
        )
        close_locked(request, move="restrict", outcome=outcome, actor=actor, today=today)
        restriction = restriction_start(
            email=request.email,
            user=request.user,
            request=request,
            today=today,
            reason=request.get_kind_display(),
            actor=actor,
        )
    return restriction


def restricted_people() -> tuple[set[int], set[str]]:
    """(user ids, lower-case addresses) of everyone whose processing is restricted now."""
    rows = Restriction.objects.filter(lifted_on__isnull=True).values_list("user_id", "email")
    ids = {u for u, _ in rows if u}
    emails = {e.lower() for _, e in rows}
    return ids, emails


# Sharing log -------------------------------------------------------------------------------------


def disclosure_record(
    *,
    recipient: str,
    purpose: str,
    lawful_basis: str,
    data_categories: list[str] | str,
    people_count: int,
    actor: Any = None,
    disclosed_on: dt.date | None = None,
    source: str = "",
) -> Disclosure:
    if isinstance(data_categories, list | tuple):
        data_categories = ", ".join(data_categories)
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    disclosure = Disclosure.objects.create(
        disclosed_on=disclosed_on or timezone.localdate(),
        recipient=recipient,
        purpose=purpose,
        lawful_basis=lawful_basis,
        data_categories=data_categories[:300],
        people_count=people_count,
        recorded_by=actor_user,
        source=source,
    )
    audit.record(actor, disclosure, "privacy.disclosure.recorded", data={"source": source})
    return disclosure


# -- CPD mailings ---------------------------------------------------------------------------------

UNSUBSCRIBE_SALT = "privacy.cpd-mailings.unsubscribe"


def unsubscribe_token(email: str) -> str:
    """A signed token naming ``email``, for the one-click unsubscribe link of a CPD mailing."""
    return signing.dumps(email.strip().lower(), salt=UNSUBSCRIBE_SALT, compress=True)


def email_for_unsubscribe_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def mailing_objection_record(*, email: str, source: str, actor: Any = None) -> MailingObjection:
    """Record an objection to CPD mailings (idempotent). It stops CPD mailings only: unlike a
    restriction, the mails about a Work Group the person is in still go."""
    email = email.strip().lower()
    with transaction.atomic():
        objection, created = MailingObjection.objects.get_or_create(
            email=email, defaults={"source": source[:40]}
        )
        if created:
            audit.record(
                actor, objection, "privacy.mailingobjection.recorded", data={"via": source}
            )
    return objection
