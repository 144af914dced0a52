"""Forms for complaints. Thin: they check input and give GOV.UK error messages; services do
the rest."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from hubops.forms import GovDateField, TelInput, someone_elses_details
from hubops.models import User

from .letters import PLACEHOLDERS, LetterTemplateError, validate
from .models import AboutKind, Concerns, Delivery, Outcome, RecordKind, Relationship, Visibility
from .services import sniff

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def read_uploads(files) -> list[tuple[str, bytes]]:
    """Check each upload's size and real type; return (name, bytes) pairs."""
    limit = int(settings.COMPLAINTS_ATTACHMENT_MAX_BYTES)
    most = int(settings.COMPLAINTS_MAX_ATTACHMENTS)
    if len(files) > most:
        raise forms.ValidationError(f"Attach up to {most} files")
    out = []
    for f in files:
        name = (f.name or "file")[:200]
        if f.size > limit:
            raise forms.ValidationError(
                f"{name} is larger than {limit // (1024 * 1024)} MB: attach a smaller file"
            )
        data = f.read()
        if not data:
            raise forms.ValidationError(f"{name} is empty")
        if sniff(data) is None:
            raise forms.ValidationError(
                f"{name} must be a PDF, PNG, JPEG, Word (.docx) or text file"
            )
        out.append((name, data))
    return out


def _text(label, *, required=True, max_length=10000, help_text="", rows=5, missing=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": missing or f"Enter {label.lower()}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


def _clean_text(value: str) -> str:
    """Drop control characters (keep new lines and tabs) so hostile text cannot break the
    PDF or the database."""
    return "".join(ch for ch in value if ch in "\n\t" or ord(ch) >= 32).replace("\x7f", "")


class CleanTextMixin:
    def clean(self):
        data = super().clean()
        for key, value in list(data.items()):
            if isinstance(value, str):
                data[key] = _clean_text(value)
        return data


class DateField(GovDateField):
    """GovDateField with a message written for its question."""

    def __init__(self, *, missing: str = "", **kwargs):
        self.missing = missing
        super().__init__(**kwargs)

    def validate(self, value):
        if value is None and self.required and self.missing:
            raise forms.ValidationError(self.missing, code="required")
        super().validate(value)


class WhoForm(forms.Form):
    concerns = forms.ChoiceField(
        label="Who or what is your complaint about?",
        choices=Concerns.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who or what your complaint is about"},
    )


class ComplaintForm(CleanTextMixin, forms.Form):
    """The policy's "attached form" for a formal complaint."""

    phone_is_enough = False  # staff recording a phone call may have only a number

    full_name = forms.CharField(
        label="Your full name",
        max_length=200,
        error_messages={
            "required": "Enter your full name",
            "max_length": "Your full name must be 200 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        help_text="We will send your acknowledgement and letters here. Leave it blank if you "
        "would rather have letters by post.",
        error_messages={"invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    address = _text(
        "Postal address (optional)",
        required=False,
        max_length=500,
        rows=4,
        help_text="We need an email address or a postal address to reply to you.",
    )
    address.widget.attrs["autocomplete"] = "street-address"
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=40,
        error_messages={"max_length": "Phone number must be 40 characters or fewer"},
        widget=TelInput(attrs={"autocomplete": "tel"}),
    )
    relationship = forms.ChoiceField(
        label="How are you connected to the hub?",
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you are connected to the hub"},
    )
    about_kind = forms.ChoiceField(
        label="What is your complaint about?",
        choices=AboutKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what your complaint is about"},
    )
    about_detail = forms.CharField(
        label="Which Work Group, event, service or decision? (optional)",
        required=False,
        max_length=300,
        help_text="For example, the name of the Work Group or the date of the event.",
        error_messages={"max_length": "This must be 300 characters or fewer"},
    )
    subject_name = forms.CharField(
        label="If it is about a person, their name (optional)",
        required=False,
        max_length=200,
        help_text="The person will not see your complaint.",
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    issue_date = DateField(
        label="When did the issue arise?",
        missing="Enter the date the issue arose",
        help_text="For example, 27 3 2026. An approximate date is fine.",
    )
    what_happened = _text("What happened", missing="Enter what happened")
    done_so_far = _text(
        "What have you done so far to resolve it? (optional)",
        required=False,
        help_text="For example, who you spoke to and when.",
    )
    outcome_wanted = _text(
        "What outcome would you like?", missing="Enter the outcome you would like", rows=3
    )
    adjustments = _text(
        "Do you need any adjustments? (optional)",
        required=False,
        rows=3,
        help_text="For example, letters in large print, or a meeting in an accessible room.",
    )
    attachments = MultipleFileField(
        label="Attach documents (optional)",
        required=False,
        help_text="Up to 5 files, each up to 10 MB: PDF, PNG, JPEG, Word (.docx) or text.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = int(settings.COMPLAINTS_ATTACHMENT_MAX_BYTES) // (1024 * 1024)
        most = int(settings.COMPLAINTS_MAX_ATTACHMENTS)
        self.fields[
            "attachments"
        ].help_text = (
            f"Up to {most} files, each up to {limit} MB: PDF, PNG, JPEG, Word (.docx) or text."
        )
        self.fields["attachments"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg,.docx,.txt"

    def clean_issue_date(self):
        value = self.cleaned_data.get("issue_date")
        today = timezone.localdate()
        if value and value > today:
            raise forms.ValidationError("The date the issue arose must be today or in the past")
        if value and value < datetime.date(2000, 1, 1):
            raise forms.ValidationError("The date the issue arose must be after 1 January 2000")
        return value

    def clean_attachments(self):
        return read_uploads(self.cleaned_data.get("attachments") or [])

    def clean(self):
        data = super().clean()
        contact = [data.get("email"), (data.get("address") or "").strip()]
        if self.phone_is_enough:
            contact.append((data.get("phone") or "").strip())
        if not any(contact) and "email" not in self.errors:
            self.add_error(
                "email", "Enter an email address or a postal address so we can reply to you"
            )
        return data


class InformalForm(CleanTextMixin, forms.Form):
    """A short form for an informal concern (stage 1)."""

    full_name = ComplaintForm.base_fields["full_name"]
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter your email address", "invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = ComplaintForm.base_fields["phone"]
    concerns = WhoForm.base_fields["concerns"]
    what_happened = _text("Tell us about your concern", missing="Tell us about your concern")
    issue_date = GovDateField(
        label="When did it happen? (optional)",
        required=False,
        help_text="For example, 27 3 2026.",
    )

    def clean_issue_date(self):
        value = self.cleaned_data.get("issue_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        if value and value < datetime.date(2000, 1, 1):
            raise forms.ValidationError("The date must be after 1 January 2000")
        return value


class StaffRecordForm(ComplaintForm):
    """Staff record a complaint or concern received by letter, email or phone."""

    formal = forms.ChoiceField(
        label="Stage",
        choices=[
            ("informal", "Stage 1: informal concern"),
            ("formal", "Stage 2: formal complaint"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the stage"},
    )
    concerns = WhoForm.base_fields["concerns"]
    received_on = DateField(
        label="Date received",
        missing="Enter the date the complaint was received",
        help_text="For example, 27 3 2026.",
    )

    field_order = ["formal", "received_on", "concerns"]
    phone_is_enough = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("what_happened", "outcome_wanted", "relationship", "about_kind", "issue_date"):
            self.fields[name].required = False
        someone_elses_details(self, "full_name", "email", "address", "phone")

    def clean_received_on(self):
        value = self.cleaned_data.get("received_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date received must be today or in the past")
        return value

    def clean(self):
        data = super().clean()
        if data.get("concerns") == Concerns.LEAD_SCHOOL:
            self.add_error(
                "concerns",
                "A complaint about the Lead School itself is not taken in: tell the person to "
                f"contact the DfE at {settings.HUBOPS_DFE_CONTACT_EMAIL}",
            )
        return data


class InformationForm(CleanTextMixin, forms.Form):
    text = _text("Information to add", required=False, max_length=10000)
    files = MultipleFileField(
        label="Attach documents (optional)",
        required=False,
        help_text="PDF, PNG, JPEG, Word (.docx) or text.",
    )

    def clean_files(self):
        return read_uploads(self.cleaned_data.get("files") or [])

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("files"):
            self.add_error("text", "Write something or attach a file")
        return data


class AppealForm(CleanTextMixin, forms.Form):
    grounds = _text(
        "Why are you not satisfied with the response?",
        missing="Tell us why you are not satisfied with the response",
    )


DELIVERY = forms.ChoiceField(
    label="How to send the letter",
    choices=Delivery.choices,
    initial=Delivery.EMAIL,
    widget=forms.RadioSelect,
    error_messages={"required": "Select how to send the letter"},
)


class AcknowledgeForm(forms.Form):
    delivery = DELIVERY


class HoldingForm(CleanTextMixin, forms.Form):
    reason = _text("Why is the response delayed?", rows=3, missing="Enter the reason for the delay")
    new_date = DateField(
        label="New date for the response",
        missing="Enter the new date for the response",
        help_text="For example, 27 3 2026.",
    )
    delivery = DELIVERY


DECISIONS = [
    (o.value, o.label) for o in (Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.NOT_UPHELD)
]


class RespondForm(CleanTextMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    summary = _text(
        "Findings and reasons",
        missing="Enter the findings and reasons",
        help_text="This goes into the letter the complainant receives.",
    )
    delivery = DELIVERY


class NoteForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Type of record",
        choices=[
            (k.value, k.label)
            for k in (RecordKind.NOTE, RecordKind.CALL, RecordKind.MEETING, RecordKind.DECISION)
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of record"},
    )
    body = _text("What happened", missing="Enter what happened", rows=4)
    visibility = forms.ChoiceField(
        label="Who can see it",
        choices=Visibility.choices,
        initial=Visibility.INTERNAL,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who can see it"},
    )


class CloseForm(CleanTextMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            (o.value, o.label)
            for o in (
                Outcome.RESOLVED_INFORMALLY,
                Outcome.WITHDRAWN,
                *[Outcome(d) for d, _ in DECISIONS],
            )
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    note = _text("Note (optional)", required=False, rows=2)


class MakeFormalForm(forms.Form):
    received_on = DateField(
        label="Date the formal complaint was received",
        missing="Enter the date the formal complaint was received",
        help_text="For example, 27 3 2026.",
    )


def _staff_choices():
    return [
        (u.pk, f"{u.full_name or u.email} ({u.email})")
        for u in User.objects.filter(is_active=True, is_staff=True).order_by("full_name", "email")
    ]


class SubjectsForm(forms.Form):
    users = forms.TypedMultipleChoiceField(
        label="Who is the complaint about?",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="They will no longer be able to see this complaint.",
        error_messages={"required": "Select at least one person"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].choices = _staff_choices()


class PanelMembersField(forms.TypedMultipleChoiceField):
    """Checkboxes of the people who may sit; anyone else sent in is refused with the reason
    ``refusal(pk)`` gives (the complaint is about them, they handled it, they hold no senior
    leader role) rather than a bare "not one of the available choices"."""

    def __init__(self, *args, refusal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def validate(self, value):
        if self.refusal is not None:
            for item in value:
                if not self.valid_value(item):
                    reason = self.refusal(item)
                    if reason:
                        raise forms.ValidationError(reason, code="refused")
        super().validate(value)


class PanelForm(forms.Form):
    members = PanelMembersField(
        label="Panel members",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Senior leaders of the Lead School who have not been involved in the complaint. "
        "Each gets access to this complaint until the appeal ends.",
        error_messages={
            "required": "Select the panel members",
            "invalid_choice": "Choose only senior leaders of the Lead School from the list",
        },
    )
    confirm = forms.BooleanField(
        label="I confirm none of these senior leaders has been involved in the complaint",
        error_messages={"required": "Confirm that the panel members have not been involved"},
    )

    def __init__(self, *args, choices=None, refusal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = choices if choices is not None else []
        self.fields["members"].refusal = refusal


class ActionsForm(CleanTextMixin, forms.Form):
    actions_taken = _text(
        "What the hub changed as a result (no names)",
        required=False,
        rows=3,
        help_text="Printed in the annual figures for the Strategic Board: do not name anyone.",
    )


class LetterTemplateForm(forms.Form):
    subject = forms.CharField(
        label="Subject", max_length=200, error_messages={"required": "Enter the subject"}
    )
    body = _text(
        "Letter",
        rows=16,
        missing="Enter the letter",
        help_text="Placeholders: " + ", ".join("{{ " + k + " }}" for k in PLACEHOLDERS),
    )

    def clean_subject(self):
        value = self.cleaned_data["subject"]
        try:
            validate(value)
        except LetterTemplateError as error:
            raise forms.ValidationError(str(error)) from None
        return value

    def clean_body(self):
        value = self.cleaned_data["body"]
        try:
            validate(value)
        except LetterTemplateError as error:
            raise forms.ValidationError(str(error)) from None
        return value


class PolicyVersionForm(CleanTextMixin, forms.Form):
    """A new version of the complaints policy, as the board approved it."""

    body = _text(
        "The policy as approved",
        rows=16,
        max_length=50000,
        missing="Enter the policy as approved",
        help_text="Plain text, as it will be published on the complaints page.",
    )
    approved_on = DateField(
        label="Date it was approved",
        missing="Enter the date it was approved",
        help_text="For example, 27 3 2026.",
    )
    review_due_on = DateField(
        label="Date its review is due",
        missing="Enter the date its review is due",
        help_text="Usually a year after it was approved. For example, 27 3 2027.",
    )
