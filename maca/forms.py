"""Form pieces shared by every app."""

from django import forms

from maca.errors import DomainError


class DateInput(forms.DateInput):
    """A native date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the field it names (or above the form); a refusal that names
    several fields (`errors`: field -> message) on each of them."""
    for field, message in (getattr(error, "errors", None) or {error.field: error.message}).items():
        form.add_error(field if field in form.fields else None, message)
