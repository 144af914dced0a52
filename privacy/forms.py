from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from hubops.forms import GovDateField, someone_elses_details

from .models import RequestKind, RequestStatus


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="What do you want us to do?",
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want us to do"},
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address",
        help_text=(
            "The address you use with the hub. We will email you a link to confirm it is you."
        ),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    details = forms.CharField(
        label="Tell us more (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, which data is wrong, or which mailings you object to.",
    )


class StaffDataRequestForm(DataRequestForm):
    received_on = GovDateField(
        label="Date received",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date the request was received"},
    )
    identity_confirmed = forms.BooleanField(
        label="I have confirmed the person's identity",
        required=False,
        help_text="Leave unticked to email them a link to confirm it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        someone_elses_details(self, "full_name", "email")


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need more time?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person is told this reason.",
        error_messages={"required": "Enter the reason for the extension"},
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Outcome",
        choices=[
            (RequestStatus.COMPLETED.value, RequestStatus.COMPLETED.label),
            (RequestStatus.PARTLY_REFUSED.value, RequestStatus.PARTLY_REFUSED.label),
            (RequestStatus.REFUSED.value, RequestStatus.REFUSED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    outcome = forms.CharField(
        label="What was done, and the reasons for any refusal",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what was done"},
    )


# Staff pages: breaches, DPIAs, notice versions -------------------------------------------------

TIME_HELP = "Use the 24-hour clock, for example 14:30."


class TimeField(forms.CharField):
    """A time of day typed as HH:MM (24-hour clock)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("help_text", TIME_HELP)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "class": "hub-input--width-5"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip().replace(".", ":")
        hours, _, minutes = text.partition(":")
        try:
            if not (hours.isdigit() and len(minutes) == 2 and minutes.isdigit()):
                raise ValueError(text)
            return dt.time(int(hours), int(minutes))
        except ValueError:
            raise forms.ValidationError(
                f"{self.label} must be a real time, like 14:30", code="invalid"
            ) from None


def _moment(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def _not_in_future(form: forms.Form, moment: dt.datetime, field: str, message: str) -> None:
    if moment > timezone.now() + dt.timedelta(minutes=5):
        form.add_error(field, message)


class BreachForm(forms.Form):
    found_on = GovDateField(
        label="Date the breach was found",
        help_text="For example, 27 3 2026. The 72 hours to tell the ICO start then.",
        error_messages={"required": "Enter the date the breach was found"},
    )
    found_time = TimeField(
        label="Time it was found",
        error_messages={"required": "Enter the time the breach was found"},
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what happened"},
    )
    data_categories = forms.CharField(
        label="What personal data was involved",
        max_length=300,
        help_text="For example, names and school email addresses.",
        error_messages={"required": "Enter what personal data was involved"},
    )
    people_count = forms.IntegerField(
        label="How many people",
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "hub-input--width-5"}),
        error_messages={"required": "Enter how many people are affected"},
    )
    records_count = forms.IntegerField(
        label="How many records",
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "hub-input--width-5"}),
        error_messages={"required": "Enter how many records are affected"},
    )
    likely_consequences = forms.CharField(
        label="Likely consequences for the people",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the likely consequences"},
    )
    measures_taken = forms.CharField(
        label="What has been done about it",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what has been done about it"},
    )

    def clean(self):
        data = super().clean()
        if data.get("found_on") and data.get("found_time"):
            data["found_at"] = _moment(data["found_on"], data["found_time"])
            _not_in_future(
                self, data["found_at"], "found_on", "The date found must be today or in the past"
            )
        return data

    def breach_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "found_at": data["found_at"],
            **{k: data[k] for k in self.fields if k not in ("found_on", "found_time")},
        }


class IcoNotifiedForm(forms.Form):
    notified_on = GovDateField(
        label="Date the ICO was told",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date the ICO was told"},
    )
    notified_time = TimeField(
        label="Time the ICO was told",
        error_messages={"required": "Enter the time the ICO was told"},
    )

    def clean(self):
        data = super().clean()
        if data.get("notified_on") and data.get("notified_time"):
            data["notified_at"] = _moment(data["notified_on"], data["notified_time"])
            _not_in_future(
                self,
                data["notified_at"],
                "notified_on",
                "The date the ICO was told must be today or in the past",
            )
        return data


class IcoNotNotifiedForm(forms.Form):
    reason = forms.CharField(
        label="Why the breach is unlikely to risk people's rights",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The ICO need not be told, but the reason must be recorded.",
        error_messages={"required": "Enter why the ICO is not told"},
    )


class DPIAForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    screening = forms.CharField(
        label="Screening: why a DPIA is (or is not) needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the screening"},
    )
    processing = forms.CharField(
        label="What is processed, how and why (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risks = forms.CharField(
        label="Risks",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the risks"},
    )
    measures = forms.CharField(
        label="Measures",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the measures"},
    )
    review_on = GovDateField(
        label="Review by",
        help_text="For example, 27 3 2027. The data protection lead is reminded a month before.",
        error_messages={"required": "Enter the review date"},
    )
    signed_off_by = forms.CharField(
        label="Signed off by (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    signed_off_on = GovDateField(
        label="Date signed off (optional)", required=False, help_text="For example, 27 3 2026."
    )

    def clean(self):
        data = super().clean()
        if data.get("signed_off_by") and not data.get("signed_off_on"):
            self.add_error("signed_off_on", "Enter the date it was signed off")
        if data.get("signed_off_on") and not data.get("signed_off_by"):
            self.add_error("signed_off_by", "Enter who signed it off")
        return data


class NoticeForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, initial="Privacy notice")
    published_on = GovDateField(
        label="Current from",
        help_text="For example, 1 9 2026. People are asked to accept it from this date.",
        error_messages={"required": "Enter the date the new version is current from"},
    )
    summary_of_changes = forms.CharField(
        label="What has changed",
        max_length=300,
        help_text="Shown to people who accepted the previous version.",
        error_messages={"required": "Enter what has changed"},
    )
    body = forms.CharField(
        label="The notice",
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text='Plain text. Leave a blank line between paragraphs; start a heading with "## ".',
        error_messages={"required": "Enter the text of the notice"},
    )
