"""The forms of the partnership's agencies and areas: an agency's contact address, and the
name of an area or an agency."""

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


class ContactForm(forms.Form):
    contact_email = forms.CharField(
        label="Contact address",
        required=False,
        max_length=254,
        help_text=(
            "A shared inbox of the agency, such as its safeguarding team's. It gets every e-mail "
            "maca sends the agency: requests, reminders, chases and actions. The e-mails carry "
            "no case details. Leave it empty to remove it."
        ),
        error_messages={"max_length": "Keep the address to 254 characters or fewer"},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    # The address the form showed: a change made meanwhile by someone else is not overwritten.
    was = forms.CharField(required=False, widget=forms.HiddenInput)
