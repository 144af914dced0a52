"""Letters to the complainant: the editable templates, the placeholders they are filled with,
the PDF kept on the complaint and the email that carries it; and the complaint's own PDF copy."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from hubops import audit
from hubops.emails import attachment as email_attachment
from hubops.emails import queue_email
from hubops.formats import format_date
from hubops.models import Hub
from hubops.pdf import render_pdf, sha256_hex

from .. import letters
from ..models import Complaint, Delivery, Letter, LetterKind, LetterTemplate, RecordKind, Visibility
from ..workflow import ComplaintError
from ._core import add_record
from .links import follow_url
from .routing import handler_title


def letter_template(kind: str) -> LetterTemplate:
    """The hub's template for ``kind``, or the default wording (unsaved) if it has none."""
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        subject, body = letters.DEFAULTS[kind]
        template = LetterTemplate(kind=kind, subject=subject, body=body)
    return template


def letter_context(c: Complaint, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The placeholders of a letter about ``c`` (dates as people read them)."""
    hub = Hub.current()
    d = format_date
    ctx = {
        "reference": c.reference,
        "complainant_name": c.full_name or "Sir or Madam",
        "received_on": d(c.formal_on or c.received_on),
        "ack_due_on": d(c.ack_due_on),
        "response_due_on": d(c.response_effective_due_on),
        "new_response_date": d(c.response_extended_to),
        "reason": c.holding_reason,
        "outcome": "",
        "summary": "",
        "appeal_window_ends_on": d(c.appeal_window_ends_on),
        "appeal_due_on": d(c.appeal_due_on),
        "signatory": handler_title(c),
        "hub_name": hub.name if hub else "The Maths Hub",
        "hub_email": hub.email if hub else "",
        "today": d(timezone.localdate()),
    }
    ctx.update(extra or {})
    return ctx


def _render(kind: str, ctx: dict[str, Any]) -> tuple[str, str]:
    template = letter_template(kind)
    try:
        return letters.render(template.subject, ctx)[:200], letters.render(template.body, ctx)
    except letters.LetterTemplateError as error:
        raise ComplaintError(
            f"The {LetterKind(kind).label.lower()} letter template cannot be used: {error}"
        ) from None


def letter_send(
    c: Complaint,
    *,
    kind: str,
    actor: Any,
    today: date,
    delivery: str,
    extra: dict[str, Any] | None = None,
    token: str | None = None,
) -> Letter:
    """Write the letter from its template, keep its PDF, put it on the record, and email it
    (or mark it for post when the complainant gave no email). Called inside the move's
    transaction, so the letter and the move stand or fall together."""
    subject, body = _render(kind, letter_context(c, extra))
    if delivery == Delivery.EMAIL and not c.email:
        delivery = Delivery.POST
    pdf = render_pdf(
        "complaints/pdf/letter.html",
        {"c": c, "hub": Hub.current(), "subject": subject, "body": body, "today": today},
    )
    name = default_storage.save(
        f"complaints/letters/{c.reference}-{kind}-{secrets.token_hex(6)}.pdf", ContentFile(pdf)
    )
    letter = Letter.objects.create(
        complaint=c,
        kind=kind,
        subject=subject,
        body=body,
        pdf=name,
        sha256=sha256_hex(pdf),
        delivery=delivery,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        sent_on=today,
    )
    how = "emailed" if delivery == Delivery.EMAIL else "marked for post"
    add_record(
        c,
        kind=RecordKind.LETTER,
        body=f"{LetterKind(kind).label} letter {how}.",
        actor=actor,
        visibility=Visibility.SHARED,
    )
    if delivery == Delivery.EMAIL:
        queue_email(
            to=[c.email],
            template_prefix="complaints/email/letter",
            context={
                "reference": c.reference,
                "full_name": c.full_name,
                "subject": subject,
                "body": body,
                "url": follow_url(token) if token else "",
            },
            attachments=[email_attachment(f"{c.reference}-{kind}.pdf", pdf, "application/pdf")],
        )
    audit.record(
        actor, c, f"complaints.letter.{kind}", data={"delivery": delivery, "letter": letter.pk}
    )
    return letter


@transaction.atomic
def letter_template_save(*, kind: str, subject: str, body: str, actor: Any) -> LetterTemplate:
    letters.validate(subject)
    letters.validate(body)
    template, _ = LetterTemplate.objects.update_or_create(
        kind=kind, defaults={"subject": subject, "body": body}
    )
    audit.record(actor, template, "complaints.lettertemplate.saved")
    return template


def letter_templates_ensure() -> None:
    """Store the default wording of every letter the hub has not written its own of."""
    for kind, (subject, body) in letters.DEFAULTS.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body})


#: The name the access-matrix fixtures use.
ensure_letter_templates = letter_templates_ensure


def copy_pdf(c: Complaint) -> bytes:
    """The complaint as sent, with its attachments listed (mailed and downloadable)."""
    return render_pdf(
        "complaints/pdf/complaint_copy.html",
        {"c": c, "hub": Hub.current(), "attachments": list(c.attachments.all())},
    )
