"""Forms for Work Groups. Thin: validation of input only; rules live in services."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone

from hubops.forms import GovDateField
from hubops.models import User
from hubops.roles import Role, users_with_role

from .certificates import normalise_code
from .models import (
    OUTCOMES,
    AttendanceStatus,
    Audience,
    Format,
    GroupPhase,
    ParticipantEvaluation,
    Rating,
    Recruitment,
    WorkGroup,
)
from .services import GROUP_FIELDS


class CatalogueFilterForm(forms.Form):
    phase = forms.ChoiceField(
        required=False, choices=[("", "Any phase"), *GroupPhase.choices], label="Phase"
    )
    project = forms.ChoiceField(required=False, label="Project")
    format = forms.ChoiceField(
        required=False, choices=[("", "Any format"), *Format.choices], label="Format"
    )
    la = forms.ChoiceField(required=False, label="Your school's local authority")
    open = forms.BooleanField(required=False, label="Only groups open for registration")

    def __init__(self, *args, projects=(), las=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "Any project"), *projects]
        self.fields["la"].choices = [("", "Any local authority"), *las]


class SchoolSearchForm(forms.Form):
    q = forms.CharField(
        label="Your school's name or URN",
        help_text="The URN is the 6-digit number on Get Information About Schools.",
        max_length=100,
        error_messages={
            "required": "Enter your school's name or URN.",
            "max_length": "Your school's name or URN must be 100 characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization", "spellcheck": "false"}),
    )


class SchoolChoiceForm(forms.Form):
    school = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="Choose your school",
        error_messages={"required": "Choose your school from the list."},
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.pk, str(s)) for s in schools]


class DetailsForm(forms.Form):
    role_at_school = forms.CharField(
        label="Your role at the school",
        help_text="For example: class teacher, maths lead, teaching assistant.",
        max_length=100,
        error_messages={"required": "Enter your role at the school."},
    )
    accept_privacy = forms.BooleanField(
        label="I have read the privacy notice, which explains how the hub uses my details",
        error_messages={"required": "Confirm that you have read the privacy notice."},
    )


class ColleagueForm(forms.Form):
    email = forms.EmailField(
        label="Your colleague's email address",
        help_text="We will email them a link to register for your school's second place.",
        error_messages={
            "required": "Enter your colleague's email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason for declining",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="The teacher will see this.",
        error_messages={"required": "Enter a reason for declining."},
    )


class SessionForm(forms.Form):
    date = GovDateField(
        label="Date",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date of the session."},
    )
    starts = forms.TimeField(label="Start time", help_text="For example, 15:45.")
    ends = forms.TimeField(label="End time", help_text="For example, 17:15.")
    venue = forms.CharField(label="Venue", required=False, max_length=255)
    online_link = forms.URLField(label="Online link", required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", "The end time must be after the start time.")
        return data

    def moments(self):
        tz = timezone.get_current_timezone()
        d = self.cleaned_data["date"]
        return (
            datetime.combine(d, self.cleaned_data["starts"], tzinfo=tz),
            datetime.combine(d, self.cleaned_data["ends"], tzinfo=tz),
        )


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label="Email address of the person to invite", required=False)
    urn = forms.IntegerField(label="Or the URN of a school to invite", required=False)

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("urn"):
            raise forms.ValidationError("Enter an email address or a school's URN.")
        return data


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = ParticipantEvaluation
        fields = [name for name, _ in OUTCOMES] + ["comments"]
        widgets = {name: forms.RadioSelect for name, _ in OUTCOMES}
        labels = {name: f"Impact on {label.lower()}" for name, label in OUTCOMES}
        labels["comments"] = "Anything else you would like to tell us"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, _ in OUTCOMES:
            self.fields[name].choices = Rating.choices
            self.fields[name].error_messages["required"] = "Choose how much impact it had."


class LeadReportForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in OUTCOMES:
            for part, text in (
                ("evidence", "Evidence"),
                ("impact", "Impact"),
                ("next_steps", "Next steps"),
            ):
                self.fields[f"{name}_{part}"] = forms.CharField(
                    label=f"{label}: {text.lower()}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: work_group_code, school_urn, participant_name, email, "
        "role_at_school, trn, sessions_attended.",
    )


def attendance_choices():
    return AttendanceStatus.choices


class CertificateCodeForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        help_text="The 12 letters and numbers printed on the certificate, for example "
        "ABCD-EFGH-JK23.",
        max_length=20,
        error_messages={"required": "Enter the verification code from the certificate."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "hub-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "Enter the code as it is printed: 12 letters and numbers, like ABCD-EFGH-JK23."
            )
        return code


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        help_text="Every participant is emailed this, with a file that removes the session "
        "from their calendar.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": "Enter why the session is cancelled"},
    )


class LeadsForm(forms.Form):
    leads = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who leads this Work Group?",
        help_text="People who hold the Work Group Lead role. A group needs a Lead before it "
        "is published.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["leads"]
        field.queryset = users_with_role(Role.WORK_GROUP_LEAD).order_by("full_name", "email")
        field.label_from_instance = lambda u: f"{u.full_name or u.email} ({u.email})"


def _csv_to_list(value: str) -> list[str]:
    return [v for v in (value or "").split(",") if v]


class WorkGroupForm(forms.ModelForm):
    """The Work Group's record in four sections; status, Leads and sessions have their own
    pages (the machine, the Lead page, the session pages)."""

    phases = forms.MultipleChoiceField(
        choices=GroupPhase.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one phase"},
    )
    audience = forms.MultipleChoiceField(
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Who is it for?",
        error_messages={"required": "Select who the group is for"},
    )
    registration_opens_on = GovDateField(
        label="Registration opens", required=False, help_text="For example, 1 9 2026."
    )
    registration_closes_on = GovDateField(
        label="Registration closes", required=False, help_text="For example, 30 9 2026."
    )

    SECTIONS = (
        ("About the group", ["code", "title", "description", "project", "phases", "audience"]),
        ("Where it meets", ["format", "venue"]),
        (
            "Places and who can join",
            [
                "capacity_schools",
                "places_per_school",
                "recruitment",
                "allowed_la_codes",
                "prerequisite_project",
                "prerequisite_stage",
                "needs_approval",
                "completion_min_sessions",
            ],
        ),
        ("Registration", ["registration_opens_on", "registration_closes_on", "flyer"]),
    )

    class Meta:
        model = WorkGroup
        fields = list(GROUP_FIELDS)  # the service saves exactly these
        labels = {
            "code": "Code",
            "title": "Title",
            "description": "Description",
            "project": "Project",
            "format": "Format",
            "venue": "Venue",
            "capacity_schools": "Places, in schools",
            "places_per_school": "Places per school",
            "recruitment": "Who can join",
            "allowed_la_codes": "Local authority codes",
            "prerequisite_project": "Project the school must have completed",
            "prerequisite_stage": "Teaching for Mastery stage the school must have completed",
            "needs_approval": "The hub approves each registration",
            "completion_min_sessions": "Sessions a participant attends to complete",
            "flyer": "Flyer (PDF)",
        }
        help_texts = {
            "code": 'For example "WG-26-07". People see it in every email.',
            "capacity_schools": "Each school takes one place, with up to its places per school.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "recruitment": forms.RadioSelect,
            "format": forms.RadioSelect,
        }
        error_messages = {
            "code": {"required": "Enter the group's code", "unique": "A group has this code"},
            "title": {"required": "Enter the group's title"},
            "project": {"required": "Choose the project"},
            "capacity_schools": {"required": "Enter how many schools it has room for"},
            "recruitment": {"required": "Choose who can join"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["phases"] = self.instance.phase_list
            self.initial["audience"] = self.instance.audience_list
        for name in ("recruitment", "format"):
            field = self.fields[name]
            field.choices = [c for c in field.choices if c[0] != ""]

    def clean(self):
        data = super().clean()
        opens, closes = data.get("registration_opens_on"), data.get("registration_closes_on")
        if opens and closes and closes < opens:
            self.add_error("registration_closes_on", "Registration must close after it opens")
        if data.get("recruitment") == Recruitment.NAMED_LAS and not data.get("allowed_la_codes"):
            self.add_error("allowed_la_codes", "Enter the local authority codes, like 307, 304")
        if data.get("recruitment") == Recruitment.PREREQUISITE and not (
            data.get("prerequisite_project") or data.get("prerequisite_stage")
        ):
            self.add_error("prerequisite_project", "Choose the project or the stage to complete")
        return data

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def model_data(self) -> dict:
        """The cleaned fields as the model stores them (phases as ",primary,")."""
        data = dict(self.cleaned_data)
        for name in ("phases", "audience"):
            data[name] = "," + ",".join(data[name]) + ","
        if not data.get("flyer"):
            data.pop("flyer", None)
        return data
