from django import forms

from .models import ReportChart, ReportSection, SectionKey
from .services import words_too_long


class SectionForm(forms.Form):
    text = forms.CharField(
        label="Words",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Leave a blank line between paragraphs. Start a line with “- ” to make it a bullet "
            "point. The figures, charts and lists below come from the data and update by "
            "themselves."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip()
        if len(text) > ReportSection.WORDS_MAX:
            raise forms.ValidationError(words_too_long(len(text)))
        return text


class ChartsForm(forms.Form):
    """Which charts (each with its table) the report prints for the board."""

    charts = forms.MultipleChoiceField(
        label="Charts for the board",
        choices=ReportChart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The PDF, the Word file, the web report and its figures as JSON print the "
        "charts ticked here, each with its table; the sentences of counts stay whatever you "
        "choose.",
    )
    # The choice as the coordinator saw it, comma-separated: a newer one is not undone.
    was = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_was(self) -> list[str]:
        return [key for key in self.cleaned_data["was"].split(",") if key]


class NotANameForm(forms.Form):
    """Words the check took for a person's name, in one passage, marked as not a name."""

    words = forms.CharField(strip=False)
    passage = forms.CharField(strip=False)
    # Where to go back to: the report, or the page of the section the passage is in.
    back = forms.ChoiceField(
        choices=[("report", "report"), *((key, key) for key in SectionKey.values)],
        required=False,
    )


class DigestForm(forms.Form):
    """Approving or publishing names the report as the person read it."""

    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label="What needs changing",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Its authors are e-mailed that you sent it back, and read this here.",
    )


class PublishForm(DigestForm):
    no_recommendations_reason = forms.CharField(
        label="Why is this report published without recommendations?",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="Kept in the audit's change history with the publication.",
        error_messages={
            "max_length": "Say why in 2,000 characters or fewer (it has %(show_value)d).",
        },
    )


class NamesForm(forms.Form):
    names = forms.CharField(
        label="Names to catch",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "autocomplete": "off"}),
        help_text="One name on each line: first names, surnames and full names of the children "
        "and family members in the audits' cases, and any street or school that would identify "
        "them.",
    )
