"""Fictional complaints demo data: the default letter templates, the policy (version 1) and
three complaints at different stages. Idempotent (keyed on the demo references). Every person is
invented (``@demo.hub.example``)."""

from __future__ import annotations

from datetime import date, timedelta

from hubops.calendar import NoSchoolDays
from hubops.models import Hub
from hubops.roles import ensure_roles

from . import services
from .models import Complaint, PolicyVersion

POLICY_TEXT = """Complaints policy (demo)

1. Purpose. We want making a complaint to be as easy as possible, to respond promptly and
politely, and to learn from complaints.

2. Stage 1: informal. Raise a concern with any member of the hub team within four school weeks
of the issue arising. We try to resolve it quickly.

3. Stage 2: formal. Put your complaint in writing on the form, normally within eight school
weeks of the issue arising. The Maths Hub Lead handles it (the Senior Leadership Link if it is
about the Maths Hub Lead; the Lead School's head teacher if it is about the Senior Leadership
Link). We acknowledge it in writing within one week and respond within four weeks, or write to
explain why not. Complaints about the Lead School itself go to the DfE.

4. Stage 3: appeal. A sub-group of the Lead School's senior leaders, none of them involved
before, responds in writing within four weeks. Their decision is final.

5. Confidentiality, records and review. We keep written records at every stage, keep
complaints confidential, and review this policy every year.
"""

DEMO = [
    # reference, formal, days ago received, name
    ("CMP-DEMO0001", False, 3, "Casey Demo-Complainant"),
    ("CMP-DEMO0002", True, 10, "Jordan Demo-Parent"),
    ("CMP-DEMO0003", True, 40, "Morgan Demo-Teacher"),
]


def load(*, hub: Hub, today: date) -> None:
    ensure_roles()
    services.ensure_letter_templates()
    PolicyVersion.objects.get_or_create(
        version=1,
        defaults={
            "body": POLICY_TEXT,
            "approved_on": today - timedelta(days=60),
            "review_due_on": today + timedelta(days=300),
        },
    )
    for reference, formal, ago, name in DEMO:
        if Complaint.objects.filter(reference=reference).exists():
            continue
        slug = name.split()[0].lower()
        try:
            filed = services.complaint_file(
                data={
                    "full_name": name,
                    "email": f"{slug}@demo.hub.example",
                    "relationship": "participant",
                    "concerns": "other",
                    "about_kind": "work_group" if formal else "event",
                    "about_detail": "Fictional Fractions Work Group",
                    "issue_date": today - timedelta(days=ago + 7),
                    "what_happened": "A fictional problem for the demo: the session room "
                    "changed without notice.",
                    "outcome_wanted": "Better notice of changes.",
                },
                received_on=today - timedelta(days=ago),
                formal=formal,
            )
        except NoSchoolDays:
            continue
        c = filed.complaint
        Complaint.objects.filter(pk=c.pk).update(reference=reference)
        if reference == "CMP-DEMO0003":
            c.refresh_from_db()
            services.complaint_acknowledge(
                complaint_id=c.pk, actor=None, today=today - timedelta(days=ago - 2)
            )
