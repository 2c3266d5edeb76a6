from django import forms

from maca.forms import DateField

from .models import YearlySection


class PeriodForm(forms.Form):
    start = DateField(
        label="First day of the period", required_message="Enter the first day of the period"
    )
    end = DateField(
        label="Last day of the period", required_message="Enter the last day of the period"
    )


class SectionForm(forms.Form):
    text = forms.CharField(
        label="Words",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "Leave a blank line between paragraphs. Start a line with “- ” to make it a bullet "
            "point. The figures come from the data and update by themselves: write no figures "
            "here."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip()
        if len(text) > YearlySection.WORDS_MAX:
            raise forms.ValidationError(
                f"The words of a section can be at most {YearlySection.WORDS_MAX:,} characters"
            )
        return text


class DigestForm(forms.Form):
    """Approving or publishing names the report as the person read it."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
