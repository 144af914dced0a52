"""GOV.UK-shaped form rendering in the hub's brand, and the shared form fields.

``FORM_RENDERER = "hubops.forms.HubFormRenderer"`` makes ``{{ form }}`` and
``{{ field.as_field_group }}`` render each field as a GOV.UK form group: label (or fieldset and
legend for radios, checkboxes and the day/month/year date), hint from ``help_text``, the error
message with a visually hidden "Error:" prefix, ``aria-describedby`` linking hint and error
(Django builds it), and ``hub-input--error`` on an invalid control.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import django.forms
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.functional import cached_property

from hubops.models import School, User

FORMS_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "hubops" / "forms"


def _css_class_for(widget: forms.Widget) -> str | None:
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: first
        return "hub-checkboxes__input"
    if isinstance(widget, forms.RadioSelect):
        return "hub-radios__input"
    if isinstance(widget, forms.CheckboxInput):
        return "hub-checkboxes__input"
    if isinstance(widget, forms.Textarea):
        return "hub-textarea"
    if isinstance(widget, forms.Select):
        return "hub-select"
    if isinstance(widget, forms.FileInput):
        return "hub-file-upload"
    if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput | forms.MultiWidget):
        return None
    if isinstance(widget, forms.widgets.Input):
        return "hub-input"
    return None


class HubBoundField(BoundField):
    """Adds the GOV.UK control classes (and their error modifier) to each widget."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = _css_class_for(widget)
        if css:
            classes = [css]
            if self.errors and css in {
                "hub-input",
                "hub-textarea",
                "hub-select",
                "hub-file-upload",
            }:
                classes.append(f"{css}--error")
            existing = attrs.get("class", "")
            attrs["class"] = " ".join(c for c in [*classes, existing] if c)
        return attrs

    @property
    def error_anchor(self) -> str:
        """Where the error summary links: the first option of a group, else the control."""
        widget = self.field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"{self.auto_id}_0" if self.auto_id else ""
        return self.id_for_label or self.auto_id or ""

    @property
    def is_checkbox(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)


class HubFormRenderer(DjangoTemplates):
    """Django's own template engine for forms, with the hub's templates in front."""

    form_template_name = "hubops/forms/div.html"
    field_template_name = "hubops/forms/field.html"
    bound_field_class = HubBoundField

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    FORMS_TEMPLATES / "overrides",
                    Path(settings.BASE_DIR) / "templates",
                    Path(django.forms.__file__).parent / "templates",
                ],
                "NAME": "hubforms",
                "OPTIONS": {},
            }
        )


# Personal fields: the right input type and autocomplete token (WCAG 1.3.5) ---------------


class TelInput(forms.TextInput):
    """A phone number: ``type="tel"`` (one type attribute, set by Django from input_type)."""

    input_type = "tel"


def own_details(form: forms.BaseForm, **tokens: str) -> None:
    """Set the autocomplete token of fields asking for the person's own details, e.g.
    ``own_details(self, full_name="name", email="email", phone="tel")``."""
    for name, token in tokens.items():
        if name in form.fields:
            form.fields[name].widget.attrs["autocomplete"] = token


def someone_elses_details(form: forms.BaseForm, *names: str) -> None:
    """Staff typing another person's details: the browser must not offer the staff member's
    own name or address."""
    for name in names:
        if name in form.fields:
            form.fields[name].widget.attrs["autocomplete"] = "off"


# Date of birth and other dates: the GOV.UK day / month / year pattern -----------------------


class DateInputWidget(forms.MultiWidget):
    """Three text inputs (Day, Month, Year) in a fieldset, as the GOV.UK date input."""

    template_name = "hubops/forms/date_input.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"inputmode": "numeric", "class": "hub-input hub-date-input__input"}
        widgets = {
            "day": forms.TextInput(attrs={**base, "class": base["class"] + " hub-input--width-2"}),
            "month": forms.TextInput(
                attrs={**base, "class": base["class"] + " hub-input--width-2"}
            ),
            "year": forms.TextInput(attrs={**base, "class": base["class"] + " hub-input--width-4"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            year, month, day = value.split("-")
            return [int(day), int(month), year]
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value):
            day, month, year = value.split("/")
            return [int(day), int(month), year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = ("Day", "Month", "Year")
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["label"] = label
            if attrs and attrs.get("aria-invalid"):
                subwidget["attrs"]["class"] += " hub-input--error"
                subwidget["attrs"]["aria-invalid"] = "true"
        return context

    def value_from_datadict(self, data, files, name):
        parts = [(data.get(f"{name}_{part}") or "").strip() for part in ("day", "month", "year")]
        whole = (data.get(name) or "").strip()
        if not any(parts) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", whole):
            # A link written with one ISO date (?on=2026-02-27) still works.
            year, month, day = whole.split("-")
            return [day, month, year]
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(
            f"{name}_{part}" in data for part in ("day", "month", "year")
        )

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else id_


class GovDateField(forms.Field):
    """A date as day, month and year with GOV.UK's error messages.

    ``GovDateField(label="Date of birth", required=False)`` gives messages such as
    "Date of birth must be a real date" or "Date of birth must include a year".
    """

    widget = DateInputWidget

    def __init__(self, *, past_only: bool = False, **kwargs: Any) -> None:
        self.past_only = past_only
        super().__init__(**kwargs)

    def _name(self) -> str:
        return str(self.label or "Date")

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if not value or not any(value):
            return None
        day, month, year = (str(v).strip() for v in value)
        name = self._name()
        missing = [part for part, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(
                f"{name} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{name} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{name} must be a real date", code="invalid") from None

    def validate(self, value: datetime.date | None) -> None:
        if value is None and self.required:
            message = self.error_messages["required"]
            if message == forms.Field.default_error_messages["required"]:
                message = f"Enter {self._name().lower()}"
            raise ValidationError(message, code="required")
        if value and self.past_only and value >= timezone.localdate():
            raise ValidationError(f"{self._name()} must be in the past", code="future")

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return initial != data


# Teacher Reference Number ---------------------------------------------------------------

TRN_MESSAGE = "Teacher Reference Number must be 7 digits, like 1234567"


def normalise_trn(value: str) -> str:
    """Strip spaces, hyphens and a leading 'RP' slash-form; return the digits."""
    cleaned = re.sub(r"[\s\-/]", "", value or "")
    if cleaned.upper().startswith("RP"):
        cleaned = cleaned[2:]
    return cleaned


def validate_trn(value: str) -> None:
    if value and not re.fullmatch(r"\d{7}", normalise_trn(value)):
        raise ValidationError(TRN_MESSAGE, code="invalid_trn")


class TRNField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", "Teacher Reference Number (TRN)")
        kwargs.setdefault(
            "help_text", "7 digits. You can find it on your payslip or teaching certificate."
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "class": "hub-input--width-10"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value:
            validate_trn(value)
            return normalise_trn(value)
        return value


# Accounts ---------------------------------------------------------------------------------


class SignupForm(forms.Form):
    """allauth's sign-up asks for the person's full name as well (``ACCOUNT_SIGNUP_FORM_CLASS``)."""

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class ProfileForm(forms.ModelForm):
    date_of_birth = GovDateField(
        label="Date of birth",
        required=False,
        past_only=True,
        help_text="Optional. For example, 27 3 1985",
    )
    trn = TRNField(required=False)
    school_urn = forms.CharField(
        label="Your school's URN",
        required=False,
        max_length=8,
        help_text="The 6-digit unique reference number of an open school, for example 100000. "
        "Leave it blank if you do not work in a school.",
    )

    class Meta:
        model = User
        fields = ["full_name", "previous_names", "date_of_birth", "phone", "trn"]
        labels = {"full_name": "Full name", "previous_names": "Previous names", "phone": "Phone"}
        error_messages = {"full_name": {"required": "Enter your full name"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        phone = self.fields["phone"]
        phone.widget = TelInput(attrs={**phone.widget.attrs, "autocomplete": "tel"})
        own_details(self, full_name="name")
        self.fields["full_name"].widget.attrs["spellcheck"] = "false"
        if self.instance.school_id and not self.is_bound:
            self.fields["school_urn"].initial = self.instance.school.urn
            self.fields["school_urn"].help_text = (
                f"Currently {self.instance.school.name}. " + self.fields["school_urn"].help_text
            )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not re.fullmatch(r"\+?[\d\s()\-]{7,20}", phone):
            raise ValidationError("Enter a phone number, like 01632 960 001 or +44 7700 900 982")
        return phone

    def clean_school_urn(self):
        urn = self.cleaned_data["school_urn"].strip()
        if not urn:
            return None
        if not urn.isdigit():
            raise ValidationError("The URN must be numbers only, like 100000")
        school = School.objects.open().filter(urn=int(urn)).first()
        if school is None:
            raise ValidationError(f"There is no open school with URN {urn}")
        return school

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        user.school = self.cleaned_data.get("school_urn")
        if commit:
            user.save()
        return user
