from __future__ import annotations

from typing import Any

from django import forms

from governance.models import ReportDueDate, ReportKind
from hubops.forms import GovDateField
from hubops.models import AcademicYear
from workgroups import selectors as workgroup_selectors

from . import selectors
from .models import Recipient


class DueDateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReportDueDate) -> str:
        return str(obj)


class NewReportForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of report", choices=ReportKind.choices)
    academic_year = forms.ModelChoiceField(
        label="Academic year",
        queryset=AcademicYear.objects.order_by("-starts_on"),
        empty_label=None,
        error_messages={"invalid_choice": "Choose an academic year from the list."},
    )
    period = forms.CharField(
        label="Period (optional)",
        required=False,
        max_length=60,
        help_text='For a termly progress report, for example "Spring term".',
    )
    work_group = forms.CharField(
        label="Work Group code (evaluation reports only)", required=False, max_length=30
    )
    due_date = DueDateChoiceField(
        label="The deadline it meets (optional)",
        queryset=ReportDueDate.objects.none(),
        required=False,
        empty_label="None",
        help_text="When the SLL signs it off, the deadline is recorded as met.",
        error_messages={"invalid_choice": "Choose a deadline from the list."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        due_date = self.fields["due_date"]
        assert isinstance(due_date, forms.ModelChoiceField)
        due_date.queryset = selectors.open_due_dates()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ReportKind.EVALUATION:
            code = (cleaned.get("work_group") or "").strip()
            group = workgroup_selectors.group_by_code(code)
            if group is None:
                self.add_error("work_group", "Enter the code of the Work Group, e.g. WG-1.")
            cleaned["group"] = group
        else:
            cleaned["group"] = None
        due, kind, year = cleaned.get("due_date"), cleaned.get("kind"), cleaned.get("academic_year")
        if due is not None and kind and due.kind != kind:
            self.add_error("due_date", f"That deadline is for a {due.get_kind_display().lower()}.")
        elif due is not None and year is not None and due.academic_year_id != year.pk:
            self.add_error("due_date", f"That deadline is in {due.academic_year}.")
        return cleaned


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class SignForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        help_text="Confirm it is you: signing puts your name on the report.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to sign."},
    )


class SubmissionForm(forms.Form):
    submitted_to = forms.ChoiceField(label="Submitted to", choices=Recipient.choices)
    submitted_on = GovDateField(label="Date submitted")


class DueDateChangeForm(forms.Form):
    """Moving or renaming a deadline."""

    due_on = GovDateField(
        label="Due date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the report is due"},
    )
    label = forms.CharField(
        label="Name (optional)",
        required=False,
        max_length=100,
        help_text='For example "Spring term" or "Quarter 2".',
    )


class DueDateForm(DueDateChangeForm):
    """A new reporting deadline: which report, which year, and the date and name above."""

    field_order = ["kind", "academic_year", "due_on", "label"]

    kind = forms.ChoiceField(
        label="Kind of report",
        choices=[("", "Choose a kind of report"), *ReportKind.choices],
        error_messages={"required": "Choose the kind of report"},
    )
    academic_year = forms.ModelChoiceField(
        label="Academic year",
        queryset=AcademicYear.objects.order_by("-starts_on"),
        empty_label="Choose a year",
        error_messages={
            "required": "Choose the academic year",
            "invalid_choice": "Choose an academic year from the list",
        },
    )
