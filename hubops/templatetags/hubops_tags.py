"""Template helpers for templates rendered without a request (PDFs, emails)."""

from __future__ import annotations

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.utils.functional import LazyObject

from hubops.formats import absolute_url, format_date, format_datetime
from hubops.models import Hub

register = template.Library()


@register.simple_tag
def current_hub_name() -> str:
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


@register.filter(name="hubday")
def hubday(value) -> str:
    """``{{ d|hubday }}``: "Tuesday 8 December 2026", where the day of the week helps (sessions,
    deadlines)."""
    return format_date(value, weekday=True)


@register.filter(name="hubdatetime")
def hubdatetime(value) -> str:
    """``{{ moment|hubdatetime }}``: "8 December 2026, 14:30", in the hub's time zone."""
    return format_datetime(value)


@register.simple_tag(takes_context=True)
def error_prefix(context) -> str:
    """ "Error: " when any bound form (or formset) on the page failed validation, or the view
    passed an ``error`` message for the error summary (a refused action), for the start of the
    page title (GOV.UK: a screen reader user hears it first, on every failed submit)."""
    title = context.get("page_title")
    if isinstance(title, str) and title.startswith("Error: "):
        return ""  # a view that wrote it itself: never "Error: Error:"
    if isinstance(context.get("error"), str) and context.get("error").strip():
        return "Error: "
    for value in context.flatten().values():
        if isinstance(value, LazyObject):
            # Asking a lazy value (the csrf_token) its class would build it: a page without a
            # form would then set a CSRF cookie and could no longer be shared from the cache.
            continue
        if isinstance(value, BaseForm) and value.is_bound and value.errors:
            return "Error: "
        if isinstance(value, BaseFormSet) and value.is_bound and not value.is_valid():
            return "Error: "
    return ""
