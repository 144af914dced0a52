"""Governance records: the MHLM team, the Strategic Board and its meetings, LLME and their
SLAs, plans and finance, and the staff-written parts of the Grant Offer Letter checklist."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from hubops.formats import format_date
from hubops.models import AcademicYear, School, TimeStamped

from . import rules

# -- the MHLM team ---------------------------------------------------------------------------------


class TeamGroup(models.TextChoices):
    LEADERSHIP = rules.LEADERSHIP, "Leadership group"
    OPERATIONAL = rules.OPERATIONAL, "Operational management team"


class TeamRole(models.TextChoices):
    SLL = rules.SLL, "Senior Leadership Link"
    MHL = rules.MHL, "Maths Hub Lead"
    AMHL_PRIMARY = rules.AMHL_PRIMARY, "Assistant Maths Hub Lead (primary)"
    AMHL_SECONDARY = rules.AMHL_SECONDARY, "Assistant Maths Hub Lead (secondary)"
    AMHL_POST16 = rules.AMHL_POST16, "Assistant Maths Hub Lead (post-16)"
    HT_ADVOCATE_PRIMARY = rules.HT_ADVOCATE_PRIMARY, "Headteacher Advocate (primary)"
    COORDINATOR = rules.COORDINATOR, "Maths Hub Co-ordinator"
    PROJECT_MANAGER = rules.PROJECT_MANAGER, "Maths Hub Project Manager"
    OTHER_LEADERSHIP = "other_leadership", "Other leadership role"
    OTHER_OPERATIONAL = "other_operational", "Other operational role"


class InductionStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed (not new in role)"
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class Appointment(TimeStamped):
    """One person in one MHLM role for a period (start and end inclusive)."""

    person_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="governance_appointments",
    )
    role = models.CharField(max_length=32, choices=TeamRole.choices)
    role_title = models.CharField(
        max_length=200, blank=True, help_text="For other roles: the title used locally."
    )
    group = models.CharField(max_length=16, choices=TeamGroup.choices)
    days_per_week = models.DecimalField(max_digits=3, decimal_places=1)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, db_index=True)
    job_description = models.TextField(blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    induction_status = models.CharField(
        max_length=16,
        choices=InductionStatus.choices,
        default=InductionStatus.NOT_NEEDED,
        help_text="NCETM Induction Programme, for anyone new in an MHLM role.",
    )
    contingency_cover = models.TextField(
        blank=True, help_text="Who covers this role if the post-holder is unexpectedly absent."
    )

    class Meta:
        ordering = ["group", "role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days_per_week__gt=0) & Q(days_per_week__lte=5),
                name="governance_appointment_days_in_range",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="governance_appointment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name}, {self.role_label}"

    @property
    def role_label(self) -> str:
        return self.role_title or self.get_role_display()

    def fact(self) -> rules.AppointmentFact:
        return rules.AppointmentFact(
            person=self.person_name,
            role=self.role,
            group=self.group,
            days_per_week=self.days_per_week,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            needs_induction=self.induction_status != InductionStatus.NOT_NEEDED,
            induction_complete=self.induction_status == InductionStatus.COMPLETED,
            role_label=self.role_label,
            key=self.pk,
        )


# -- the Strategic Board ---------------------------------------------------------------------------


class StakeholderCategory(models.TextChoices):
    SCHOOL_PRIMARY = rules.SCHOOL_PRIMARY, "School (primary)"
    SCHOOL_SECONDARY = rules.SCHOOL_SECONDARY, "School (secondary)"
    SCHOOL_SPECIAL = rules.SCHOOL_SPECIAL, "School (special)"
    COLLEGE_POST16 = rules.COLLEGE_POST16, "College or sixth form (post-16)"
    TRUST = rules.TRUST, "Multi-academy trust"
    LOCAL_AUTHORITY = rules.LOCAL_AUTHORITY, "Local authority"
    UNIVERSITY = rules.UNIVERSITY, "University"
    EMPLOYER = rules.EMPLOYER, "Employer"
    MATHS_ED_ORG = rules.MATHS_ED_ORG, "Maths education organisation"
    NCETM = rules.NCETM, "NCETM"
    SLL = rules.BOARD_SLL, "Lead School Senior Leadership Link"
    HUB_LEAD = rules.BOARD_HUB_LEAD, "Maths Hub Lead"
    OTHER = rules.OTHER, "Other"


class BoardMember(TimeStamped):
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_memberships",
    )
    organisation = models.CharField(max_length=200)
    category = models.CharField(max_length=32, choices=StakeholderCategory.choices)
    independent = models.BooleanField(
        help_text="Independent of the Lead School (not employed by or governing it)."
    )
    is_chair = models.BooleanField("Chair", default=False)
    term_starts_on = models.DateField()
    term_ends_on = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-is_chair", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=F("term_starts_on")),
                name="governance_boardmember_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def role_label(self) -> str:
        return "Chair" if self.is_chair else "Member"

    def serving_on(self, on: date) -> bool:
        return self.fact().serving_on(on)

    def fact(self) -> rules.MemberFact:
        return rules.MemberFact(
            name=self.name,
            category=self.category,
            independent=self.independent,
            is_chair=self.is_chair,
            term_starts_on=self.term_starts_on,
            term_ends_on=self.term_ends_on,
            key=self.pk,
        )


class BoardInterest(TimeStamped):
    """One dated entry in the register of interests."""

    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="interests")
    declared_on = models.DateField()
    description = models.TextField(help_text='Write "None" to record a nil declaration.')

    class Meta:
        ordering = ["-declared_on"]

    def __str__(self) -> str:
        return f"{self.member}: {self.description[:40]}"


class MeetingTerm(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"
    EXTRA = "extra", "Additional"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    AGENDA_DRAFTED = "agenda_drafted", "Agenda drafted by the SLL"
    AGENDA_AGREED = "agenda_agreed", "Agenda agreed by the Chair"
    HELD = "held", "Held"
    NOTES_DRAFTED = "notes_drafted", "Notes drafted"
    NOTES_AGREED = "notes_agreed", "Notes agreed and locked"
    CANCELLED = "cancelled", "Cancelled"


class AgendaTemplate(TimeStamped):
    """The yearly cycle: standing items for the autumn, spring and summer meetings."""

    term = models.CharField(max_length=8, choices=MeetingTerm.choices, unique=True)
    items = models.TextField(help_text="One agenda item a line.")

    def __str__(self) -> str:
        return f"{self.get_term_display()} agenda"


class BoardMeeting(TimeStamped):
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="board_meetings"
    )
    term = models.CharField(max_length=8, choices=MeetingTerm.choices)
    held_on = models.DateField("Date", db_index=True)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, db_index=True
    )
    papers_due_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When papers must be circulated (computed: five working days before).",
    )
    papers_circulated_on = models.DateField(null=True, blank=True)
    agenda = models.TextField(blank=True)
    agenda_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agenda_drafted_at = models.DateTimeField(null=True, blank=True)
    agenda_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agenda_agreed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    notes_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes_drafted_at = models.DateTimeField(null=True, blank=True)
    notes_chair_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes_chair_agreed_at = models.DateTimeField(null=True, blank=True)
    notes_sll_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes_sll_agreed_at = models.DateTimeField(null=True, blank=True)
    # The days the Chair and the SLL say they agreed the notes (the _at stamps say when that
    # was recorded): what the locked notes print.
    notes_chair_agreed_on = models.DateField(null=True, blank=True)
    notes_sll_agreed_on = models.DateField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    notes_pdf = models.FileField(upload_to="governance/notes/", blank=True)
    notes_sha256 = models.CharField(max_length=64, blank=True)
    quorate = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "term"],
                condition=~Q(term="extra"),
                name="governance_boardmeeting_one_per_term",
            ),
        ]

    def __str__(self) -> str:
        return f"Strategic Board, {self.get_term_display()} {self.academic_year} ({self.held_on})"

    @property
    def notes_locked(self) -> bool:
        return self.status == MeetingStatus.NOTES_AGREED


class BoardPaper(TimeStamped):
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    document = models.FileField(upload_to="governance/papers/", blank=True)

    def __str__(self) -> str:
        return self.title


class BoardAttendance(models.Model):
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=False)
    apologies = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="governance_boardattendance_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.meeting}"


class BoardAction(TimeStamped):
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner_name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(db_index=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.description[:60]


# -- LLME ------------------------------------------------------------------------------------------


class LeadProgramme(models.TextChoices):
    MASTERY_SPECIALIST = "mastery_specialist", "Mastery Specialist programme"
    PD_LEAD = "pd_lead", "PD Lead programme"
    SECONDARY_MASTERY = "secondary_mastery", "Secondary Mastery Specialist programme"
    LLME_DEVELOPMENT = "llme_development", "LLME development programme"
    OTHER = "other", "Other"


class LocalLeader(TimeStamped):
    """A local leader of mathematics education (LLME)."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="llme_records",
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="local_leaders"
    )
    is_work_group_lead = models.BooleanField("Work Group Lead", default=True)
    is_cohort_lead = models.BooleanField("Cohort Lead", default=False)
    is_community_lead = models.BooleanField("Community Lead", default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "local leader (LLME)"

    def __str__(self) -> str:
        return self.name


class CompletedProgramme(models.Model):
    leader = models.ForeignKey(LocalLeader, on_delete=models.CASCADE, related_name="programmes")
    programme = models.CharField(max_length=32, choices=LeadProgramme.choices)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "programme"], name="governance_completedprogramme_once"
            ),
        ]

    def __str__(self) -> str:
        return self.get_programme_display()


class ServiceLevelAgreement(TimeStamped):
    """The SLA between the hub and one LLME for a period. Its status is derived from the
    dates and signatures, so it cannot drift."""

    leader = models.ForeignKey(LocalLeader, on_delete=models.CASCADE, related_name="slas")
    starts_on = models.DateField()
    ends_on = models.DateField(db_index=True)
    deliverables = models.TextField()
    release_days = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal(0))
    payment = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal(0))
    hub_signed_on = models.DateField(null=True, blank=True)
    leader_signed_on = models.DateField(null=True, blank=True)
    terminated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = "service level agreement"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="governance_sla_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"SLA {self.leader} {self.starts_on}–{self.ends_on}"

    def status_on(self, on: date) -> str:
        if self.terminated_on and self.terminated_on <= on:
            return "Terminated"
        if on > self.ends_on:
            return "Expired"
        if not (self.hub_signed_on and self.leader_signed_on):
            return "Awaiting signature"
        if on < self.starts_on:
            return "Signed, not started"
        return "Active"


# -- plans and money -------------------------------------------------------------------------------


class ReviewPoint(models.TextChoices):
    INITIAL = "initial", "Initial plan"
    AUTUMN = "autumn_review", "Autumn review"
    SPRING = "spring_review", "Spring review"
    SUMMER = "summer_review", "Summer review"


class AnnualPlan(TimeStamped):
    academic_year = models.OneToOneField(
        AcademicYear, on_delete=models.PROTECT, related_name="annual_plan"
    )

    def __str__(self) -> str:
        return f"Annual plan {self.academic_year}"


class AnnualPlanVersion(TimeStamped):
    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="versions")
    review_point = models.CharField(max_length=16, choices=ReviewPoint.choices)
    agreed_on = models.DateField()
    document = models.FileField(upload_to="governance/plans/", blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["agreed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "review_point"], name="governance_annualplanversion_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_review_point_display()}"


class GroupPlanKind(models.TextChoices):
    WORK_GROUP = "work_group", "Work Group plan"
    PROGRAMME = "programme", "Programme plan"
    COMMUNITY = "community", "Community plan"


class GroupPlan(TimeStamped):
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="group_plans"
    )
    kind = models.CharField(max_length=16, choices=GroupPlanKind.choices)
    title = models.CharField(max_length=200)
    leader = models.ForeignKey(
        LocalLeader, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    document = models.FileField(upload_to="governance/plans/", blank=True)
    uploaded_to_mhpod_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title


class SpendRisk(models.TextChoices):
    NONE = "none", "No risk"
    UNDERSPEND = "underspend", "Risk of underspend"
    OVERSPEND = "overspend", "Risk of overspend"


class GrantYear(TimeStamped):
    academic_year = models.OneToOneField(
        AcademicYear, on_delete=models.PROTECT, related_name="grant"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    risk = models.CharField(max_length=16, choices=SpendRisk.choices, default=SpendRisk.NONE)
    contingency = models.TextField(blank=True, help_text="The contingency plan for the risk.")
    external_audit_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Grant {self.academic_year}"


class BudgetKind(models.TextChoices):
    LEADERSHIP = "leadership", "Fixed leadership and management cost"
    PROJECT = "project", "Variable project funding"


class BudgetLine(TimeStamped):
    grant = models.ForeignKey(GrantYear, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=16, choices=BudgetKind.choices)
    title = models.CharField(max_length=200)
    budget = models.DecimalField(max_digits=10, decimal_places=2)

    def __str__(self) -> str:
        return self.title


class QuarterFigure(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="quarters")
    quarter = models.PositiveSmallIntegerField(choices=[(i, f"Q{i}") for i in range(1, 5)])
    forecast = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(0))
    actual = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["quarter"]
        constraints = [
            models.UniqueConstraint(fields=["line", "quarter"], name="governance_quarter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.line} Q{self.quarter}"


class MonthlySpend(TimeStamped):
    """The actual spend on a budget line in one month (``month`` is its first day). The
    quarter's actual (``QuarterFigure.actual``) is the sum of its months, kept by
    ``governance.services.spend_record``."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="months")
    month = models.DateField()
    actual = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["month"]
        constraints = [
            # The first of the month is kept by the service (a CHECK on the day would need
            # Django's SQLite date function, which a plain sqlite3 restore check cannot run).
            models.UniqueConstraint(fields=["line", "month"], name="governance_month_once"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.month:%Y-%m}"


class Payment(TimeStamped):
    """A payment under a formal financial agreement (an SLA or a school grant agreement)."""

    grant = models.ForeignKey(GrantYear, on_delete=models.CASCADE, related_name="payments")
    payee = models.CharField(max_length=200)
    agreement_reference = models.CharField(max_length=100, blank=True)
    agreement_signed_on = models.DateField(null=True, blank=True)
    sla = models.ForeignKey(
        ServiceLevelAgreement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    paid_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.payee} £{self.amount}"


# -- the Grant Offer Letter checklist --------------------------------------------------------------


class ObjectiveStatus(models.TextChoices):
    MET = "met", "Met"
    AT_RISK = "at_risk", "At risk"
    MISSING = "missing", "Missing"


class ChecklistEntry(TimeStamped):
    """Staff's own assessment of one Annex B objective in one year (for the objectives hubops
    cannot compute from its records)."""

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    objective = models.CharField(max_length=40)
    status = models.CharField(max_length=8, choices=ObjectiveStatus.choices)
    evidence = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "objective"], name="governance_checklistentry_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academic_year} {self.objective}"


# -- reporting deadlines ---------------------------------------------------------------------------


class ReportKind(models.TextChoices):
    """The formal reports the grant asks for (Annex B's planning and reporting objectives)."""

    PROGRESS = "progress", "Termly progress report"
    ANNUAL = "annual", "Annual report"
    FINANCIAL = "financial", "Financial report"
    EVALUATION = "evaluation", "Work Group evaluation report"
    COMPLAINTS = "complaints", "Complaints annual figures"


class ReportDueDate(models.Model):
    """When a kind of report is due in a year (set by staff), and when the deadline was met:
    the SLL's sign-off of a report for it, recorded by the reports app through
    ``governance.services.report_due_date_met``."""

    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(db_index=True)
    label = models.CharField(max_length=100, blank=True, help_text='For example "Spring term".')
    met_on = models.DateField(
        null=True, blank=True, help_text="The day a report for it was signed off by the SLL."
    )
    met_by = models.CharField(
        max_length=200, blank=True, help_text="The report that met it, as signed."
    )

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "academic_year", "due_on"], name="reports_due_once"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.label or self.academic_year} "
            f"due {format_date(self.due_on)}"
        )
