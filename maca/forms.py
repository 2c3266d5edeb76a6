"""Form pieces shared by every app."""

import datetime
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


class DatePartsWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year, each its own box (`includes/date_parts.html`
    draws it); posted as `<name>_day`, `<name>_month`, `<name>_year`."""

    def __init__(self):
        number = {"inputmode": "numeric"}
        widgets = {"day": forms.TextInput(number), "month": forms.TextInput(number)}
        super().__init__({**widgets, "year": forms.TextInput(number)})

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class DatePartsField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's messages naming the field and the part
    that is missing or wrong ("Date of the meeting must include a month")."""

    widget = DatePartsWidget

    def get_bound_field(self, form, field_name):
        return DatePartsBoundField(form, self, field_name)

    def __init__(self, *, label: str, required_message: str, **kwargs):
        self.required_message = required_message
        parts = [forms.CharField(required=False) for _ in range(3)]
        super().__init__(parts, label=label, require_all_fields=False, **kwargs)

    def clean(self, value):
        day, month, year = (str(part or "").strip() for part in (value or ["", "", ""]))
        if not (day or month or year):
            if self.required:
                raise forms.ValidationError(self.required_message, code="required")
            return None
        parts = (("day", day), ("month", month), ("year", year))
        missing = [name for name, part in parts if not part]
        if missing:
            raise forms.ValidationError(
                f"{self.label} must include a {' and a '.join(missing)}", code="incomplete"
            )
        if not (day.isascii() and day.isdigit() and month.isascii() and month.isdigit()):
            raise forms.ValidationError(f"{self.label} must be a real date", code="invalid")
        if not (year.isascii() and year.isdigit() and len(year) == 4):
            raise forms.ValidationError(f"{self.label}: the year must have 4 numbers", code="year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.label} must be a real date", code="invalid"
            ) from None


class DatePartsBoundField(forms.BoundField):
    """A `DatePartsField` on its form: `parts` gives each box's label, id, name, value and
    width, as `includes/date_parts.html` draws them."""

    @property
    def parts(self) -> list[dict]:
        value = self.value()
        if not isinstance(value, list | tuple):
            value = self.field.widget.decompress(value)
        boxes = (("Day", "day", 2), ("Month", "month", 2), ("Year", "year", 4))
        return [
            {
                "label": label,
                "id": f"{self.auto_id}_{suffix}",
                "name": f"{self.html_name}_{suffix}",
                "value": "" if part is None else part,
                "width": width,
            }
            for (label, suffix, width), part in zip(boxes, value, strict=False)
        ]
