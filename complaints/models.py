"""Complaints: the complaint itself, its written record, attachments, letters, the complainant's
private link, editable letter templates and the versioned policy.

No workflow here: the transition table lives in ``workflow.py``, date rules in ``deadlines.py``
and every state change in ``services.py``."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from hubops.models import TimeStamped


class Status(models.TextChoices):
    INFORMAL = "informal", "Stage 1: informal concern"
    FORMAL = "formal", "Stage 2: formal complaint"
    RESPONDED = "responded", "Stage 2: response sent"
    APPEAL = "appeal", "Stage 3: appeal"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.INFORMAL, Status.FORMAL, Status.RESPONDED, Status.APPEAL)


class Outcome(models.TextChoices):
    RESOLVED_INFORMALLY = "resolved_informally", "Resolved informally"
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REDIRECTED = "redirected", "Redirected to the DfE"


DECISION_OUTCOMES = (Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.NOT_UPHELD)


class Concerns(models.TextChoices):
    STAFF = "staff", "A member of hub staff"
    MHL = "mhl", "The Maths Hub Lead"
    SLL = "sll", "The Senior Leadership Link"
    LEAD_SCHOOL = "lead_school", "The Lead School itself"
    OTHER = "other", "Something else, or I am not sure"


class AboutKind(models.TextChoices):
    WORK_GROUP = "work_group", "A Work Group"
    EVENT = "event", "An event"
    SERVICE = "service", "A service the hub provides"
    DECISION = "decision", "A decision the hub made"
    CONDUCT = "conduct", "A person's conduct"
    OTHER = "other", "Something else"


class Relationship(models.TextChoices):
    PARTICIPANT = "participant", "I take part in a Work Group or hub activity"
    SCHOOL_LEADER = "school_leader", "I lead or work at a school the hub works with"
    PARENT = "parent", "I am a parent or carer"
    PARTNER = "partner", "I work for a partner organisation"
    PUBLIC = "public", "I am a member of the public"
    OTHER = "other", "Other"


class Route(models.TextChoices):
    """Who handles the complaint (the policy's routing)."""

    MHL = "mhl", "Maths Hub Lead"
    SLL = "sll", "Senior Leadership Link"
    LEAD_SCHOOL_HEAD = "head", "Head teacher or CEO of the Lead School"
    DFE = "dfe", "The DfE (not taken in)"


class Source(models.TextChoices):
    FORM = "form", "Formal complaint form"
    INFORMAL_FORM = "informal_form", "Informal concern form"
    STAFF = "staff", "Recorded by staff"
    DFE_REDIRECT = "dfe_redirect", "Told to contact the DfE"


def new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "CMP-" + "".join(secrets.choice(alphabet) for _ in range(8))


def _next_due_on() -> Case:
    """The earliest deadline still running on a complaint (as ``selectors.clocks`` lists them),
    or NULL: the acknowledgement and the response (its extension first) while formal, the
    appeal's response while under appeal. ``Least(Coalesce(a, b), Coalesce(b, a))`` is the
    earlier of two dates either of which may be NULL, on every database (SQLite's ``min``
    returns NULL if any argument is)."""
    ack = Case(When(acknowledged_on__isnull=True, then=F("ack_due_on")))
    response = Case(
        When(
            responded_on__isnull=True,
            then=Coalesce(F("response_extended_to"), F("response_due_on")),
        )
    )
    return Case(
        When(
            status=Status.FORMAL.value, then=Least(Coalesce(ack, response), Coalesce(response, ack))
        ),
        When(
            Q(status=Status.APPEAL.value, appeal_decided_on__isnull=True), then=F("appeal_due_on")
        ),
    )


class Complaint(TimeStamped):
    reference = models.CharField(max_length=20, unique=True, default=new_reference)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.FORM)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.FORMAL, db_index=True
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    route = models.CharField(max_length=10, choices=Route.choices, default=Route.MHL)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints_handled",
        help_text="The person handling it (optional: everyone in the handling role may act).",
    )
    # Who the complaint is about: they never see it.
    subjects = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="complaints_about"
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="complaint_panels"
    )

    # The complainant (no account needed).
    full_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices, blank=True)

    # What it is about.
    concerns = models.CharField(max_length=20, choices=Concerns.choices, default=Concerns.OTHER)
    subject_name = models.CharField(max_length=200, blank=True)
    about_kind = models.CharField(max_length=20, choices=AboutKind.choices, blank=True)
    about_detail = models.CharField(max_length=300, blank=True)
    issue_date = models.DateField(null=True, blank=True)
    what_happened = models.TextField(blank=True)
    done_so_far = models.TextField(blank=True)
    outcome_wanted = models.TextField(blank=True)
    adjustments = models.TextField(blank=True)

    # Dates and deadlines (stored, indexed, recomputed when the calendar changes).
    received_on = models.DateField(db_index=True)
    formal_on = models.DateField(null=True, blank=True)
    clock_starts_on = models.DateField(null=True, blank=True)
    late = models.BooleanField(default=False)
    late_note = models.CharField(max_length=300, blank=True)
    deadline_note = models.CharField(max_length=300, blank=True)
    ack_due_on = models.DateField(null=True, blank=True, db_index=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    response_due_on = models.DateField(null=True, blank=True, db_index=True)
    response_extended_to = models.DateField(null=True, blank=True, db_index=True)
    holding_reason = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    stage2_outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    stage2_summary = models.TextField(blank=True)
    appeal_window_ends_on = models.DateField(null=True, blank=True)
    appeal_requested_on = models.DateField(null=True, blank=True)
    appeal_grounds = models.TextField(blank=True)
    appeal_due_on = models.DateField(null=True, blank=True, db_index=True)
    appeal_decided_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    appeal_summary = models.TextField(blank=True)
    # Kept by the database on every write, from the columns above: the staff dashboard counts
    # and lists overdue and due-this-week complaints on this one indexed column.
    next_due_on = models.GeneratedField(
        expression=_next_due_on(),
        output_field=models.DateField(null=True),
        db_persist=True,
        verbose_name="next deadline",
    )
    decision_final = models.BooleanField(default=False)
    closed_on = models.DateField(null=True, blank=True)
    redirected_to = models.CharField(max_length=200, blank=True)
    # Learning (no personal data: the annual figures print these).
    actions_taken = models.TextField(blank=True)
    # The one-time key of the public form that made it (hubops.idempotency): a double submit
    # finds this row instead of making another. Empty for records made by staff.
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            # The dashboard's counts read this index alone (an index-only scan on PostgreSQL):
            # the table's rows are wide, and reading ``next_due_on`` from each of 20,000 costs
            # four times as much as the whole count does from here.
            models.Index(
                fields=["status", "next_due_on"],
                include=["route", "handler", "id"],
                name="complaints_open_next_due",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="complaints_complaint_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision_final=True)
                | models.Q(appeal_decided_on__isnull=False),
                name="complaints_complaint_final_needs_appeal_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def response_effective_due_on(self):
        return self.response_extended_to or self.response_due_on

    @property
    def stage_reached(self) -> int:
        if self.appeal_requested_on:
            return 3
        if self.formal_on:
            return 2
        return 1


class RecordKind(models.TextChoices):
    NOTE = "note", "Note"
    CALL = "call", "Phone call"
    MEETING = "meeting", "Meeting"
    DECISION = "decision", "Decision"
    LETTER = "letter", "Letter"
    INFORMATION = "information", "Information from the complainant"
    EVENT = "event", "Change of stage"


class Visibility(models.TextChoices):
    INTERNAL = "internal", "Internal: staff handling it only"
    SHARED = "shared", "Shared with the complainant"


class ComplaintRecord(models.Model):
    """One entry in the written record kept at every stage."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    stage = models.PositiveSmallIntegerField(default=2)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    body = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.complaint}"


class Attachment(models.Model):
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    # Uploaded on the form before the complaint is sent: linked on submission.
    draft_key = models.CharField(max_length=64, blank=True, db_index=True)
    file = models.FileField(upload_to="complaints/attachments/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    from_complainant = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.original_name


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    HOLDING = "holding", "Holding letter (response delayed)"
    STAGE2_OUTCOME = "stage2_outcome", "Stage 2 outcome"
    APPEAL_OUTCOME = "appeal_outcome", "Appeal outcome"


class Delivery(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"


class LetterTemplate(TimeStamped):
    kind = models.CharField(max_length=30, choices=LetterKind.choices, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Plain text with placeholders such as {{ reference }}, {{ complainant_name }}"
        ", {{ received_on }}, {{ response_due_on }}, {{ new_response_date }}, {{ reason }}, "
        "{{ outcome }}, {{ summary }}, {{ appeal_window_ends_on }}, {{ signatory }}."
    )

    def __str__(self) -> str:
        return self.get_kind_display()


class Letter(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    pdf = models.FileField(upload_to="complaints/letters/")
    sha256 = models.CharField(max_length=64)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_on = models.DateField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} letter for {self.complaint}"


class FollowLink(models.Model):
    """The complainant's private link. Only the SHA-256 of the token is stored."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Private link for {self.complaint}"


class PolicyVersion(TimeStamped):
    version = models.PositiveIntegerField(unique=True)
    body = models.TextField(help_text="The policy as published (plain text).")
    approved_on = models.DateField()
    review_due_on = models.DateField(db_index=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Complaints policy version {self.version}"
