"""The GOV.UK-shaped form rendering and the shared fields."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import engines

from hubops.forms import GovDateField, TRNField


class ExampleForm(forms.Form):
    name = forms.CharField(help_text="As it appears on your payslip")
    colour = forms.ChoiceField(
        choices=[("r", "Red"), ("b", "Blue")], widget=forms.RadioSelect, help_text="Pick one"
    )
    days = forms.MultipleChoiceField(
        choices=[("mon", "Monday"), ("tue", "Tuesday")], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="I agree")
    dob = GovDateField(label="Date of birth", required=False)
    trn = TRNField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)

    def clean(self):
        raise forms.ValidationError("Something about the whole form is wrong")


def render(template: str, **context) -> str:
    return engines["django"].from_string(template).render(context)


def test_invalid_form_renders_govuk_groups_and_messages():
    form = ExampleForm(data={"dob_day": "31", "dob_month": "2", "dob_year": "2000", "trn": "12"})
    assert not form.is_valid()
    html = str(form)
    # A text input: label, hint, error message with hidden prefix, describedby and error class.
    assert '<label class="hub-label hub-label--s" for="id_name">Name</label>' in html
    assert '<div class="hub-hint" id="id_name_helptext">As it appears on your payslip</div>' in html
    assert (
        '<p class="hub-error-message" id="id_name_error">'
        '<span class="hub-visually-hidden">Error:</span> This field is required.</p>'
    ) in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'class="hub-input hub-input--error"' in html
    assert "hub-form-group hub-form-group--error" in html
    # Radios and checkboxes sit in a fieldset with a legend and GOV.UK item markup.
    assert 'aria-describedby="id_colour_helptext id_colour_error"' in html
    assert '<legend class="hub-fieldset__legend hub-fieldset__legend--s">Colour</legend>' in html
    assert 'class="hub-radios__input" id="id_colour_0"' in html
    assert '<label class="hub-label hub-radios__label" for="id_colour_0">Red</label>' in html
    assert 'class="hub-checkboxes__input" id="id_days_0"' in html
    assert 'class="hub-checkboxes__input" id="id_agree"' in html
    # The date is three inputs in a fieldset, with a GOV.UK message.
    assert "Date of birth must be a real date" in html
    assert 'name="dob_day" value="31"' in html
    # The non-field error is shown too.
    assert 'id="non-field-errors"' in html and "whole form is wrong" in html


def test_error_summary_links_to_each_field_and_non_field_errors():
    form = ExampleForm(data={"dob_day": "31", "dob_month": "2", "dob_year": "2000"})
    form.is_valid()
    html = render('{% include "includes/error_summary.html" with form=form %}', form=form)
    assert "There is a problem" in html
    assert '<a href="#non-field-errors">Something about the whole form is wrong</a>' in html
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_colour_0">' in html  # the first radio, which can take focus
    assert '<a href="#id_dob_0">Date of birth must be a real date</a>' in html


def test_error_summary_is_empty_for_a_valid_or_unbound_form():
    assert (
        render('{% include "includes/error_summary.html" with form=f %}', f=ExampleForm()).strip()
        == ""
    )


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("30", "2", "2001", "Date of birth must be a real date"),
        ("", "2", "2001", "Date of birth must include a day"),
        ("1", "", "", "Date of birth must include a month and year"),
        ("a", "2", "2001", "Date of birth must be a real date"),
        ("1", "2", "01", "Year must include 4 numbers"),
    ],
)
def test_gov_date_field_messages(day, month, year, message):
    class F(forms.Form):
        dob = GovDateField(label="Date of birth", required=False)

    form = F(data={"dob_day": day, "dob_month": month, "dob_year": year})
    assert not form.is_valid()
    assert form.errors["dob"] == [message]


def test_gov_date_field_accepts_a_real_date_and_blank():
    class F(forms.Form):
        dob = GovDateField(label="Date of birth", required=False)
        start = GovDateField(label="Start date")

    form = F(data={"dob_day": "", "start_day": "7", "start_month": "09", "start_year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"dob": None, "start": datetime.date(2026, 9, 7)}
    missing = F(data={})
    assert not missing.is_valid()
    assert missing.errors["start"] == ["Enter start date"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1234567", "1234567"), ("12 34 567", "1234567"), ("RP12/34567", "1234567")],
)
def test_trn_accepts_seven_digits(value, expected):
    class F(forms.Form):
        trn = TRNField()

    form = F(data={"trn": value})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["trn"] == expected


@pytest.mark.parametrize("value", ["123456", "12345678", "12a4567"])
def test_trn_rejects_anything_else_with_a_clear_message(value):
    class F(forms.Form):
        trn = TRNField()

    form = F(data={"trn": value})
    assert not form.is_valid()
    assert form.errors["trn"] == ["Teacher Reference Number must be 7 digits, like 1234567"]
