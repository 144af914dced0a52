"""Privacy and data protection: the notice, data-subject requests, restriction, retention and
legal holds, the sharing log, the DPIA register and the breach log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hubops.formats import format_date
from hubops.models import TimeStamped

from . import workflow


class PrivacyNotice(TimeStamped):
    """One version of the privacy notice. The current version is the newest published one."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200, default="Privacy notice")
    body = models.TextField(
        help_text='Plain text; blank lines separate paragraphs; a line starting "## " is a heading.'
    )
    published_on = models.DateField(
        help_text='Shown as "last updated". A version is current from this date.'
    )
    summary_of_changes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title}, version {self.version} ({format_date(self.published_on)})"

    @property
    def blocks(self) -> list[tuple[str, str]]:
        """("h2" | "p", text) for each heading and paragraph."""
        out = []
        for chunk in self.body.replace("\r\n", "\n").split("\n\n"):
            chunk = chunk.strip()
            if chunk.startswith("## "):
                out.append(("h2", chunk[3:].strip()))
            elif chunk:
                out.append(("p", chunk))
        return out


class NoticeAcceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_acceptances"
    )
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "notice"], name="privacy_accept_once"),
        ]

    def __str__(self) -> str:
        return f"Accepted {self.notice_id} at {self.accepted_at:%Y-%m-%d %H:%M}"


class RequestKind(models.TextChoices):
    ACCESS = "access", "Get a copy of my data (access)"
    RECTIFICATION = "rectification", "Correct my data (rectification)"
    ERASURE = "erasure", "Delete my data (erasure)"
    RESTRICTION = "restriction", "Stop using my data for now (restriction)"
    OBJECTION = "objection", "Object to how my data is used, including CPD mailings"
    WITHDRAW_CONSENT = "withdraw_consent", "Withdraw my consent"


class RequestStatus(models.TextChoices):
    AWAITING_VERIFICATION = "awaiting_verification", "Waiting for identity check"
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    PARTLY_REFUSED = "partly_refused", "Completed in part (some refused)"
    REFUSED = "refused", "Refused"


class DataRequest(TimeStamped):
    """A data-subject request. Due one calendar month from receipt; extendable by two."""

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    full_name = models.CharField(max_length=200)
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="data_requests",
    )
    details = models.TextField(blank=True)
    received_on = models.DateField()
    due_on = models.DateField(db_index=True)
    extended_to = models.DateField(null=True, blank=True, db_index=True)
    extension_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=30, choices=RequestStatus.choices, default=RequestStatus.AWAITING_VERIFICATION
    )
    verification_token = models.CharField(max_length=64, unique=True)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    identity_verified_by = models.CharField(
        max_length=100, blank=True, help_text="'emailed link' or the staff member who checked."
    )
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    via_staff = models.BooleanField(default=False)
    # The one-time key of the public form that made it (hubops.idempotency): a double submit
    # finds this row instead of making another. Empty for records made by staff.
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_kind_display()}"

    @property
    def effective_due_on(self):
        return self.extended_to or self.due_on

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Restriction(models.Model):
    """Processing of this person is restricted (GDPR Art. 18): left out of exports, emails and
    processing while ``lifted_on`` is empty."""

    email = models.EmailField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request = models.ForeignKey(DataRequest, null=True, blank=True, on_delete=models.SET_NULL)
    started_on = models.DateField()
    lifted_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(lifted_on__isnull=True),
                name="privacy_one_active_restriction",
            ),
        ]

    def __str__(self) -> str:
        return f"Restriction from {self.started_on}"


class MailingObjection(models.Model):
    """This address objected to CPD mailings (the privacy notice's third purpose) and gets
    none. Unlike a :class:`Restriction` it stops nothing else: the mails of a Work Group the
    person is in still go."""

    email = models.EmailField(unique=True)
    objected_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=40, help_text='"unsubscribe link" or "request DSR-..."')

    class Meta:
        ordering = ["-objected_at"]

    def __str__(self) -> str:
        return f"Objection to CPD mailings from {self.objected_at:%d %b %Y}"


class LegalHold(TimeStamped):
    """Stops retention and erasure for named records, with the reason."""

    object_type = models.CharField(
        max_length=100, help_text='The model, e.g. "complaints.complaint".'
    )
    object_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=300)
    placed_on = models.DateField()
    released_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_on"]

    def __str__(self) -> str:
        return f"Legal hold on {self.object_type}#{self.object_id}"


class RetentionSettings(TimeStamped):
    """One row. Staff set the programme's end date; retention counts from it."""

    programme_ends_on = models.DateField(
        null=True, blank=True, help_text="The Maths Hubs Programme's end date."
    )
    months_after_programme = models.PositiveSmallIntegerField(default=6)

    class Meta:
        verbose_name = "retention settings"
        verbose_name_plural = "retention settings"

    def __str__(self) -> str:
        return f"Programme ends {self.programme_ends_on or 'not set'}"


class RetentionRun(models.Model):
    """A dry-run report of what the retention schedule would destroy, and, once approved and
    run, the log of what it destroyed: counts per model, never content."""

    prepared_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField()
    report = models.JSONField(default=dict, help_text="Counts per model; never content.")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    destroyed = models.JSONField(default=dict, blank=True, help_text="Counts per model.")

    class Meta:
        ordering = ["-prepared_at"]
        constraints = [
            models.UniqueConstraint(fields=["as_of"], name="privacy_one_retention_run_per_day"),
        ]

    def __str__(self) -> str:
        return f"Retention run as of {self.as_of}"


class Recipient(models.TextChoices):
    DFE = "dfe", "Department for Education"
    NCETM = "ncetm", "NCETM"
    LEAD_SCHOOL = "lead_school", "Another Lead School"
    EVALUATOR = "evaluator", "The independent evaluator"
    SUCCESSOR = "successor", "A successor Lead School"
    OTHER = "other", "Other"


class Disclosure(models.Model):
    """One disclosure of personal data to someone outside the hub."""

    disclosed_on = models.DateField(db_index=True)
    recipient = models.CharField(max_length=100)
    purpose = models.CharField(max_length=300)
    lawful_basis = models.CharField(max_length=200)
    data_categories = models.CharField(max_length=300)
    people_count = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=100, blank=True, help_text="What produced it.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-disclosed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.disclosed_on}: {self.recipient} ({self.people_count} people)"


class DPIA(TimeStamped):
    """The hub's data protection impact assessment."""

    title = models.CharField(max_length=200)
    screening = models.TextField(help_text="Why a DPIA is (or is not) needed.")
    processing = models.TextField(blank=True, help_text="What is processed, how and why.")
    risks = models.TextField()
    measures = models.TextField()
    review_on = models.DateField(db_index=True)
    signed_off_by = models.CharField(max_length=200, blank=True)
    signed_off_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "DPIA"
        verbose_name_plural = "DPIAs"
        ordering = ["review_on"]

    def __str__(self) -> str:
        return self.title


class Breach(TimeStamped):
    """A personal data breach. The ICO must be told within 72 hours of discovery unless the
    breach is unlikely to result in a risk to people's rights (then say why not)."""

    reference = models.CharField(max_length=20, unique=True, blank=True)
    found_at = models.DateTimeField()
    ico_deadline = models.DateTimeField(db_index=True, editable=False)
    what_happened = models.TextField()
    data_categories = models.CharField(max_length=300)
    people_count = models.PositiveIntegerField()
    records_count = models.PositiveIntegerField()
    likely_consequences = models.TextField()
    measures_taken = models.TextField()
    ico_notified_at = models.DateTimeField(null=True, blank=True)
    ico_not_notified_reason = models.TextField(blank=True)
    people_told_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "breaches"
        ordering = ["-found_at"]

    def __str__(self) -> str:
        return f"{self.reference} found {self.found_at:%d %b %Y %H:%M}"

    @property
    def stage(self) -> str:
        """Where the breach is in :data:`privacy.workflow.BREACH_MACHINE` (no column: it
        follows from what is recorded)."""
        return workflow.breach_stage(
            ico_decided=self.ico_decided, closed=self.closed_on is not None
        )

    @property
    def stage_label(self) -> str:
        return workflow.BREACH_MACHINE.label(self.stage)

    @property
    def ico_decided(self) -> bool:
        return self.ico_notified_at is not None or bool(self.ico_not_notified_reason)

    @property
    def ico_told_in_time(self) -> bool | None:
        if self.ico_notified_at is None:
            return None
        return self.ico_notified_at <= self.ico_deadline
