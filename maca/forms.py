"""Form pieces shared by every app."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from maca.errors import DomainError

_PARTS = ("day", "month", "year")


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year, three text boxes in a fieldset
    (includes/field.html draws it). They are posted as `<name>-day`, `<name>-month` and
    `<name>-year`; a date posted whole as YYYY-MM-DD (`<name>`, as programs and older pages
    send it) is read too."""

    govuk_date = True  # includes/field.html draws it as a GOV.UK date input
    input_type = "govuk-date"

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric"}
        super().__init__({f"-{part}": forms.TextInput(numeric) for part in _PARTS}, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        parts = [data.get(f"{name}-{part}") for part in _PARTS]
        whole = data.get(name)
        if all(part is None for part in parts) and whole:
            pieces = re.split(r"[^0-9]+", str(whole).strip())
            if len(pieces) == 3 and len(pieces[0]) == 4:  # YYYY-MM-DD
                return pieces[::-1]
            if len(pieces) == 3:  # 31/3/2027, read as the British write it
                return pieces
            return ["?", "?", str(whole)]  # said to be no real date
        return parts


class DateField(forms.MultiValueField):
    """A date entered as the GOV.UK date input asks it, with its error messages naming the
    field: "Due date must include a month", "Due date must be a real date"; `required_message`
    when it is required and left empty."""

    widget = DateInput

    def __init__(self, *, label: str, required: bool = True, required_message: str = "", **kw):
        parts = tuple(forms.CharField(required=False, max_length=8) for _ in _PARTS)
        messages = {"required": required_message or f"Enter {label[0].lower()}{label[1:]}"}
        super().__init__(
            parts,
            label=label,
            required=required,
            require_all_fields=False,
            error_messages=messages,
            **kw,
        )

    def clean(self, value):
        if not isinstance(value, list | tuple):
            value = ["", "", ""]
        day, month, year = (str(part or "").strip() for part in value)
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [name for name, part in zip(_PARTS, (day, month, year), strict=True) if not part]
        if missing:
            raise ValidationError(
                f"{self.label} must include a {' and a '.join(missing)}", code="incomplete"
            )
        try:
            if not (
                re.fullmatch(r"[0-9]{4}", year)
                and re.fullmatch(r"[0-9]{1,2}", day)
                and re.fullmatch(r"[0-9]{1,2}", month)
            ):
                raise ValueError(year)
            date = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from None
        self.run_validators(date)
        return date

    def prepare_value(self, value):
        """The three boxes' values, from a date or from what was typed."""
        if isinstance(value, list | tuple):
            return list(value)
        return DateInput().decompress(value)

    def compress(self, data_list):  # clean() does the work; kept for MultiValueField's contract
        return data_list

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True


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


def max_length(model: type[models.Model], name: str) -> int:
    """The most characters a model's text field holds (for checking before it is saved)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise TypeError(f"{model.__name__}.{name} is not a text field with a maximum length")
    return field.max_length
