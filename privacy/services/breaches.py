"""The breach log (the 72-hour ICO clock, the decision, closing) and the DPIA register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from hubops import audit

from .. import workflow
from ..models import DPIA, Breach
from ..workflow import BREACH_MACHINE, TransitionError
from .data_requests import new_reference

BREACH_FIELDS = (
    "what_happened",
    "data_categories",
    "people_count",
    "records_count",
    "likely_consequences",
    "measures_taken",
    "people_told_at",
)
DPIA_FIELDS = (
    "title",
    "screening",
    "processing",
    "risks",
    "measures",
    "review_on",
    "signed_off_by",
    "signed_off_on",
)


def breach_log(*, found_at: dt.datetime, actor: Any = None, **fields: Any) -> Breach:
    """Log a breach found at ``found_at``: the ICO must hear within 72 hours of it."""
    unknown = set(fields) - set(BREACH_FIELDS)
    if unknown:
        raise TypeError(f"breach_log() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        breach = Breach.objects.create(
            reference=new_reference("BR"),
            found_at=found_at,
            ico_deadline=workflow.ico_deadline(found_at),
            **fields,
        )
        audit.record(actor, breach, "privacy.breach.logged")
    return breach


def _locked_breach(breach_id: int) -> Breach:
    return Breach.objects.select_for_update().get(pk=breach_id)


def _check(breach: Breach, name: str) -> None:
    workflow.check(BREACH_MACHINE, name, breach.stage, subject=breach)


def breach_ico_notify(*, breach_id: int, notified_at: dt.datetime, actor: Any) -> Breach:
    """Record when the ICO was told (late is recorded as late, never refused)."""
    with transaction.atomic():
        breach = _locked_breach(breach_id)
        _check(breach, "notify_ico")
        if notified_at < breach.found_at:
            raise TransitionError("The ICO cannot have been told before the breach was found.")
        if notified_at > timezone.now() + dt.timedelta(minutes=5):
            raise TransitionError("The ICO cannot have been told in the future.")
        breach.ico_notified_at = notified_at
        breach.save(update_fields=["ico_notified_at", "updated_at"])
        audit.record(
            actor,
            breach,
            "privacy.breach.ico_notified",
            data={"in_time": bool(breach.ico_told_in_time)},
        )
    return breach


def breach_ico_not_notify(*, breach_id: int, reason: str, actor: Any) -> Breach:
    """Record why the breach is unlikely to risk people's rights, so the ICO is not told."""
    if not reason.strip():
        raise TransitionError("Give the reason the ICO is not told.")
    with transaction.atomic():
        breach = _locked_breach(breach_id)
        _check(breach, "not_notify_ico")
        breach.ico_not_notified_reason = reason.strip()
        breach.save(update_fields=["ico_not_notified_reason", "updated_at"])
        audit.record(actor, breach, "privacy.breach.ico_not_notified")
    return breach


def breach_close(*, breach_id: int, actor: Any, today: dt.date) -> Breach:
    """Close a breach once the ICO decision is recorded."""
    with transaction.atomic():
        breach = _locked_breach(breach_id)
        _check(breach, "close")
        breach.closed_on = today
        breach.save(update_fields=["closed_on", "updated_at"])
        audit.record(actor, breach, "privacy.breach.closed")
    return breach


# DPIAs -------------------------------------------------------------------------------------------


def _dpia_values(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(DPIA_FIELDS)
    if unknown:
        raise TypeError(f"unexpected DPIA fields: {sorted(unknown)}")
    if bool(fields.get("signed_off_by")) != bool(fields.get("signed_off_on")):
        raise TransitionError("A sign-off needs both who signed it off and the date.")
    return fields


def dpia_create(*, actor: Any, **fields: Any) -> DPIA:
    with transaction.atomic():
        dpia = DPIA.objects.create(**_dpia_values(fields))
        audit.record(actor, dpia, "privacy.dpia.created")
    return dpia


def dpia_update(*, dpia_id: int, actor: Any, **fields: Any) -> DPIA:
    """Change a DPIA (a new review date after a review, a sign-off)."""
    with transaction.atomic():
        dpia = DPIA.objects.select_for_update().get(pk=dpia_id)
        before = {name: getattr(dpia, name) for name in fields}
        for name, value in _dpia_values(fields).items():
            setattr(dpia, name, value)
        changed = [name for name in fields if before[name] != getattr(dpia, name)]
        if changed:
            dpia.save(update_fields=[*changed, "updated_at"])
            audit.record(actor, dpia, "privacy.dpia.updated", data={"fields": changed})
    return dpia
