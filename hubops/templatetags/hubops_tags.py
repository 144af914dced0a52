"""Template helpers for templates rendered without a request (PDFs, emails)."""

from __future__ import annotations

from django import template

from hubops.formats import absolute_url, format_date

register = template.Library()


@register.simple_tag
def current_hub_name() -> str:
    from hubops.models import Hub

    hub = Hub.current()
    return hub.name if hub else "Maths Hub"


@register.filter(name="absolute")
def absolute(value) -> str:
    """``{{ path|absolute }}``: an absolute link on settings.SITE_URL (hubops.formats)."""
    return absolute_url(value)


@register.filter(name="hubdate")
def hubdate(value) -> str:
    """``{{ d|hubdate }}``: "8 December 2026", as every page, mail and PDF writes a date."""
    return format_date(value)
