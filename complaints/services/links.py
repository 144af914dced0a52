"""The complainant's private link: a random token, only its SHA-256 stored, revocable."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hubops import audit
from hubops.emails import queue_email
from hubops.formats import absolute_url

from ..models import Complaint, FollowLink, RecordKind
from ._core import add_record, lock, setting

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{30,64}$")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def follow_token_for_submission(submission_key: str) -> str:
    """The private-link token of the complaint a form submission makes, derived from its
    one-time key (HMAC under ``SECRET_KEY``): every copy of a double submit knows the link the
    winning copy stored, so each shows the same confirmation. Only its hash is stored."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"complaints.follow:{submission_key}".encode(), "sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def link_issue(c: Complaint, *, now: datetime | None = None, token: str | None = None) -> str:
    """A new private link for the complainant; only its hash is stored."""
    now = now or timezone.now()
    token = token or secrets.token_urlsafe(32)
    FollowLink.objects.create(
        complaint=c,
        token_hash=_hash(token),
        expires_at=now + timedelta(days=int(setting("COMPLAINTS_FOLLOW_LINK_DAYS", 120))),
    )
    return token


def follow_url(token: str) -> str:
    return absolute_url(reverse("complaints:follow", args=[token]))


def complaint_for_token(token: str, *, now: datetime | None = None) -> Complaint | None:
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        return None
    now = now or timezone.now()
    link = (
        FollowLink.objects.select_related("complaint")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    return link.complaint if link else None


@transaction.atomic
def link_revoke(*, complaint_id: int, actor: Any, now: datetime | None = None) -> int:
    """Every private link of the complaint stops working."""
    c = lock(complaint_id)
    n = c.links.filter(revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    add_record(
        c, kind=RecordKind.EVENT, body="The complainant's private link was revoked.", actor=actor
    )
    audit.record(actor, c, "complaints.complaint.link_revoked", data={"links": n})
    return n


@transaction.atomic
def link_send_new(*, complaint_id: int, actor: Any) -> str:
    """Revoke the old links and email a new one to the complainant."""
    c = lock(complaint_id)
    c.links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = link_issue(c)
    if c.email:
        queue_email(
            to=[c.email],
            template_prefix="complaints/email/new_link",
            context={"reference": c.reference, "full_name": c.full_name, "url": follow_url(token)},
        )
    add_record(c, kind=RecordKind.EVENT, body="A new private link was sent.", actor=actor)
    audit.record(actor, c, "complaints.complaint.link_issued")
    return token
