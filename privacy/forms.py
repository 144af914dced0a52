from __future__ import annotations

from django import forms

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
