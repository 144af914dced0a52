"""Fictional complaints demo data: the default letter templates, the policy (version 1) and
three complaints at different stages. Idempotent (keyed on the demo references). Every person is
invented (``@demo.hub.example``)."""

from __future__ import annotations

from datetime import date, timedelta

from hubops import page_cache
from hubops.calendar import NoSchoolDays
from hubops.models import Hub
from hubops.roles import Role, ensure_roles, users_with_role
from hubops.selectors import school_calendar

from . import deadlines, services
from .models import Complaint, Outcome, PolicyVersion, Route, Status
from .workflow import IllegalMove

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
    services.letter_templates_ensure()
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
    load_workspace(hub=hub, today=today)


# The large hub (``load_demo --size large``) ---------------------------------------------------

LARGE_OPEN = 2000


def large_reference(index: int) -> str:
    return f"CMP-L{index + 1:05d}"


def load_large(*, hub: Hub, today: date, progress, count: int | None = None) -> None:
    """``count`` open complaints from fictional people, received over the last 20 weeks, at
    every open stage, with their clocks computed by the school calendar as the services do
    (some overdue, some due this week). Keyed on references: a second run adds nothing."""
    count = LARGE_OPEN if count is None else count
    cal = school_calendar()
    have = set(
        Complaint.objects.filter(reference__startswith="CMP-L").values_list("reference", flat=True)
    )
    clocks: dict[date, deadlines.FormalClock] = {}
    appeals: dict[date, date] = {}
    batch = []
    stages = [Status.INFORMAL, Status.FORMAL, Status.FORMAL, Status.FORMAL, Status.RESPONDED]
    stages += [Status.APPEAL]
    for n in range(count):
        reference = large_reference(n)
        if reference in have:
            continue
        received = today - timedelta(days=n % 140)
        status = stages[n % len(stages)]
        c = Complaint(
            reference=reference,
            status=status,
            route=Route.SLL if n % 25 == 0 else Route.MHL,
            full_name=f"Complainant {n + 1:05d} Fictional",
            email=f"complainant{n + 1:05d}@demo.hub.example",
            relationship="participant",
            concerns="other",
            about_kind="work_group" if n % 2 else "service",
            about_detail=f"Fictional Work Group {n % 300 + 1}",
            issue_date=received - timedelta(days=7),
            what_happened="A fictional problem for the large demo: a session moved at short "
            "notice.",
            outcome_wanted="Better notice of changes.",
            received_on=received,
        )
        try:
            if status == Status.INFORMAL:
                c.clock_starts_on = deadlines.clock_start(cal, received).on
            else:
                if received not in clocks:
                    clocks[received] = deadlines.formal_clock(cal, received)
                clock = clocks[received]
                c.formal_on = received
                c.clock_starts_on = clock.clock_starts_on
                c.ack_due_on = clock.ack_due_on
                c.response_due_on = clock.response_due_on
                if n % 3 or status != Status.FORMAL:
                    c.acknowledged_on = min(clock.ack_due_on, today)
                if status in (Status.RESPONDED, Status.APPEAL):
                    c.responded_on = min(clock.response_due_on, today)
                    c.stage2_outcome = "not_upheld"
                if status == Status.APPEAL:
                    requested = min(c.responded_on + timedelta(days=7), today)
                    if requested not in appeals:
                        appeals[requested] = deadlines.appeal_due(cal, requested).on
                    c.appeal_requested_on = requested
                    c.appeal_due_on = appeals[requested]
        except NoSchoolDays:
            continue
        batch.append(c)
        if len(batch) >= 500:
            Complaint.objects.bulk_create(batch)
            batch = []
            if n + 1 < count:
                progress("Complaints", n + 1, count)
    Complaint.objects.bulk_create(batch)
    page_cache.bump("complaints")  # bulk_create sends no signal
    progress("Complaints", count, count)


# The rest of the procedure, for the handlers' homes and the figures: a response missed, an
# appeal running, one complaint closed after a response and a concern resolved informally.
# reference, name, days ago received, what happens next (days ago each step happened)
WORKSPACE_DEMO = [
    ("CMP-DEMO0004", "Riley Demo-Parent", 75, {"ack": 73}),
    ("CMP-DEMO0005", "Sky Demo-Teacher", 80, {"ack": 78, "respond": 20, "appeal": 5}),
    ("CMP-DEMO0006", "Taylor Demo-Head", 120, {"ack": 118, "respond": 95, "close": 60}),
    ("CMP-DEMO0007", "Jamie Demo-Teacher", 50, {"informal_close": 45}),
]


def load_workspace(*, hub: Hub, today: date) -> None:
    """Complaints at every stage, one of them past its response deadline. Idempotent."""
    mhl = users_with_role(Role.MHL).first()
    for reference, name, ago, steps in WORKSPACE_DEMO:
        if Complaint.objects.filter(reference=reference).exists():
            continue
        formal = "informal_close" not in steps
        slug = name.split()[0].lower()
        try:
            filed = services.complaint_file(
                data={
                    "full_name": name,
                    "email": f"{slug}@demo.hub.example",
                    "relationship": "participant",
                    "concerns": "other",
                    "about_kind": "work_group",
                    "about_detail": "Fictional Number Sense in Our Area",
                    "issue_date": today - timedelta(days=ago + 5),
                    "what_happened": "A fictional problem for the demo: the certificate of "
                    "completion never arrived.",
                    "outcome_wanted": "The certificate, and an apology.",
                },
                received_on=today - timedelta(days=ago),
                formal=formal,
            )
            c = filed.complaint
            Complaint.objects.filter(pk=c.pk).update(reference=reference)
            _play(c.pk, steps, today, mhl)
        except (NoSchoolDays, IllegalMove):
            continue


def _play(pk: int, steps: dict, today: date, actor) -> None:
    def on(key: str) -> date:
        return today - timedelta(days=steps[key])

    if "ack" in steps:
        services.complaint_acknowledge(complaint_id=pk, actor=actor, today=on("ack"))
    if "respond" in steps:
        services.complaint_respond(
            complaint_id=pk,
            actor=actor,
            today=on("respond"),
            outcome=Outcome.PARTLY_UPHELD if "appeal" in steps else Outcome.UPHELD,
            summary="The certificate was sent to an old address (a fictional finding).",
        )
    if "appeal" in steps:
        services.complaint_request_appeal(
            complaint_id=pk,
            today=on("appeal"),
            grounds="The apology did not say what will change (a fictional appeal).",
        )
    if "close" in steps:
        services.complaint_close(
            complaint_id=pk, actor=actor, outcome=Outcome.UPHELD, today=on("close")
        )
    if "informal_close" in steps:
        services.complaint_close(
            complaint_id=pk,
            actor=actor,
            outcome=Outcome.RESOLVED_INFORMALLY,
            today=on("informal_close"),
        )
