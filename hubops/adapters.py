"""allauth's account adapter: the hub's client address and sign-in throttling.

allauth counts failed sign-ins per client address and per "key". Its key is the account
alone, so five wrong passwords typed by anyone lock the owner out for five minutes. Here the
key is the account *and* the client address: an attacker is slowed by address and by account
(the limits in ``settings.ACCOUNT_RATE_LIMITS['login_failed']``), while the owner, signing in
from another address, gets in. A password reset still clears the counter for its address.

Every mail allauth sends to an address someone typed (sign-up verification, "an account
already exists", password reset, sign-in codes) is also capped per recipient, so the
account pages cannot be used to flood one inbox from many addresses. The mail that passes goes
through the outbox: rendered by allauth in the request, stored with the request's transaction,
sent by the drain, so a mail server or broker outage never turns a sign-up into an error page.
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction

from . import outbox, ratelimit

log = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """The same address ``hubops.ratelimit`` uses (X-Forwarded-For only behind a trusted
        proxy)."""
        return ratelimit.client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials: Any) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:from:{ratelimit.client_ip(request)}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        limit = int(settings.HUBOPS_ACCOUNT_MAILS_PER_RECIPIENT)
        if ratelimit.recipient_over_limit("account-mail", email, limit=limit, period=3600):
            log.warning(
                "Not sending %s: this address had %s account mails this hour.",
                template_prefix,
                limit,
            )
            return
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
