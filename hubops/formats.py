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


def format_date(d: date | datetime | str | None) -> str:
    """``date(2026, 12, 8)`` -> ``"8 December 2026"``. A datetime is shown as its local date;
    an ISO string (as stored in a queued message's JSON context) is parsed first; ``None`` and
    ``""`` give ``""``."""
    if d is None or d == "":
        return ""
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
    if isinstance(d, datetime):
        if timezone.is_aware(d):
            d = timezone.localtime(d)
        d = d.date()
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
