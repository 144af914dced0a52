"""The hub core: users, the hub's profile, schools from GIAS, the school calendar, the audit log
and the reminder log. Workflow lives in services; these are fields, constraints and cheap
properties."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .cache import forget_accounts
from .formats import format_date

trn_validator = RegexValidator(
    r"^\d{7}$", "Enter a Teacher Reference Number of exactly 7 digits, like 1234567."
)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class UserQuerySet(models.QuerySet["User"]):
    def update(self, **kwargs) -> int:
        """Update the rows, then drop their cached copies (``hubops.cache``): an
        ``update()`` sends no signal, and a signed-in account must never outlive its change."""
        pks = list(self.values_list("pk", flat=True))
        changed = super().update(**kwargs)
        forget_accounts(pks)
        return changed


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login. The profile fields are the ones the privacy
    notice names (name and previous names, date of birth, contact details, school, TRN)."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    previous_names = models.CharField(
        max_length=300, blank=True, help_text="Any previous names, separated by commas."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    trn = models.CharField(
        "Teacher Reference Number",
        max_length=7,
        blank=True,
        validators=[trn_validator],
        help_text="7 digits. You can find it on your teacher's pension statement or payslip.",
    )
    school = models.ForeignKey(
        "hubops.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_staff = models.BooleanField(
        default=False, help_text="Designates whether the user can log into the admin site."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]  # Django reads it from the class

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trn="") | Q(trn__regex=r"^[0-9]{7}$"), name="hubops_user_trn_7_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]


class Hub(TimeStamped):
    """The hub's profile. One row: the hub this installation runs."""

    name = models.CharField(max_length=200)
    code = models.CharField(max_length=10, help_text='The NCETM\'s code, e.g. "LO3".')
    lead_school = models.ForeignKey(
        "hubops.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        verbose_name = "hub profile"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Hub | None:
        return cls.objects.select_related("lead_school").order_by("pk").first()


class HubLocalAuthority(models.Model):
    """A local authority the hub serves. "Schools in our area" are the open schools in these."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="local_authorities")
    la_code = models.CharField("LA code", max_length=3)
    la_name = models.CharField("LA name", max_length=100)

    class Meta:
        verbose_name = "local authority served"
        verbose_name_plural = "local authorities served"
        ordering = ["la_name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "la_code"], name="hubops_hubla_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.la_name} ({self.la_code})"


class SchoolStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PROPOSED_TO_CLOSE = "proposed_to_close", "Open, but proposed to close"
    PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"


class Phase(models.TextChoices):
    """GIAS phases of education, with their spellings normalised."""

    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE_PRIMARY = "middle_primary", "Middle deemed primary"
    SECONDARY = "secondary", "Secondary"
    MIDDLE_SECONDARY = "middle_secondary", "Middle deemed secondary"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    ALL_THROUGH = "all_through", "All-through"


OPEN_STATUSES = (SchoolStatus.OPEN, SchoolStatus.PROPOSED_TO_CLOSE)


class SchoolQuerySet(models.QuerySet):
    def open(self) -> SchoolQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def in_area(self, hub: Hub | None = None) -> SchoolQuerySet:
        """Open schools in the local authorities the hub serves."""
        hub = hub or Hub.current()
        if hub is None:
            return self.none()
        codes = hub.local_authorities.values_list("la_code", flat=True)
        return self.open().filter(la_code__in=codes)


class School(TimeStamped):
    """An establishment from the DfE's Get Information About Schools register."""

    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=255)
    la_code = models.CharField("LA code", max_length=3, blank=True, db_index=True)
    la_name = models.CharField("LA name", max_length=100, blank=True)
    type_code = models.CharField("establishment type code", max_length=4, blank=True)
    type_name = models.CharField("establishment type", max_length=100, blank=True)
    type_group_code = models.CharField("type group code", max_length=4, blank=True)
    type_group_name = models.CharField("type group", max_length=100, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.NOT_APPLICABLE)
    status = models.CharField(max_length=20, choices=SchoolStatus.choices, db_index=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    last_changed_on = models.DateField(null=True, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="hubops_school_name_idx")]

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.town, self.postcode) if p)
        return f"{self.name} (URN {self.urn}{', ' + where if where else ''})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


# The school calendar -----------------------------------------------------------------------------


class AcademicYear(TimeStamped):
    """A school year, 1 September to 31 August, named like "2025/26"."""

    name = models.CharField(max_length=9, unique=True, help_text='For example "2025/26".')
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="hubops_academicyear_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PeriodKind(models.TextChoices):
    TERM = "term", "Term"
    HALF_TERM = "half_term", "Half-term holiday"
    HOLIDAY = "holiday", "Holiday"
    CLOSURE = "closure", "Closure (e.g. training day)"


class CalendarPeriod(models.Model):
    """A dated stretch of an academic year. School days are the weekdays inside a term that
    are not inside a half term, holiday or closure and are not bank holidays."""

    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.CASCADE, related_name="periods"
    )
    kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    name = models.CharField(max_length=100, help_text='For example "Autumn term".')
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="hubops_calendarperiod_ends_on_or_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%d %b %Y} to {self.ends_on:%d %b %Y})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})
        year = self.academic_year if self.academic_year_id else None
        if (
            year
            and self.starts_on
            and self.ends_on
            and not (year.starts_on <= self.starts_on and self.ends_on <= year.ends_on)
        ):
            raise ValidationError(
                f"{self.name or 'This period'} must fall within {year.name} "
                f"({format_date(year.starts_on)} to {format_date(year.ends_on)})."
            )


# Audit and reminders ----------------------------------------------------------------------------


class AuditEvent(models.Model):
    """Who did what to which record, and when. Never deleted; redacted when a person is
    erased (``hubops.audit.redact_person``)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The address of the person the record is about (its ``email``), lower-cased: the indexed
    # key by which an access export finds the events about someone who did not act in them.
    subject_email = models.CharField(max_length=254, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="hubops_audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'system'}: {self.action}"


class ReminderLog(models.Model):
    """One row per reminder sent. The unique key (object, kind, due date) is what makes a
    reminder exactly-once, however often a sweep runs."""

    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=100)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)
    # The one person a reminder went to, lower-cased: the indexed key by which access exports
    # and erasure find their reminders (blank when it went to several people, such as a role).
    # A plain index (Meta.indexes), not ``db_index``: on PostgreSQL that would add a second,
    # ``LIKE`` index nothing uses, which every claim of a 100,000-reminder sweep pays for.
    email = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "kind", "due_on"],
                name="hubops_reminderlog_once",
            ),
        ]
        indexes = [models.Index(fields=["email"], name="hubops_reminderlog_email")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.object_type}#{self.object_id} due {self.due_on}"


class SchoolImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class SchoolImport(models.Model):
    """One GIAS file uploaded in the admin: its progress while the worker imports it, then its
    result. The uploaded file is deleted once the import ends."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to="gias-imports/", blank=True)
    la_codes = models.CharField("LA codes", max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=SchoolImportStatus.choices, default=SchoolImportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == SchoolImportStatus.DONE:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class OutgoingStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    DROPPED = "dropped", "Not sent (no recipient may be emailed)"


class OutgoingMessage(models.Model):
    """One email in the outbox (hubops/outbox.py), written in the same transaction as the change
    that causes it and sent later by a drain. The template prefix and a JSON context are stored,
    and the mail is rendered when it is sent. ``message_id`` is fixed when the row is written, so
    a resend after a crash carries the same Message-ID header."""

    # Unique by the constraint below (not ``unique=True``, which on PostgreSQL adds a ``LIKE``
    # index too: the outbox only ever looks a Message-ID up whole).
    message_id = models.CharField("Message-ID", max_length=255)
    # Addresses, comma-separated, as ReminderLog keeps them.
    to = models.TextField()
    # The one recipient, lower-cased: the indexed key by which access exports and erasure find a
    # person's mail (blank when it went to several people, such as a role).
    email = models.CharField(max_length=254, blank=True)
    reply_to = models.TextField(blank=True)
    template_prefix = models.CharField(max_length=200)
    context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Extra mail headers sent with it (List-Unsubscribe and List-Unsubscribe-Post on mailings).
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=OutgoingStatus.choices, default=OutgoingStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a queued message may be tried (now, or later after a failure), or when a sender's
    # claim on a "sending" message lapses and another sender may take it over.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim = models.CharField(max_length=32, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outgoing email"
        constraints = [
            models.UniqueConstraint(fields=["message_id"], name="hubops_outgoing_message_id"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="hubops_outgoing_due"),
            models.Index(fields=["email"], name="hubops_outgoing_email"),
        ]

    def __str__(self) -> str:
        return f"{self.template_prefix} to {self.to} ({self.get_status_display()})"

    @property
    def to_list(self) -> list[str]:
        return [a.strip() for a in self.to.split(",") if a.strip()]

    @property
    def reply_to_list(self) -> list[str]:
        return [a.strip() for a in self.reply_to.split(",") if a.strip()]


class OutgoingFile(models.Model):
    """The bytes of a file sent with outgoing mail, stored once for all the messages queued
    together that carry it (every participant of a session gets the same calendar file: a
    sweep of 100,000 reminders, in batches of 1,000, stores each session's file once a batch,
    not once a message). ``sha256`` is the SHA-256 of the bytes. Files are never shared across
    transactions (``hubops.outbox._store_files`` says why), so they need no unique key.

    A file lives as long as some message carries it: deleting the last
    :class:`OutgoingAttachment` that names it deletes it too (``hubops.apps``), so a file
    leaves with its last email, whether that email is erased, forgotten once sent or destroyed
    by the retention schedule."""

    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.size} bytes ({self.sha256[:12]})"


class OutgoingAttachment(models.Model):
    """A file that travels with an outgoing email (a calendar file, a PDF copy, a letter), under
    the name and type it is sent with. The bytes are stored with the message, in the same
    transaction, so it is sent exactly as it was when the change was made; they live in
    :class:`OutgoingFile`, once for all the messages queued together that carry the same file."""

    message = models.ForeignKey(
        OutgoingMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    # Deleting a file takes its attachments with it: only erasure deletes a file that is still
    # carried, and only one carried by that person's own mail alone.
    file = models.ForeignKey(OutgoingFile, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    mimetype = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.filename


class CacheOutage(models.Model):
    """A write to the shared cache (Redis) was dropped because it could not be reached: any
    copy, version or session in it may be out of date, so the first process that reaches it
    again empties it before trusting it (``hubops.cache.HubRedisCache``). Kept in the database
    so that a process started after the outage, not only the one that saw it, knows."""

    noticed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Shared cache unreachable at {self.noticed_at:%Y-%m-%d %H:%M:%S}"
