"""Demo data for privacy: the hub's privacy notice (the published text in ``demo_data/``),
the retention settings, a DPIA and one logged disclosure. Idempotent; no real people."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from django.utils import timezone

from hubops import page_cache
from hubops.roles import Role, users_with_role

from . import services, workflow
from .models import (
    DPIA,
    Breach,
    DataRequest,
    Disclosure,
    PrivacyNotice,
    RequestKind,
    RequestStatus,
    RetentionSettings,
)
from .services import due_date

HEADINGS = {
    "How we will use your information",
    "Why our use of your personal data is lawful",
    "Who we will make your personal data available to",
    "Transfer to Countries Outside the European Union",
    "How long we will keep your personal data",
    "Your data protection rights",
    "Withdrawal of consent and the right to lodge a complaint",
    "Last updated",
    "Contact Info",
}


NOTICE_FILE = Path(__file__).resolve().parent / "demo_data" / "privacy_notice.txt"


def notice_text() -> str:
    """The participants' privacy notice (``demo_data/privacy_notice.txt``, the published text
    the DfE gives every Lead School), with its headings marked."""
    lines = NOTICE_FILE.read_text(encoding="utf-8").splitlines()
    return "\n\n".join(
        f"## {line.strip()}" if line.strip() in HEADINGS else line.strip()
        for line in lines
        if line.strip()
    )


def load(*, hub, today: dt.date) -> None:
    PrivacyNotice.objects.get_or_create(
        version=1,
        defaults={"body": notice_text(), "published_on": dt.date(2023, 9, 1)},
    )
    if not RetentionSettings.objects.exists():
        RetentionSettings.objects.create(programme_ends_on=dt.date(2028, 3, 31))
    DPIA.objects.get_or_create(
        title="Maths Hub participant data (demo)",
        defaults={
            "screening": "Large-scale processing of teachers' personal data for the DfE.",
            "processing": "Registration, attendance and evaluation of Work Groups.",
            "risks": "Loss or disclosure of contact details; excessive retention.",
            "measures": "MFA for staff, audit log, retention schedule, restriction on request.",
            "review_on": today + dt.timedelta(days=180),
        },
    )
    if not Disclosure.objects.exists():
        Disclosure.objects.create(
            disclosed_on=today - dt.timedelta(days=14),
            recipient="Department for Education",
            purpose="Termly participation return (demo)",
            lawful_basis="Public task (UK GDPR Art. 6(1)(e))",
            data_categories="name, school, TRN, attendance",
            people_count=37,
            source="demo",
        )
    load_workspace(hub=hub, today=today)


# The large hub (``load_demo --size large``) ---------------------------------------------------

LARGE_REQUESTS = 500
LARGE_BREACHES = 60


def load_large(*, hub, today: dt.date, progress) -> None:
    """500 data-rights requests from fictional people (most open, received over the last two
    months, so some are overdue and some due this week) and 60 logged breaches. Keyed on
    references: a second run adds nothing."""
    kinds = list(RequestKind.values)
    have = set(
        DataRequest.objects.filter(reference__startswith="DSR-L").values_list(
            "reference", flat=True
        )
    )
    dues: dict[dt.date, dt.date] = {}
    requests = []
    for n in range(LARGE_REQUESTS):
        reference = f"DSR-L{n + 1:04d}"
        if reference in have:
            continue
        received = today - dt.timedelta(days=n % 60)
        if received not in dues:
            dues[received] = due_date(received)
        closed = n % 5 == 0
        requests.append(
            DataRequest(
                reference=reference,
                kind=kinds[n % len(kinds)],
                full_name=f"Requester {n + 1:04d} Fictional",
                email=f"requester{n + 1:04d}@demo.hub.example",
                details="A fictional request for the large demo.",
                received_on=received,
                due_on=dues[received],
                status=RequestStatus.COMPLETED if closed else RequestStatus.OPEN,
                verification_token=secrets.token_urlsafe(32),
                identity_verified_by="emailed link",
                closed_on=received + dt.timedelta(days=10) if closed else None,
                outcome="Done (fictional)." if closed else "",
            )
        )
    DataRequest.objects.bulk_create(requests, batch_size=500)
    progress("Data-rights requests", LARGE_REQUESTS, LARGE_REQUESTS)
    have = set(
        Breach.objects.filter(reference__startswith="BR-L").values_list("reference", flat=True)
    )
    now = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    breaches = []
    for n in range(LARGE_BREACHES):
        reference = f"BR-L{n + 1:03d}"
        if reference in have:
            continue
        found = now - dt.timedelta(hours=6 * n + 1)
        breaches.append(
            Breach(
                reference=reference,
                found_at=found,
                ico_deadline=workflow.ico_deadline(found),
                what_happened="A fictional email sent to the wrong fictional school.",
                data_categories="name, email",
                people_count=1 + n % 4,
                records_count=1 + n % 4,
                likely_consequences="Low (fictional).",
                measures_taken="Recalled the message (fictional).",
                ico_not_notified_reason="" if n % 3 else "Unlikely to result in a risk.",
                closed_on=today if n % 3 == 0 else None,
            )
        )
    Breach.objects.bulk_create(breaches)
    page_cache.bump("privacy")  # bulk_create sends no signal
    progress("Breaches", LARGE_BREACHES, LARGE_BREACHES)


def load_workspace(*, hub, today: dt.date) -> None:
    """What the data protection lead's home shows: an open access request (identity checked by
    staff) and a breach found a day ago, still inside its 72 hours. Idempotent (keyed on the
    fictional requester's email and the breach's description)."""
    dpo = users_with_role(Role.DATA_PROTECTION_LEAD).first()
    if not DataRequest.objects.filter(email="quinn-requester@demo.hub.example").exists():
        services.data_request_create(
            kind="access",
            full_name="Quinn Demo-Requester",
            email="quinn-requester@demo.hub.example",
            details="A copy of everything the hub holds about me (a fictional request).",
            received_on=today - dt.timedelta(days=18),
            actor=dpo,
            identity_confirmed_by_staff=True,
        )
    what = "A fictional register was emailed to the wrong Work Group (demo breach)."
    if not Breach.objects.filter(what_happened=what).exists():
        services.breach_log(
            found_at=timezone.now() - dt.timedelta(hours=26),
            actor=dpo,
            what_happened=what,
            data_categories="Names and school email addresses",
            people_count=12,
            records_count=12,
            likely_consequences="Low: the recipients are teachers in the same hub.",
            measures_taken="Recipients asked to delete the email; they confirmed.",
        )
