"""One formatter for what people read: dates and links, the same on pages, in mail and in PDFs.

- :func:`format_date` writes a date the way the hub's pages do: "8 December 2026" (GOV.UK
  style: no leading zero, month in full, no ordinal, no weekday).
- :func:`absolute_url` turns a path ("/workgroups/mine/") into a link that works from a mail
  client or a PDF viewer, on ``settings.SITE_URL``. A URL that is already absolute is kept.

Templates use the filters in ``hubops.templatetags.hubops_tags``: ``{{ path|absolute }}`` and
``{{ d|hubdate }}``.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def site_url() -> str:
    """The public site's scheme and host, no trailing slash (settings.SITE_URL)."""
    return (getattr(settings, "SITE_URL", "") or "").rstrip("/")


def absolute_url(path_or_url: str) -> str:
    """``/a/b/`` -> ``https://hub.example/a/b/``; an absolute ``http(s)://`` URL is returned
    unchanged; ``""`` gives the site's home page."""
    value = str(path_or_url or "").strip()
    if urlsplit(value).scheme in {"http", "https", "mailto", "tel"}:
        return value
    if not value.startswith("/"):
        value = "/" + value
    return site_url() + value


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _parsed(d: date | datetime | str) -> date | datetime | str:
    if isinstance(d, str):
        text = d.strip()
        try:
            d = (
                datetime.fromisoformat(text)
                if "T" in text or " " in text
                else date.fromisoformat(text)
            )
        except ValueError:
            return text
    if isinstance(d, datetime) and timezone.is_aware(d):
        d = timezone.localtime(d)
    return d


def format_date(d: date | datetime | str | None, *, weekday: bool = False) -> str:
    """``date(2026, 12, 8)`` -> ``"8 December 2026"`` (``weekday=True``: ``"Tuesday 8 December
    2026"``). A datetime is shown as its local date; an ISO string (as stored in a queued
    message's JSON context) is parsed first; ``None`` and ``""`` give ``""``."""
    if d is None or d == "":
        return ""
    d = _parsed(d)
    if isinstance(d, str):
        return d
    day = d.date() if isinstance(d, datetime) else d
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def format_datetime(d: date | datetime | str | None) -> str:
    """``"8 December 2026, 14:30"``: a moment in the hub's time zone (clocks that run in hours,
    such as the 72-hour breach clock, and when someone accepted or signed something)."""
    if d is None or d == "":
        return ""
    moment = _parsed(d)
    if not isinstance(moment, datetime):
        return format_date(moment)
    return f"{format_date(moment)}, {moment:%H:%M}"
