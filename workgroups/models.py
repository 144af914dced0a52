"""Work Groups: projects, groups, sessions, registrations of school pairs, attendance,
evaluation and the logs that reports rest on. Fields, constraints and cheap properties only;
workflow lives in ``services.py`` and ``workflow.py``."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from hubops.models import TimeStamped


class ProjectKind(models.TextChoices):
    NCP = "ncp", "National Collaborative Project"
    INNOVATION = "innovation", "Innovation Work Group"
    PROGRAMME = "programme", "Programme"


class TfmStage(models.TextChoices):
    NONE = "", "Not Teaching for Mastery"
    READINESS = "readiness", "Readiness"
    DEVELOPMENT = "development", "Development"
    EMBEDDING = "embedding", "Embedding"
    SUSTAINING = "sustaining", "Sustaining"


class GroupPhase(models.TextChoices):
    EARLY_YEARS = "early_years", "Early years"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    POST_16 = "post_16", "Post-16"


class Audience(models.TextChoices):
    TEACHERS = "teachers", "Teachers"
    TEACHING_ASSISTANTS = "teaching_assistants", "Teaching assistants"
    PRACTITIONERS = "practitioners", "Early years practitioners"
    LEADERS = "leaders", "School leaders"


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid"


class Recruitment(models.TextChoices):
    OPEN = "open", "Open to any school"
    AREA = "area", "Schools in the hub's area"
    NAMED_LAS = "named_las", "Schools in named local authorities"
    PREREQUISITE = "prerequisite", "Schools that completed a named project or stage"
    INVITATION = "invitation", "By invitation only"


class GroupStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class RegStatus(models.TextChoices):
    PENDING = "pending", "Pending approval"
    CONFIRMED = "confirmed", "Confirmed"
    WAITING = "waiting", "On the waiting list"
    OFFERED = "offered", "Offered a place"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    COMPLETED = "completed", "Completed"


# A school "holds a place" while any of its registrations is in one of these.
PLACE_HOLDING = (RegStatus.PENDING, RegStatus.CONFIRMED, RegStatus.OFFERED, RegStatus.COMPLETED)
ACTIVE = (*PLACE_HOLDING, RegStatus.WAITING)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    ABSENT = "absent", "Absent"
    APOLOGIES = "apologies", "Apologies"


class Project(TimeStamped):
    code = models.CharField(max_length=30, unique=True, help_text='For example "NCP 25-07".')
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ProjectKind.choices)
    academic_year = models.ForeignKey(
        "hubops.AcademicYear", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phase = models.CharField(max_length=20, choices=GroupPhase.choices, blank=True)
    is_tfm = models.BooleanField("Teaching for Mastery", default=False)
    tfm_stage = models.CharField(
        "Teaching for Mastery stage", max_length=20, choices=TfmStage.choices, blank=True
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_tfm=False, tfm_stage="") | Q(is_tfm=True) & ~Q(tfm_stage=""),
                name="workgroups_project_tfm_stage_iff_tfm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


def _csv_help(choices: type[models.TextChoices]) -> str:
    return "Comma-separated, from: " + ", ".join(c.value for c in choices) + "."


class WorkGroup(TimeStamped):
    code = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="work_groups")
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_work_groups"
    )
    # Stored as ",primary,secondary," so a phase filters with one indexed-free LIKE.
    phases = models.CharField(max_length=100, help_text=_csv_help(GroupPhase))
    audience = models.CharField(max_length=100, help_text=_csv_help(Audience))
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(max_length=255, blank=True)
    capacity_schools = models.PositiveSmallIntegerField(
        "capacity in schools", validators=[MinValueValidator(1)]
    )
    places_per_school = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    recruitment = models.CharField(max_length=20, choices=Recruitment.choices)
    allowed_la_codes = models.CharField(
        "local authority codes",
        max_length=200,
        blank=True,
        help_text="For named local authorities: comma-separated LA codes, e.g. 307, 304.",
    )
    prerequisite_project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prerequisite_stage = models.CharField(
        max_length=20,
        choices=TfmStage.choices,
        blank=True,
        help_text="For a prerequisite: the Teaching for Mastery stage the school must have "
        "completed.",
    )
    needs_approval = models.BooleanField(default=False)
    registration_opens_on = models.DateField(null=True, blank=True)
    registration_closes_on = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=GroupStatus.choices, default=GroupStatus.DRAFT, db_index=True
    )
    flyer = models.FileField(
        upload_to="workgroups/flyers/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    completion_min_sessions = models.PositiveSmallIntegerField(
        "sessions needed to complete", default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_schools__gte=1), name="workgroups_workgroup_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_on__isnull=True)
                | Q(registration_opens_on__isnull=True)
                | Q(registration_closes_on__gte=models.F("registration_opens_on")),
                name="workgroups_workgroup_window_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def phase_list(self) -> list[str]:
        return [p for p in self.phases.split(",") if p]

    @property
    def audience_list(self) -> list[str]:
        return [p for p in self.audience.split(",") if p]

    @property
    def phase_labels(self) -> str:
        labels = dict(GroupPhase.choices)
        return ", ".join(labels.get(p, p) for p in self.phase_list)

    @property
    def audience_labels(self) -> str:
        labels = dict(Audience.choices)
        return ", ".join(labels.get(p, p) for p in self.audience_list)

    @property
    def la_code_list(self) -> list[str]:
        return [c.strip() for c in self.allowed_la_codes.split(",") if c.strip()]


class Session(TimeStamped):
    work_group = models.ForeignKey(WorkGroup, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=255, blank=True)
    online_link = models.URLField(blank=True)
    cancelled = models.BooleanField(default=False)
    # RFC 5545 SEQUENCE of the session's calendar event: raised by ``session_save`` each time
    # the date, time or place changes and by ``session_cancel``, so calendar apps replace the
    # copy they hold instead of keeping the old one.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="workgroups_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_group.code} session on {self.starts_at:%d %b %Y %H:%M}"


def new_reference() -> str:
    return "WG-" + secrets.token_hex(4).upper()


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(TimeStamped):
    reference = models.CharField(max_length=16, unique=True, default=new_reference)
    work_group = models.ForeignKey(
        WorkGroup, on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workgroup_registrations",
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    trn = models.CharField("TRN", max_length=7, blank=True)
    school = models.ForeignKey("hubops.School", on_delete=models.PROTECT, related_name="+")
    role_at_school = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=RegStatus.choices, db_index=True)
    privacy_notice_version = models.CharField(max_length=20, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    offer_expires_on = models.DateField(null=True, blank=True, db_index=True)
    # The one-time key of the public form that made it (hubops.idempotency): a double submit
    # finds this row instead of making another. Empty for records made by staff.
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # The key of the "Accept this place" button that accepted the offer, so a second click
    # shows the same confirmation instead of "this offer is no longer open".
    offer_accept_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_group", "user"],
                condition=Q(status__in=[s.value for s in ACTIVE]),
                name="workgroups_registration_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status=RegStatus.OFFERED, offer_expires_on__isnull=False)
                | ~Q(status=RegStatus.OFFERED),
                name="workgroups_registration_offer_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.work_group.code})"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="workgroups_attendance_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} at {self.session}: {self.status}"


class InvitationKind(models.TextChoices):
    STAFF = "staff", "Invited by hub staff"
    COLLEAGUE = "colleague", "Invited by a colleague"


class Invitation(TimeStamped):
    """Permission to register: for an invitation-only group (by staff, for a person and/or a
    school), or for a colleague to take a school's second place."""

    work_group = models.ForeignKey(WorkGroup, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=20, choices=InvitationKind.choices)
    email = models.EmailField(blank=True)
    school = models.ForeignKey(
        "hubops.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | Q(school__isnull=False),
                name="workgroups_invitation_person_or_school",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.work_group.code} for {self.email or self.school}"


class Rating(models.IntegerChoices):
    NONE = 1, "No impact"
    LITTLE = 2, "A little impact"
    SOME = 3, "Some impact"
    GOOD = 4, "A good deal of impact"
    GREAT = 5, "A great deal of impact"


OUTCOMES = (
    ("professional_learning", "Professional learning"),
    ("practice_development", "Practice development"),
    ("whole_school", "Whole-school approaches and policies"),
    ("pupil_outcomes", "Pupil outcomes"),
)


class ParticipantEvaluation(TimeStamped):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="evaluation"
    )
    professional_learning = models.PositiveSmallIntegerField(choices=Rating.choices)
    practice_development = models.PositiveSmallIntegerField(choices=Rating.choices)
    whole_school = models.PositiveSmallIntegerField(choices=Rating.choices)
    pupil_outcomes = models.PositiveSmallIntegerField(choices=Rating.choices)
    comments = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Evaluation for {self.registration}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for the hub's review"
    REVIEWED = "reviewed", "Reviewed by the hub"


class LeadReport(TimeStamped):
    """The Work Group Lead's evaluation report: per outcome, evidence, impact, next steps."""

    work_group = models.OneToOneField(
        WorkGroup, on_delete=models.CASCADE, related_name="lead_report"
    )
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    professional_learning_evidence = models.TextField(blank=True)
    professional_learning_impact = models.TextField(blank=True)
    professional_learning_next_steps = models.TextField(blank=True)
    practice_development_evidence = models.TextField(blank=True)
    practice_development_impact = models.TextField(blank=True)
    practice_development_next_steps = models.TextField(blank=True)
    whole_school_evidence = models.TextField(blank=True)
    whole_school_impact = models.TextField(blank=True)
    whole_school_next_steps = models.TextField(blank=True)
    pupil_outcomes_evidence = models.TextField(blank=True)
    pupil_outcomes_impact = models.TextField(blank=True)
    pupil_outcomes_next_steps = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Lead's report for {self.work_group.code}"


class ParticipationExport(models.Model):
    """Every participation-returns export: who, when, how many people."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_format = models.CharField(max_length=10)
    people_count = models.PositiveIntegerField()
    row_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Participation export {self.at:%Y-%m-%d %H:%M} ({self.people_count} people)"


class ReachTarget(models.Model):
    academic_year = models.OneToOneField(
        "hubops.AcademicYear", on_delete=models.CASCADE, related_name="+"
    )
    primary_percent = models.PositiveSmallIntegerField(
        default=75, validators=[MaxValueValidator(100)]
    )
    secondary_percent = models.PositiveSmallIntegerField(
        default=65, validators=[MaxValueValidator(100)]
    )

    def __str__(self) -> str:
        return f"Reach targets {self.academic_year}"


# Unambiguous to read aloud or type from paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Certificate(models.Model):
    """A participant's certificate, made once when first asked for and kept as issued: the
    stored PDF and its SHA-256 are what the verify page vouches for; it is never regenerated."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(
        "verification code", max_length=14, unique=True, default=new_certificate_code
    )
    issued_on = models.DateField("issued on")
    file = models.FileField(upload_to="certificates/")
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="workgroups_certificate_sha256"
            )
        ]

    def __str__(self) -> str:
        return f"Certificate {self.code} ({self.registration.reference})"
