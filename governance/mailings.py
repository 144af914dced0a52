"""CPD mailings: the privacy notice's third purpose ("to send you information on CPD
opportunities offered by Maths Hubs") and Annex B's recruitment through newsletters.

Recipients are the teachers whose data the hub holds for the programme (every registration's
email and every teacher account), optionally only those who joined a Work Group of one phase,
minus anyone who objected to CPD mailings and anyone whose processing is restricted. Each mail
carries a one-click unsubscribe (RFC 8058: ``List-Unsubscribe`` with an HTTPS link and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``) and the same link in its text; using it
records an objection to CPD mailings only (``privacy.services.mailing_objection_record``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from hubops import audit
from hubops.emails import queue_emails
from hubops.formats import absolute_url
from privacy import selectors as privacy_selectors
from privacy import services as privacy_services
from workgroups import selectors as workgroup_selectors

TEMPLATE = "governance/email/cpd_mailing"


def mailing_recipients(*, phase: str = "") -> list[str]:
    """The addresses a CPD mailing goes to, sorted, each once."""
    users = get_user_model().objects.filter(is_active=True, is_staff=False).exclude(email="")
    if phase:
        users = users.filter(workgroup_registrations__work_group__phases__contains=f",{phase},")
    emails = workgroup_selectors.participant_emails(phase=phase)
    emails |= {e.strip().lower() for e in users.values_list("email", flat=True)}
    _, restricted = privacy_services.restricted_people()
    return sorted(emails - privacy_selectors.mailing_objectors() - restricted)


def unsubscribe_url(email: str) -> str:
    path = reverse("privacy:unsubscribe", args=[privacy_services.unsubscribe_token(email)])
    return absolute_url(path)


def mailing_send(*, subject: str, message: str, phase: str = "", actor: Any) -> int:
    """Queue the mailing to every recipient (each their own mail with their own unsubscribe
    link) in one transaction, audit it, and return how many were queued."""
    recipients = mailing_recipients(phase=phase)
    with transaction.atomic():
        # One message each (each carries its own unsubscribe link), stored in one INSERT.
        queue_emails(
            {
                "to": [email],
                "template_prefix": TEMPLATE,
                "context": {"subject": subject, "message": message, "unsubscribe_url": link},
                "headers": {
                    "List-Unsubscribe": f"<{link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            }
            for email in recipients
            for link in [unsubscribe_url(email)]
        )
        audit.record(
            actor,
            None,
            "governance.cpd_mailing.sent",
            data={"subject": subject, "phase": phase, "recipients": len(recipients)},
            object_label=subject[:100],
        )
    return len(recipients)
