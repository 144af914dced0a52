from datetime import date
from decimal import Decimal

from django import forms

from hubops.forms import GovDateField

from .models import (
    BudgetKind,
    InductionStatus,
    MeetingTerm,
    ObjectiveStatus,
    ReviewPoint,
    StakeholderCategory,
    TeamGroup,
    TeamRole,
)


class DateForm(forms.Form):
    on = GovDateField(label="Check on date", help_text="For example, 27 2 2026.")


class AgendaForm(forms.Form):
    agenda = forms.CharField(
        label="Agenda",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One item a line.",
        error_messages={"required": "Enter the agenda"},
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Meeting notes",
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Enter the notes"},
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label="Who was present", required=False, widget=forms.CheckboxSelectMultiple
    )
    apologies = forms.MultipleChoiceField(
        label="Who sent apologies", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(m.pk), f"{m.name} ({m.organisation})") for m in members]
        self.fields["present"].choices = choices
        self.fields["apologies"].choices = choices


class ScheduleForm(forms.Form):
    term = forms.ChoiceField(label="Term", choices=MeetingTerm.choices)
    held_on = GovDateField(
        label="Date of the meeting",
        help_text="For example, 12 3 2026.",
        error_messages={"required": "Enter the date of the meeting"},
    )
    location = forms.CharField(label="Location", required=False, max_length=200)


class ChecklistEntryForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=ObjectiveStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status"},
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="What shows this objective is met, or what is being done about it.",
    )


class MailingForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=150)
    message = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        help_text="For example, the Work Groups open for registration this term and how to join.",
    )
    phase = forms.ChoiceField(
        label="Who to send it to",
        required=False,
        choices=[("", "Every teacher who has taken part")],
        help_text="Or only the teachers who joined a Work Group of one phase.",
    )

    def __init__(self, *args, phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [
            ("", "Every teacher who has taken part"),
            *[(value, f"Teachers in {label.lower()} Work Groups") for value, label in phases],
        ]


class AgreeNotesForm(forms.Form):
    agreed_on = GovDateField(
        label="Date you agreed the notes",
        help_text="For example, 27 3 2026. Not before the meeting, and not in the future.",
        error_messages={"required": "Enter the date you agreed the notes"},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="This is kept with the meeting's record. Do not include personal details, "
        "such as someone's health.",
        error_messages={"required": "Enter why the meeting is cancelled"},
    )


# -- the records staff keep (record_views.py) ---------------------------------------------------

YES_NO = [("yes", "Yes"), ("no", "No")]


def _date(
    label: str, *, required: bool = True, hint: str = "For example, 1 9 2026."
) -> GovDateField:
    return GovDateField(
        label=label,
        required=required,
        help_text=hint,
        error_messages={"required": f"Enter the {label[0].lower()}{label[1:]}"},
    )


def _money(label: str, *, hint: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        help_text=hint or "In pounds, for example 1200.",
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a number of pounds, like 1200 or 1200.50",
            "min_value": f"{label} must be £0 or more",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "hub-input--width-10"}),
    )


class MemberForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=200)
    organisation = forms.CharField(label="Organisation they represent", max_length=200)
    category = forms.ChoiceField(
        label="Which stakeholder group", choices=StakeholderCategory.choices
    )
    independent = forms.ChoiceField(
        label="Are they independent of the Lead School?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Not employed by the Lead School or on its governing body.",
        error_messages={"required": "Select yes if they are independent of the Lead School"},
    )
    is_chair = forms.BooleanField(label="They chair the board", required=False)
    email = forms.EmailField(label="Email address (optional)", required=False)
    term_starts_on = _date("Date their term starts")
    term_ends_on = _date(
        "Date their term ends", required=False, hint="Leave empty for no fixed end."
    )

    def clean_independent(self):
        return self.cleaned_data["independent"] == "yes"


class TermEndForm(forms.Form):
    """A new end date: for extending a term or for ending it early."""

    ends_on = _date("New end date")


class AppointmentForm(forms.Form):
    person_name = forms.CharField(label="Full name", max_length=200)
    role = forms.ChoiceField(label="MHLM role", choices=TeamRole.choices)
    role_title = forms.CharField(
        label="Local title (optional)",
        required=False,
        max_length=200,
        help_text="For other roles: the title used locally.",
    )
    group = forms.ChoiceField(
        label="Which team", choices=TeamGroup.choices, widget=forms.RadioSelect
    )
    days_per_week = forms.DecimalField(
        label="Days a week",
        min_value=Decimal("0.1"),
        max_value=Decimal(5),
        decimal_places=1,
        help_text="For example, 2 or 0.5.",
        error_messages={
            "required": "Enter the days a week",
            "invalid": "Days a week must be a number, like 2 or 0.5",
            "min_value": "Days a week must be more than 0",
            "max_value": "Days a week must be 5 or fewer",
            "max_decimal_places": "Days a week can have one decimal place, like 2.5",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "hub-input--width-4"}),
    )
    starts_on = _date("Date they start")
    ends_on = _date("Date they leave (optional)", required=False, hint="Leave empty if not known.")
    email = forms.EmailField(label="Email address (optional)", required=False)
    induction_status = forms.ChoiceField(
        label="NCETM Induction Programme",
        choices=InductionStatus.choices,
        help_text="For anyone new in an MHLM role.",
    )
    job_description = forms.CharField(
        label="Job description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contingency_cover = forms.CharField(
        label="Who covers the role if they are unexpectedly absent",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SLAForm(forms.Form):
    starts_on = _date("Date the SLA starts")
    ends_on = _date("Date the SLA ends")
    deliverables = forms.CharField(
        label="What the local leader will deliver",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the local leader will deliver"},
    )
    release_days = forms.DecimalField(
        label="Release days",
        min_value=Decimal(0),
        decimal_places=1,
        max_digits=5,
        error_messages={
            "required": "Enter the release days",
            "invalid": "Release days must be a number, like 6",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "hub-input--width-4"}),
    )
    payment = _money("Payment")
    hub_signed_on = _date(
        "Date the hub signed (optional)", required=False, hint="Leave empty until it is signed."
    )
    leader_signed_on = _date(
        "Date the local leader signed (optional)",
        required=False,
        hint="Leave empty until it is signed.",
    )


class SLARenewForm(forms.Form):
    ends_on = _date("Date the new SLA ends")
    deliverables = SLAForm.base_fields["deliverables"]
    release_days = SLAForm.base_fields["release_days"]
    payment = SLAForm.base_fields["payment"]


class PlanVersionForm(forms.Form):
    review_point = forms.ChoiceField(
        label="Which version of the plan",
        choices=ReviewPoint.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which version of the plan"},
    )
    agreed_on = _date("Date it was agreed", hint="For example, 15 9 2026. Today or earlier.")
    summary = forms.CharField(
        label="Priorities and objectives",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One a line, as agreed with the NCETM.",
        error_messages={"required": "Enter the plan's priorities and objectives"},
    )


class BudgetLineForm(forms.Form):
    title = forms.CharField(label="Budget line", max_length=200)
    kind = forms.ChoiceField(
        label="Kind of cost", choices=BudgetKind.choices, widget=forms.RadioSelect
    )
    budget = _money("Budget for the year")
    q1 = _money("Forecast for quarter 1", hint="September to November, in pounds.")
    q2 = _money("Forecast for quarter 2", hint="December to February, in pounds.")
    q3 = _money("Forecast for quarter 3", hint="March to May, in pounds.")
    q4 = _money("Forecast for quarter 4", hint="June to August, in pounds.")


class SpendForm(forms.Form):
    line = forms.TypedChoiceField(label="Budget line", coerce=int)
    month = forms.ChoiceField(
        label="Month",
        help_text="Only months that have ended. Recording a month again corrects it.",
    )
    actual = _money("Actual spend")

    def __init__(self, *args, lines=(), months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [(line.pk, line.title) for line in lines]
        self.fields["month"].choices = [(m.isoformat(), f"{m:%B %Y}") for m in months]

    def clean_month(self):
        return date.fromisoformat(self.cleaned_data["month"])
