"""The form that renames an area or an agency."""

from django import forms

from .models import Agency, Area


def name_form(model: type[Area] | type[Agency]) -> type[forms.Form]:
    """A form of the row's name (as long as its column keeps) and the version it started from."""
    word = model._meta.verbose_name
    limit = model._meta.get_field("name").max_length

    class NameForm(forms.Form):
        name = forms.CharField(
            label="Name",
            max_length=limit,
            error_messages={
                "required": f"Enter the {word}'s name",
                "max_length": f"The {word}'s name must be {limit} characters or fewer",
            },
        )
        version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    return NameForm


AreaNameForm = name_form(Area)
AgencyNameForm = name_form(Agency)
