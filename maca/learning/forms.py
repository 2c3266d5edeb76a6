from django import forms

from maca.partnerships.models import (
    RETENTION_LONGEST,
    RETENTION_SHORTEST,
    SMALL_COUNT_HIGHEST,
    SMALL_COUNT_LOWEST,
)


class ThresholdForm(forms.Form):
    threshold = forms.IntegerField(
        label="Smallest count board members see",
        help_text=(
            f"A whole number from {SMALL_COUNT_LOWEST} to {SMALL_COUNT_HIGHEST}. Smaller counts "
            'are shown to them as "fewer than" this number.'
        ),
        min_value=SMALL_COUNT_LOWEST,
        max_value=SMALL_COUNT_HIGHEST,
        error_messages={
            "required": "Enter the smallest count board members see",
            "invalid": "Enter the smallest count as a whole number, like 3",
            "min_value": f"Enter a number from {SMALL_COUNT_LOWEST} to {SMALL_COUNT_HIGHEST}",
            "max_value": f"Enter a number from {SMALL_COUNT_LOWEST} to {SMALL_COUNT_HIGHEST}",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    # The value the form showed: a change someone else made meanwhile is not overwritten.
    was = forms.IntegerField(widget=forms.HiddenInput)


class RetentionForm(forms.Form):
    years = forms.IntegerField(
        label="Years case-level text is kept after an audit closes",
        help_text=(
            f"A whole number from {RETENTION_SHORTEST} to {RETENTION_LONGEST}. Then the returns' "
            "words, the meeting's reasons and notes and the agencies' record numbers are "
            "removed; grades, counts, themes and the published report stay."
        ),
        min_value=RETENTION_SHORTEST,
        max_value=RETENTION_LONGEST,
        error_messages={
            "required": "Enter how many years case-level text is kept",
            "invalid": "Enter the years as a whole number, like 6",
            "min_value": f"Enter a number from {RETENTION_SHORTEST} to {RETENTION_LONGEST}",
            "max_value": f"Enter a number from {RETENTION_SHORTEST} to {RETENTION_LONGEST}",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    was = forms.IntegerField(widget=forms.HiddenInput)
