"""The complaints policy: each approved wording is a new numbered version (never edited), with
the date the board must review it by (the review reminder reads the newest)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from hubops import audit
from hubops.formats import format_date

from ..models import PolicyVersion
from ..workflow import ComplaintError


def _check_dates(*, today: date, approved_on: date, review_due_on: date) -> None:
    if approved_on > today:
        raise ComplaintError("The date it was approved must be today or in the past.")
    if review_due_on <= approved_on:
        raise ComplaintError(
            f"The review date must be after the date it was approved ({format_date(approved_on)})."
        )


@transaction.atomic
def policy_version_add(
    *, actor: Any, today: date, body: str, approved_on: date, review_due_on: date
) -> PolicyVersion:
    """Publish a new version of the policy, numbered after the newest; it becomes current."""
    body = body.strip()
    if not body:
        raise ComplaintError("Enter the policy as approved.")
    _check_dates(today=today, approved_on=approved_on, review_due_on=review_due_on)
    latest = PolicyVersion.objects.select_for_update().order_by("-version").first()
    if latest is not None and approved_on < latest.approved_on:
        raise ComplaintError(
            f"Version {latest.version} was approved on {format_date(latest.approved_on)}: "
            "a new version cannot have been approved before it."
        )
    policy = PolicyVersion.objects.create(
        version=(latest.version + 1) if latest else 1,
        body=body,
        approved_on=approved_on,
        review_due_on=review_due_on,
    )
    audit.record(
        actor,
        policy,
        "complaints.policyversion.added",
        data={"version": policy.version, "review_due_on": review_due_on.isoformat()},
    )
    return policy
