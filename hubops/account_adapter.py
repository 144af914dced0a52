"""allauth's mail (sign-up verification, sign-in codes, password resets) goes through the
outbox too: rendered by allauth in the request, stored with the request's transaction, sent by
the drain, so a mail server or broker outage never turns a sign-up into an error page."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction

from . import outbox


class HubAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"),
            "",
        )
        if getattr(message, "content_subtype", "plain") == "html":
            html, text = message.body, ""
        else:
            text = message.body
        with transaction.atomic():
            outbox.queue_rendered(
                to=list(message.to),
                template_prefix=template_prefix,
                subject=message.subject,
                text=text,
                html=html,
            )
