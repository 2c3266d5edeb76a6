from django import forms


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
