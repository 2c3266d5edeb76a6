from django import forms

from maca.grades import LONGEST_DESCRIPTOR, Grade
from maca.partnerships.models import (
    RETENTION_LONGEST,
    RETENTION_SHORTEST,
    SMALL_COUNT_HIGHEST,
    SMALL_COUNT_LOWEST,
)
from maca.profiles import ProfileField


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


class GradeDescriptorsForm(forms.Form):
    """What each grade of the scale means, in the partnership's words: one box per grade,
    named by the grade's value."""

    def __init__(self, data=None, *, partnership):
        super().__init__(
            data,
            initial=dict(
                (grade.value, words) for grade, words in partnership.grade_descriptor_list()
            ),
        )
        for grade in Grade.scale():
            self.fields[grade.value] = forms.CharField(
                label=f"What {grade.label.lower()} means",
                widget=forms.Textarea,
                max_length=LONGEST_DESCRIPTOR,
                required=False,
                help_text="Left empty, the default words are used",
                error_messages={
                    "max_length": f"What {grade.label.lower()} means must be "
                    f"{LONGEST_DESCRIPTOR:,} characters or fewer"
                },
            )


class ProfileFieldsForm(forms.Form):
    chosen = forms.MultipleChoiceField(
        label="Case profile fields the partnership records",
        choices=ProfileField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Select all that apply. Only these are asked for in the candidates file, shown on "
            "cases and counted in reports. Select none to record no profile."
        ),
        error_messages={"invalid_choice": "Choose fields from the list"},
    )
