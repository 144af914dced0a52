"""Templated email: a text and an HTML part from ``templates/<prefix>_subject.txt``,
``<prefix>.txt`` and ``<prefix>.html``, sent by a Celery task with retries.

Services call :func:`queue_email`, which sends after the surrounding transaction commits.
Attachments travel through the broker as base64 (see :func:`attachment`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .models import Hub

# Other apps may register a filter that drops recipients who must not be emailed (privacy:
# restriction of processing). Each takes a list of addresses and returns the ones to keep.
RECIPIENT_FILTERS: list[Callable[[list[str]], list[str]]] = []


def attachment(filename: str, content: bytes, mimetype: str) -> dict[str, str]:
    return {
        "filename": filename,
        "content_b64": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }


def build_email(
    *,
    to: Iterable[str],
    template_prefix: str,
    context: dict[str, Any] | None = None,
    attachments: Iterable[dict[str, str]] = (),
    reply_to: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    ctx = {
        "hub": Hub.current(),
        "site_url": getattr(settings, "HUBOPS_SITE_URL", ""),
        **(context or {}),
    }
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", ctx).split())
    text = render_to_string(f"{template_prefix}.txt", ctx)
    html = render_to_string(f"{template_prefix}.html", ctx)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to),
        headers=dict(headers or {}),
    )
    message.attach_alternative(html, "text/html")
    for item in attachments:
        message.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    return message


def allowed_recipients(addresses: Iterable[str]) -> list[str]:
    kept = [a for a in addresses if a]
    for keep in RECIPIENT_FILTERS:
        kept = keep(kept)
    return kept


def send_templated_email(**kwargs: Any) -> int:
    """Render and send now. Returns the number of messages sent (0 when every recipient was
    filtered out)."""
    to = allowed_recipients(kwargs.pop("to"))
    if not to:
        return 0
    return build_email(to=to, **kwargs).send()


def queue_email(
    *,
    to: Iterable[str],
    template_prefix: str,
    context: dict[str, Any] | None = None,
    attachments: Iterable[dict[str, str]] = (),
    reply_to: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Send from a Celery task once the current transaction commits. ``context`` must be
    JSON-serialisable: pass ids and plain values, not model instances. ``headers`` are extra
    mail headers (``List-Unsubscribe`` on CPD mailings)."""
    from .tasks import send_templated_email_task

    send_templated_email_task.delay_on_commit(
        to=list(to),
        template_prefix=template_prefix,
        context=context or {},
        attachments=list(attachments),
        reply_to=list(reply_to),
        headers=dict(headers or {}),
    )
