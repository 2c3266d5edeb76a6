"""Form pieces shared by every app."""

import re

from django import forms

from maca.errors import DomainError


class DateInput(forms.DateInput):
    """A native date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# An id as a form or a URL carries it: ASCII digits, few enough for the database's bigint.
_ID = re.compile(r"[0-9]{1,18}")


def posted_id(value: str) -> int:
    """An id sent in a form field, as a number; 0, which is no row's id (so "not found"), for
    anything else. Not `str.isdigit()`: it passes "²", which `int()` refuses (a 500), and "٣",
    which `int()` reads as 3."""
    return int(value) if _ID.fullmatch(value) else 0


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
