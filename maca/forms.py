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


def refused_as_typed(form_class, data, conflict, **form_kwargs):
    """The form as this person typed it, refused with the conflict (a DomainError whose
    `current` is the row as saved now) on the field it names or above the form. It carries the
    version now saved, so that a second save, made knowingly after seeing the other person's
    changes, goes through."""
    data = data.copy()
    data["version"] = conflict.current.version
    form = form_class(data, **form_kwargs)
    form.is_valid()
    add_domain_error(form, conflict)
    return form
