"""Forms for recommendations, actions and their progress, and the report's dissemination."""

from django import forms

from maca.audits.answers import answer_options
from maca.meetings.forms import ImmediateActionForm, _AgencyChoice, _date
from maca.meetings.models import AuditTheme
from maca.partnerships.models import Agency
from maca.partnerships.ordering import partnership_order

from .models import ActionStatus, Channel


class _ThemeChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, theme):
        return theme.title


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the recommendation"},
    )
    themes = _ThemeChoice(
        label="The themes it answers",
        queryset=AuditTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose themes of this audit"},
    )

    success_measure = forms.CharField(
        label="Success measure",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: how a re-audit will know it worked, for example ‘children seen "
        "alone in at least 80% of cases’",
    )
    success_question = forms.ChoiceField(
        label="Key question it is checked against",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a key question of the audit's tool"},
    )
    success_options = forms.MultipleChoiceField(
        label="Answers that count as success",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose answers the key question offers"},
    )
    success_target = forms.IntegerField(
        label="Target (%)",
        required=False,
        min_value=1,
        max_value=100,
        help_text="The share of returns answering the question that give one of those answers",
        error_messages={
            "invalid": "Enter the target as a whole number",
            "min_value": "Enter the target as a percentage from 1 to 100",
            "max_value": "Enter the target as a percentage from 1 to 100",
        },
    )

    SUCCESS = ("success_measure", "success_question", "success_options", "success_target")

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, auto_id="recommendation-%s", **kwargs)
        self.fields["themes"].queryset = AuditTheme.objects.filter(audit=audit).order_by(
            "position", "pk"
        )
        key_questions = list(audit.questions.filter(key_measure=True).order_by("position", "pk"))
        self.fields["success_question"].choices = [("", "None")] + [
            (question.key, question.text) for question in key_questions
        ]
        offered = {}
        for question in key_questions:
            offered.update(dict(answer_options(question)))
        self.fields["success_options"].choices = list(offered.items())
        self.has_key_questions = bool(key_questions)

    @staticmethod
    def initial_for(recommendation) -> dict:
        return {
            "text": recommendation.text,
            "themes": list(recommendation.themes.all()),
            "success_measure": recommendation.success_measure,
            "success_question": recommendation.success_question,
            "success_options": list(recommendation.success_options),
            "success_target": recommendation.success_target,
        }


class ActionForm(ImmediateActionForm):
    """An action under a recommendation: the immediate action's fields, any of the
    partnership's agencies, and the version an edit started from."""

    agency = _AgencyChoice(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={
            "required": "Choose the agency that owns the action",
            "invalid_choice": "Choose one of the partnership's agencies",
        },
    )
    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what will be done"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, partnership, **kwargs):
        agencies = Agency.objects.filter(partnership=partnership).order_by(*partnership_order())
        super().__init__(data, agencies=agencies, **kwargs)


class ProgressForm(forms.Form):
    note = forms.CharField(
        label="Progress",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has been done since the last update",
        error_messages={"required": "Describe the progress made"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status"},
    )
    impact = forms.CharField(
        label="Evidence of impact",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has changed for children and families as a result. Needed to complete "
        "the action.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="progress-%s", **kwargs)


class DisseminationForm(forms.Form):
    """A row of the dissemination log. An agency lead's rows are their own agency's: the form
    has no agency field for them (`fixed_agency`)."""

    what = forms.ChoiceField(
        label="What went",
        error_messages={
            "required": "Choose the published report or learning briefing that went",
            "invalid_choice": "Choose the published report or learning briefing that went",
        },
    )
    channel = forms.ChoiceField(
        label="Where it went",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where it went: a team meeting, a newsletter, training …",
            "invalid_choice": "Choose where it went: a team meeting, a newsletter, training …",
        },
    )
    recipient = forms.CharField(
        label="Where, in words",
        max_length=200,
        required=False,
        help_text="The team, the newsletter, the course (needed for “Other”)",
        error_messages={"max_length": "Say where it went in at most 200 characters"},
    )
    agency = _AgencyChoice(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Not one agency's",
        help_text="The agency whose staff it reached, if one",
    )
    sent_on = _date("Date", "Enter the date it went")
    people_reached = forms.IntegerField(
        label="People reached",
        help_text="How many people it reached, as a whole number (0 if you do not know)",
        error_messages={
            "required": "Enter how many people it reached, as a whole number",
            "invalid": "Enter how many people it reached, as a whole number, like 12",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    note = forms.CharField(label="Note (optional)", max_length=500, required=False)

    def __init__(self, *args, audit, fixed_agency=False, **kwargs):
        super().__init__(*args, auto_id="dissemination-%s", **kwargs)
        self.things = {
            f"report-{edition.pk}": edition
            for edition in audit.report_editions.order_by("-number").defer("document")
        }
        self.things.update(
            {
                f"briefing-{edition.pk}": edition
                for edition in audit.briefing_editions.order_by("-number").defer("document")
            }
        )
        self.fields["what"].choices = [
            (key, f"Learning briefing, edition {thing.number}")
            if key.startswith("briefing")
            else (key, f"Summary report, edition {thing.number}")
            for key, thing in sorted(self.things.items(), key=lambda kv: not kv[0].startswith("b"))
        ]
        if fixed_agency:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = Agency.objects.filter(
                partnership_id=audit.partnership_id
            ).order_by(*partnership_order())

    def clean_what(self):
        return self.things[self.cleaned_data["what"]]

    def clean_people_reached(self):
        value = self.cleaned_data["people_reached"]
        if value is not None and value < 0:
            raise forms.ValidationError("The number of people reached cannot be negative")
        return value

    @staticmethod
    def key_of(row) -> str:
        return f"briefing-{row.briefing_id}" if row.briefing_id else f"report-{row.edition_id}"


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Why", max_length=500, error_messages={"required": "Say why"})
