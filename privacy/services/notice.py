"""The privacy notice: publishing a version, and people accepting it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from hubops import audit

from ..models import NoticeAcceptance, PrivacyNotice
from ..workflow import TransitionError


def notice_accept(*, notice_id: int, actor: Any, now: dt.datetime | None = None) -> bool:
    """Record that ``actor`` accepted the notice. Exactly once; returns whether it is new."""
    notice = PrivacyNotice.objects.get(pk=notice_id)
    try:
        with transaction.atomic():
            NoticeAcceptance.objects.create(
                user=actor, notice=notice, accepted_at=now or timezone.now()
            )
            audit.record(actor, notice, "privacy.notice.accepted", data={"version": notice.version})
    except IntegrityError:
        return False
    return True


def notice_next_version() -> int:
    return (PrivacyNotice.objects.aggregate(v=Max("version"))["v"] or 0) + 1


def notice_publish(
    *,
    actor: Any,
    today: dt.date,
    title: str,
    body: str,
    published_on: dt.date,
    summary_of_changes: str = "",
) -> PrivacyNotice:
    """Publish the next version of the notice, current from ``published_on``. Everyone who
    accepted an earlier version is asked to accept this one (told at sign-in, asked on the
    notice page): nothing they accepted is changed."""
    if not body.strip():
        raise TransitionError("Enter the text of the notice.")
    with transaction.atomic():
        latest = PrivacyNotice.objects.select_for_update().order_by("-version").first()
        if latest is not None and published_on < latest.published_on:
            raise TransitionError(
                f"A new version cannot be current before version {latest.version} "
                "(choose a date on or after it)."
            )
        if published_on < today:
            raise TransitionError("A new version cannot be dated in the past.")
        notice = PrivacyNotice.objects.create(
            version=(latest.version + 1) if latest else 1,
            title=title.strip() or "Privacy notice",
            body=body.replace("\r\n", "\n").strip(),
            published_on=published_on,
            summary_of_changes=summary_of_changes.strip(),
        )
        audit.record(actor, notice, "privacy.notice.published", data={"version": notice.version})
    return notice
