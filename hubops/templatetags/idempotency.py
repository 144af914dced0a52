"""``{% submission_key_input "scope" %}``: the hidden one-time key field (``hubops.idempotency``)
for a page with several small forms (each gets its own key)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from hubops import idempotency

register = template.Library()


@register.simple_tag
def submission_key_input(scope: str) -> SafeString:
    return format_html(
        '<input type="hidden" name="{}" value="{}">', idempotency.FIELD, idempotency.issue(scope)
    )
