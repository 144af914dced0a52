"""iCalendar (RFC 5545) files for Work Group sessions, as calendar apps expect them:

- one stable ``UID`` per session, so every later file replaces the event the app already holds;
- ``SEQUENCE`` from ``Session.sequence``, raised by ``session_save`` whenever the date, time or
  place changes (and by ``session_cancel``): an app ignores a file whose sequence is not higher;
- ``STATUS:CONFIRMED`` or ``STATUS:CANCELLED``; ``ORGANIZER`` is the hub (name and address);
- ``METHOD:PUBLISH`` for the reminder and change files, ``METHOD:CANCEL`` (RFC 5546) with the
  participant as ``ATTENDEE`` for the cancellation, which removes the event;
- text escaped (``\\ ; , newline``), lines folded at 75 octets without splitting a UTF-8
  character, CRLF line ends;
- links (``URL`` and the one in ``DESCRIPTION``) absolute, from ``SITE_URL``
  (:func:`hubops.formats.absolute_url`). With no site URL configured the link is left out
  rather than written as a bare path.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hubops.formats import absolute_url
from hubops.models import Hub

from .models import Session

PRODID = "-//hubops//Work Groups//EN"
FOLD_AT = 75  # octets per line, CRLF excluded (RFC 5545 3.1)


def _link(path: str) -> str:
    """``path`` as an absolute link (``hubops.formats``), or ``""`` when no site URL is set:
    a calendar file never carries a bare path."""
    url = absolute_url(path)
    return url if url.startswith(("http://", "https://")) else ""


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(text: str) -> str:
    """A parameter value (RFC 5545 3.1): quoted when it holds ``: ; ,``; no DQUOTE or control
    character can appear in one, so those are dropped."""
    clean = "".join(ch for ch in (text or "") if ch >= " " and ch not in '"\x7f')
    return f'"{clean}"' if any(ch in clean for ch in ":;,") else clean


def fold(line: str) -> bytes:
    """One content line as octets, folded so no physical line exceeds 75 octets."""
    whole = line.encode("utf-8")
    if len(whole) <= FOLD_AT:  # most lines: nothing to fold
        return whole + b"\r\n"
    out: list[bytes] = []
    current = b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > FOLD_AT:
            out.append(current)
            current = b" "  # a continuation line starts with one space, which counts
        current += encoded
    out.append(current)
    return b"\r\n".join(out) + b"\r\n"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def uid(session: Session) -> str:
    # The form every file has used since the first one, so calendars already holding a
    # session recognise it.
    return f"workgroup-session-{session.pk}@hubops"


def _organizer(hub: Hub | None) -> str | None:
    email = (hub.email if hub else "") or getattr(settings, "DEFAULT_FROM_EMAIL", "")
    if "<" in email:  # "Name <address>"
        email = email.split("<", 1)[1].rstrip(">")
    if not email:
        return None
    name = hub.name if hub else "Maths Hub"
    return f"ORGANIZER;CN={param_value(name)}:mailto:{email.strip()}"


def session_ics(
    session: Session,
    *,
    hub: Hub | None = None,
    method: str = "PUBLISH",
    attendee: tuple[str, str] | None = None,
    now: datetime | None = None,
) -> bytes:
    """The calendar file for one session. ``method`` is ``"PUBLISH"`` (add or update) or
    ``"CANCEL"`` (remove; give the participant as ``attendee=(name, email)``)."""
    if method not in ("PUBLISH", "CANCEL"):
        raise ValueError(f"Unsupported iCalendar method {method!r}.")
    group = session.work_group
    hub = hub or Hub.current()  # a sweep passes the hub it read once
    cancelled = session.cancelled or method == "CANCEL"
    link = _link(reverse("workgroups:detail", args=[group.code]))
    location = session.venue or session.online_link or group.venue
    summary = f"{group.code}: {group.title}"
    if cancelled:
        summary = "Cancelled: " + summary
    description = [
        f"{group.title} ({group.code}), a Work Group of {hub.name if hub else 'the hub'}."
    ]
    if session.online_link:
        description.append(f"Join online: {session.online_link}")
    if cancelled:
        description.append("This session is cancelled.")
    if link:
        description.append(f"Details and your registrations: {link}")

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{uid(session)}",
        f"SEQUENCE:{session.sequence}",
        f"DTSTAMP:{_utc(now or timezone.now())}",
        f"DTSTART:{_utc(session.starts_at)}",
        f"DTEND:{_utc(session.ends_at)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description))}")
    if link:
        lines.append(f"URL:{link}")
    organizer = _organizer(hub)
    if organizer:
        lines.append(organizer)
    if attendee:
        name, email = attendee
        lines.append(
            f"ATTENDEE;CN={param_value(name or email)};ROLE=REQ-PARTICIPANT:mailto:{email}"
        )
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return b"".join(fold(line) for line in lines)
