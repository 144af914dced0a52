"""Reports owed to the DfE and the NCETM, their sign-off history and due dates."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hubops.formats import format_date
from hubops.models import AcademicYear, TimeStamped

from . import workflow


class ReportKind(models.TextChoices):
    PROGRESS = "progress", "Termly progress report"
    ANNUAL = "annual", "Annual report"
    FINANCIAL = "financial", "Financial report"
    EVALUATION = "evaluation", "Work Group evaluation report"
    COMPLAINTS = "complaints", "Complaints annual figures"


class Recipient(models.TextChoices):
    DFE = "dfe", "The Department for Education"
    NCETM = "ncetm", "The NCETM"


STATUS_CHOICES = list(workflow.STATUS_LABELS.items())


class ReportDueDate(models.Model):
    """When a kind of report is due in a year (set by staff)."""

    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(db_index=True)
    label = models.CharField(max_length=100, blank=True, help_text='For example "Spring term".')

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


class Report(TimeStamped):
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    period = models.CharField(max_length=60, blank=True, help_text='For example "Autumn term".')
    work_group = models.ForeignKey(
        "workgroups.WorkGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.ForeignKey(
        ReportDueDate, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    status = models.CharField(
        max_length=20, choices=STATUS_CHOICES, default=workflow.DRAFT, db_index=True
    )
    # The figures as they were when the report was drafted (or refreshed while a draft): later
    # changes to the records do not change a report under review.
    figures = models.JSONField(default=dict)
    figures_taken_at = models.DateTimeField(null=True, blank=True)
    narrative = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signer_name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    submitted_to = models.CharField(max_length=8, choices=Recipient.choices, blank=True)
    submitted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=[workflow.ISSUED, workflow.SENT])
                | (~models.Q(pdf_sha256="") & models.Q(signed_at__isnull=False)),
                name="reports_issued_is_signed",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.status in (workflow.ISSUED, workflow.SENT)

    @property
    def status_label(self) -> str:
        return workflow.STATUS_LABELS[self.status]


class ReportEvent(models.Model):
    """One step in a report's history, with the QA comment when there is one."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    action = models.CharField(max_length=30)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    LABELS = {
        "drafted": "Drafted",
        "figures_refreshed": "Figures taken again",
        "narrative_saved": "Narrative edited",
        **{move.name: move.label for move in workflow.MOVES},
    }

    def __str__(self) -> str:
        return f"{self.label} by {self.actor_name}"

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action)
