"""The GOV.UK date input (maca.forms.DateField): three boxes, and messages naming the field."""

import datetime

import pytest
from django import forms
from django.template.loader import render_to_string

from maca.forms import DateField


class DueForm(forms.Form):
    due = DateField(label="Due date", required_message="Enter the date the action is due")


class OptionalForm(forms.Form):
    returns_due = DateField(label="Returns due", required=False)


def _errors(data, form_class=DueForm):
    form = form_class(data)
    assert not form.is_valid()
    return [message for messages in form.errors.values() for message in messages]


def test_a_date_in_three_parts():
    form = DueForm({"due-day": "7", "due-month": "03", "due-year": "2027"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == datetime.date(2027, 3, 7)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date the action is due"),
        ("7", "", "2027", "Due date must include a month"),
        ("", "3", "2027", "Due date must include a day"),
        ("7", "3", "", "Due date must include a year"),
        ("", "", "2027", "Due date must include a day and a month"),
        ("31", "2", "2027", "Due date must be a real date"),
        ("7", "13", "2027", "Due date must be a real date"),
        ("7", "3", "27", "Due date must be a real date"),
        ("seven", "3", "2027", "Due date must be a real date"),
        ("٣", "3", "2027", "Due date must be a real date"),
    ],
)
def test_each_mistake_is_named_for_the_field(day, month, year, message):
    assert _errors({"due-day": day, "due-month": month, "due-year": year}) == [message]


def test_an_optional_date_may_be_left_empty():
    form = OptionalForm({"returns_due-day": "", "returns_due-month": "", "returns_due-year": ""})
    assert form.is_valid() and form.cleaned_data["returns_due"] is None


def test_a_date_posted_whole_is_read_too():
    assert DueForm({"due": "2027-03-07"}).is_valid()
    assert _errors({"due": "31/02/2027"}) == ["Due date must be a real date"]
    assert _errors({"due": "soon"}) == ["Due date must be a real date"]


def test_it_is_drawn_as_the_govuk_date_input_with_what_was_typed():
    form = DueForm({"due-day": "31", "due-month": "2", "due-year": "2027"})
    form.is_valid()
    html = render_to_string("includes/field.html", {"field": form["due"]})
    assert 'class="govuk-date-input"' in html
    assert '<legend class="govuk-fieldset__legend' in html and "Due date</legend>" in html
    assert 'name="due-day"' in html and 'name="due-month"' in html and 'name="due-year"' in html
    assert 'id="id_due"' in html  # the error summary's link lands on the day
    assert 'value="31"' in html and 'value="2027"' in html
    assert 'type="date"' not in html
    assert "Due date must be a real date" in html


def test_a_saved_date_fills_the_three_boxes():
    form = DueForm(initial={"due": datetime.date(2027, 3, 7)})
    html = render_to_string("includes/field.html", {"field": form["due"]})
    assert 'value="7"' in html and 'value="3"' in html and 'value="2027"' in html
