"""Templated email: a subject, a text part and an HTML part from
``templates/<prefix>_subject.txt``, ``<prefix>.txt`` and ``<prefix>.html``.

Services call :func:`queue_email` (one message) or :func:`queue_emails` (many, one bulk INSERT):
the message is stored in the outbox (``hubops/outbox.py``) in the caller's transaction and sent
by the outbox's drain after it commits. It is rendered when it is sent, so ``context`` must be
JSON-serialisable: pass ids and plain values (dates as ISO strings or ``date`` objects, which
are stored as ISO strings; write them with ``|hubdate``), not model instances.

Rendering: the subject and the text part use the ``text`` template engine (autoescape off: a
plain-text part is never HTML-escaped); the HTML part is a whole document that extends
``hubops/email/base.html`` (doctype, ``lang="en-GB"``, title, the hub's brand). Links are
absolute (``{{ path|absolute }}``, settings.SITE_URL). From is the hub's name with the address of
DEFAULT_FROM_EMAIL; Reply-To is the caller's, else HUBOPS_REPLY_TO, else the hub's own email.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import engines
from django.template.loader import render_to_string

from . import formats, outbox, ports
from .models import Hub, OutgoingMessage


def attachment(filename: str, content: bytes, mimetype: str) -> dict[str, str]:
    return {
        "filename": filename,
        "content_b64": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }


def allowed_recipients(addresses: Iterable[str]) -> list[str]:
    kept = [a for a in addresses if a]
    for keep in ports.recipient_filters():
        kept = keep(kept)
    return kept


def hub_from_email(hub: Hub | None) -> str:
    """ "<Hub name> <address of DEFAULT_FROM_EMAIL>"."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr(((hub.name if hub and hub.name else name) or "Maths Hub", address))


def hub_reply_to(hub: Hub | None) -> list[str]:
    address = getattr(settings, "HUBOPS_REPLY_TO", "") or (hub.email if hub else "")
    return [address] if address else []


def _text(name: str, ctx: dict[str, Any]) -> str:
    return engines["text"].get_template(name).render(ctx)


def build_email(
    *,
    to: Iterable[str],
    template_prefix: str,
    context: dict[str, Any] | None = None,
    attachments: Iterable[dict[str, Any]] = (),
    reply_to: Iterable[str] = (),
    message_id: str = "",
    hub: Hub | None | bool = False,
    headers: dict[str, str] | None = None,
    from_email: str = "",
) -> EmailMultiAlternatives:
    """Render one message. ``hub`` and ``from_email`` may be passed in (a drain works them out
    once per batch)."""
    if hub is False or hub is True:
        hub = Hub.current()
    reply = list(reply_to) or hub_reply_to(hub)
    ctx = {
        "hub": hub,
        "hub_name": (hub.name if hub else "") or "Maths Hub",
        "site_url": formats.site_url(),
        "reply_address": reply[0] if reply else "",
        **(context or {}),
    }
    subject = " ".join(_text(f"{template_prefix}_subject.txt", ctx).split())
    ctx["subject"] = subject
    text = _text(f"{template_prefix}.txt", ctx)
    html = render_to_string(f"{template_prefix}.html", ctx)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or hub_from_email(hub),
        to=list(to),
        reply_to=reply,
        headers={**(headers or {}), **({"Message-ID": message_id} if message_id else {})} or None,
    )
    message.attach_alternative(html, "text/html")
    for item in attachments:
        content = item.get("content")
        if content is None:
            content = base64.b64decode(item["content_b64"])
        message.attach(item["filename"], bytes(content), item["mimetype"])
    return message


def message_from_outbox(
    row: OutgoingMessage,
    *,
    to: list[str],
    hub: Hub | None,
    attachments: Iterable[Any] = (),
    from_email: str = "",
) -> EmailMultiAlternatives:
    """The email an outbox row stands for. ``attachments`` are its files, as
    :func:`build_email` takes them (``filename``, ``content``, ``mimetype``)."""
    rendered = (row.context or {}).get(outbox.RENDERED)
    if rendered is not None:
        reply = row.reply_to_list or hub_reply_to(hub)
        message = EmailMultiAlternatives(
            subject=rendered["subject"],
            body=rendered["text"] or rendered["html"],
            from_email=from_email or hub_from_email(hub),
            to=to,
            reply_to=reply,
            headers={**(row.headers or {}), "Message-ID": row.message_id},
        )
        if not rendered["text"]:
            message.content_subtype = "html"
        elif rendered["html"]:
            message.attach_alternative(rendered["html"], "text/html")
        return message
    return build_email(
        to=to,
        template_prefix=row.template_prefix,
        context=row.context,
        attachments=list(attachments),
        reply_to=row.reply_to_list,
        message_id=row.message_id,
        hub=hub,
        headers=row.headers,
        from_email=from_email,
    )


def queue_email(
    *,
    to: Iterable[str],
    template_prefix: str,
    context: dict[str, Any] | None = None,
    attachments: Iterable[dict[str, Any]] = (),
    reply_to: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Store one message in the outbox, in the current transaction; it is sent after commit.
    ``context`` must be JSON-serialisable (dates become ISO strings). ``headers`` are extra mail
    headers, stored with the message (``List-Unsubscribe`` on CPD mailings)."""
    outbox.queue(
        [
            {
                "to": list(to),
                "template_prefix": template_prefix,
                "context": context or {},
                "attachments": list(attachments),
                "reply_to": list(reply_to),
                "headers": dict(headers or {}),
            }
        ]
    )


def queue_emails(items: Iterable[dict[str, Any]]) -> int:
    """Store many messages with one bulk INSERT. Each item holds :func:`queue_email`'s keyword
    arguments. Returns how many messages were stored."""
    return outbox.queue(items)


def send_templated_email(**kwargs: Any) -> int:
    """Render and send now, bypassing the outbox (the bench's baseline and tests). Returns the
    number of messages sent (0 when every recipient was filtered out)."""
    to = allowed_recipients(kwargs.pop("to"))
    if not to:
        return 0
    return build_email(to=to, **kwargs).send()
