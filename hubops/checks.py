"""System checks for the hub's own settings (run by ``manage.py check`` and ``check --deploy``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.compatibility)
def site_url_check(app_configs=None, **kwargs) -> list:
    """Every link in mail, calendar files and PDFs is built on SITE_URL: without it (DEBUG off)
    people would get links that go nowhere."""
    value = getattr(settings, "SITE_URL", "") or ""
    parts = urlsplit(value)
    if not value:
        if settings.DEBUG:
            return []
        return [
            Error(
                "SITE_URL is not set.",
                hint="Set SITE_URL to the public site's address, e.g. https://hub.example.org: "
                "links in mail, calendar files and PDFs are built on it.",
                id="hubops.E001",
            )
        ]
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
        return [
            Error(
                f"SITE_URL {value!r} is not a scheme and host.",
                hint="Write it as https://hub.example.org (no path, no trailing slash needed).",
                id="hubops.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def site_url_https_check(app_configs=None, **kwargs) -> list:
    value = getattr(settings, "SITE_URL", "") or ""
    if value.startswith("http://"):
        return [
            Warning(
                "SITE_URL uses http://: links in mail will not be secure.",
                hint="Use the https:// address of the public site.",
                id="hubops.W001",
            )
        ]
    return []
