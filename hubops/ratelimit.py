"""Rate limits for the public forms: one place, counters in the shared cache.

Every anonymous form that sends mail (the concern form, the formal complaint, the data-rights
request, and a teacher inviting a colleague) counts each submission twice in the ``mail``
bucket: once against the client address and once against the address the mail goes to. The
per-recipient counter is what stops the forms being used as a mail relay: sending to one
victim from many addresses is limited as well as sending from one address.

The counters live in Django's default cache. That must be a cache every process shares (the
web workers, whichever server they run on): the embedded default is the database cache (its
table is made by ``migrate``), production may set ``CACHE_URL`` to Redis. A per-process
cache (``locmem``) would let each gunicorn worker count alone.

The client address is ``REMOTE_ADDR``, unless the request came through a proxy listed in
``HUBOPS_TRUSTED_PROXIES`` (addresses or networks): then ``X-Forwarded-For`` is read from the
right, skipping trusted hops, and the first untrusted hop is the client. Hops to its left were
written by the client and are never believed. Sign-in uses allauth's own limits (settings
``ACCOUNT_RATE_LIMITS``), fed the same client address through ``hubops.adapters``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .models import Hub

MAIL = "mail"


@lru_cache(maxsize=8)
def _networks(
    entries: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    nets = _networks(tuple(getattr(settings, "HUBOPS_TRUSTED_PROXIES", ()) or ()))
    return any(ip.version == net.version and ip in net for net in nets)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _hop(value: str) -> str:
    """One X-Forwarded-For entry without the port some proxies add ("1.2.3.4:5678",
    "[2001:db8::1]:443")."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        return value[1 : value.index("]")]
    if value.count(":") == 1 and "." in value:
        return value.split(":", 1)[0]
    return value


def client_ip(request) -> str:
    """The client's address, believing ``X-Forwarded-For`` only behind a trusted proxy."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    if not _trusted(remote):
        return remote or "unknown"
    hops = [_hop(h) for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):
        if not _valid(hop):
            # A proxy we trust wrote something that is not an address: do not guess further
            # left (that part is the client's to write).
            return remote
        if not _trusted(hop):
            return hop
    # Every hop is one of ours (a health check from inside, say).
    return hops[0] if hops else remote


def _address_key(address: str) -> str:
    """IPv6 clients usually own a whole /64: count them as one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _hash(value: str) -> str:
    # Cache keys are stored in the clear (the database cache): no addresses in them.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _count(bucket: str, who: str, period: int) -> int:
    """Add one to a fixed-window counter and return the new count."""
    window = int(time.time() // period)
    key = f"hubops:rl:{bucket}:{_hash(who)}:{period}:{window}"
    if cache.add(key, 1, period + 5):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period + 5)
        return 1


def over_limit(
    request,
    bucket: str,
    *,
    per_address: int,
    period: int = 3600,
    recipients: Iterable[str] = (),
    per_recipient: int | None = None,
    who: str | None = None,
) -> bool:
    """Count one attempt in ``bucket`` and return True when it is over a limit: more than
    ``per_address`` from this client (or from ``who``, e.g. a user) in ``period`` seconds,
    or more than ``per_recipient`` to any of ``recipients``. A refused attempt still counts
    against the client; one refused for the client's own count does not touch the recipients'
    counters (a blocked sender can neither use up a stranger's allowance nor fill the cache
    with new keys)."""
    if _count(bucket, f"addr:{who or _address_key(client_ip(request))}", period) > per_address:
        return True
    over = False
    if per_recipient is not None:
        for recipient in {r.strip().lower() for r in recipients if r and r.strip()}:
            if _count(bucket, f"to:{recipient}", period) > per_recipient:
                over = True
    return over


def recipient_over_limit(bucket: str, email: str, *, limit: int, period: int = 3600) -> bool:
    """Count one mail to ``email`` in ``bucket``; True once over ``limit`` in ``period``."""
    return _count(bucket, f"to:{email.strip().lower()}", period) > limit


def once_per_submission(submission_key: str | None, period: int, decide) -> bool:
    """``decide()`` (is this submission over its limit?) once per ``submission_key`` (a form's
    one-time key, ``hubops.idempotency``). A double click, a retry or five copies at once are
    one submission: the first copy is counted and its verdict kept, so the others get the same
    answer (and go on to find the record it made) instead of being counted again. A refused
    submission stays refused when it is sent again with the same key."""
    if not submission_key:
        return decide()
    seen = f"hubops:rl:seen:{_hash(submission_key)}"
    if cache.add(seen, "deciding", period + 5):
        over = decide()
        cache.set(seen, "over" if over else "ok", period + 5)
        return over
    # A copy: the first one's verdict ("deciding" for the instant it takes: let it through;
    # the record's unique key makes it the same submission).
    return cache.get(seen) == "over"


def mail_form_over_limit(
    request, *, to: Iterable[str], who: str | None = None, submission_key: str | None = None
) -> bool:
    """The limit for every anonymous form that sends mail to an address typed into it. A form
    with a one-time submission key passes it, so copies of one submission count once."""
    period = int(settings.HUBOPS_MAIL_FORMS_PERIOD)
    return once_per_submission(
        submission_key,
        period,
        lambda: over_limit(
            request,
            MAIL,
            per_address=int(settings.HUBOPS_MAIL_FORMS_PER_ADDRESS),
            per_recipient=int(settings.HUBOPS_MAIL_FORMS_PER_RECIPIENT),
            period=period,
            recipients=to,
            who=who,
        ),
    )


TOO_MANY = (
    "We have received several forms from your connection, or for this email address, in a "
    "short time. Please try again in an hour: what you typed is still here."
)


def too_many(request, *, title: str = "Please wait before sending again"):
    """The "too many" page (429), GOV.UK style: what happened, what to do, how else to reach
    the hub."""
    return render(
        request,
        "hubops/too_many.html",
        {"page_title": title, "hub": Hub.current()},
        status=429,
    )
