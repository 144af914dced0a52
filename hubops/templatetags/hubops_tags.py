"""Template helpers for templates rendered without a request (PDFs, emails)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def current_hub_name() -> str:
    from hubops.models import Hub

    hub = Hub.current()
    return hub.name if hub else "Maths Hub"
