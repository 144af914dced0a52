from __future__ import annotations

from django import forms

from governance.models import ReportKind
from hubops.forms import GovDateField
from hubops.models import AcademicYear

from .models import Recipient


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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ReportKind.EVALUATION:
            from workgroups.models import WorkGroup

            code = (cleaned.get("work_group") or "").strip()
            group = WorkGroup.objects.filter(code__iexact=code).first() if code else None
            if group is None:
                self.add_error("work_group", "Enter the code of the Work Group, e.g. WG-1.")
            cleaned["group"] = group
        else:
            cleaned["group"] = None
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
