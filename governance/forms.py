from django import forms

from hubops.forms import GovDateField

from .models import MeetingTerm, ObjectiveStatus


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
