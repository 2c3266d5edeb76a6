from django import forms

from .services import DEFAULT_DAYS, MAX_DAYS, NAME_MAX


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX,
        help_text="What the token is for, so you can tell it apart later",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": f"Keep the name to {NAME_MAX} characters or fewer",
        },
    )
    days = forms.IntegerField(
        label="Days until it expires",
        initial=DEFAULT_DAYS,
        min_value=1,
        max_value=MAX_DAYS,
        help_text=f"From 1 to {MAX_DAYS}. The token stops working then.",
        error_messages={
            "required": "Enter how many days the token lasts",
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": f"A token lasts between 1 and {MAX_DAYS} days",
            "max_value": f"A token lasts between 1 and {MAX_DAYS} days",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="token-%s", **kwargs)
