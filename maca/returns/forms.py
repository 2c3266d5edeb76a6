import datetime

from django import forms
from django.core import signing

from maca.audits.answers import NOT_APPLICABLE, NOT_APPLICABLE_LABEL, answer_options, parse_date
from maca.audits.models import QuestionKind
from maca.forms import DateField
from maca.grades import Grade

from .services import CONTENT, ReturnContent

OWNER_SALT = "maca.returns.owner"


class ReturnForm(forms.Form):
    """The agency's return: one field per question of the audit's tool, then the return's own.

    Every field is optional here: a draft may hold anything. What submission needs is the
    service's rule (`missing_for_submission`), shown on these fields by name.
    """

    not_scored = Grade.NOT_SCORED.value  # the choice that reveals "If not scored, why?"

    grade = forms.ChoiceField(
        label="Your agency's grade of its own involvement",
        choices=Grade.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    grade_reason = forms.CharField(
        label="If not scored, why?",
        help_text="For example: insufficient information to grade.",
        widget=forms.Textarea,
        required=False,
    )
    good_practice = forms.CharField(label="Good practice", widget=forms.Textarea, required=False)
    areas_for_development = forms.CharField(
        label="Areas for development", widget=forms.Textarea, required=False
    )
    learning = forms.CharField(
        label="Single-agency learning", widget=forms.Textarea, required=False
    )
    immediate_action = forms.BooleanField(
        label="Immediate action required",
        help_text="Tick if the child may not be safe now. Your agency lead and the "
        "partnership's coordinator are told at once.",
        required=False,
    )
    immediate_action_description = forms.CharField(
        label="What immediate action is required?",
        help_text="Only if you ticked “Immediate action required”.",
        widget=forms.Textarea,
        required=False,
    )
    agency_record_number = forms.CharField(
        label="Your agency's record number for this case (optional)",
        help_text="Only your agency sees it.",
        max_length=64,
        required=False,
    )
    # The version the person started from, and who they were (to keep typing across sign-in).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    owner = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answer_fields = {}
        for question in self.questions:
            answer_fields[f"answer_{question.key}"] = _answer_field(question)
            if _has_not_applicable_box(question):
                answer_fields[f"answer_{question.key}_not_applicable"] = forms.BooleanField(
                    label=NOT_APPLICABLE_LABEL, required=False
                )
        # Answers first, in the tool's order.
        self.fields = answer_fields | dict(self.fields)

    @property
    def answer_fields(self):
        """Each question's field, with its "Not applicable" box (free text and dates that
        allow it; the other kinds offer it among their choices) or None."""
        return [
            (
                self[f"answer_{question.key}"],
                self[f"answer_{question.key}_not_applicable"]
                if _has_not_applicable_box(question)
                else None,
            )
            for question in self.questions
        ]

    def _answer(self, question) -> str:
        data = self.cleaned_data
        if data.get(f"answer_{question.key}_not_applicable"):
            return NOT_APPLICABLE
        value = data.get(f"answer_{question.key}")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value or ""

    def content(self) -> ReturnContent:
        data = self.cleaned_data
        return ReturnContent(
            answers={q.key: self._answer(q) for q in self.questions},
            agency_record_number=data.get("agency_record_number") or "",
            **{name: data.get(name) or "" for name in CONTENT if name != "immediate_action"},
            immediate_action=bool(data.get("immediate_action")),
        )


def _has_not_applicable_box(question) -> bool:
    return question.allows_not_applicable and not answer_options(question)


def _answer_field(question) -> forms.Field:
    """The field for one question, by its kind; the question's guidance is its hint."""
    label, hint = question.text, question.guidance
    if question.kind == QuestionKind.DATE:
        # The date input's hint goes on with ". For example, 27 3 2027".
        return DateField(label=label, help_text=hint.rstrip(". "), required=False)
    if options := answer_options(question):
        return forms.ChoiceField(
            label=label,
            help_text=hint,
            choices=options,
            widget=forms.RadioSelect,
            required=False,
            error_messages={"invalid_choice": _not_an_option(question)},
        )
    return forms.CharField(label=label, help_text=hint, widget=forms.Textarea, required=False)


def _not_an_option(question) -> str:
    if question.kind == QuestionKind.SCALE:
        return f"The answer to “{question.text}” must be a number from 1 to 5"
    return f"Choose one of the answers to “{question.text}”"


def _initial_answer(question, value: str) -> dict:
    name = f"answer_{question.key}"
    if value == NOT_APPLICABLE and _has_not_applicable_box(question):
        return {f"{name}_not_applicable": True}
    if question.kind == QuestionKind.DATE:
        return {name: parse_date(value)}
    return {name: value}


def initial_for(return_, request) -> dict:
    """The form's starting values from the saved return (or a blank one)."""
    initial = {"agency_record_number": request.agency_record_number, "version": None}
    if return_ is None:
        return initial
    initial["version"] = return_.version
    questions = {question.key: question for question in request.audit.questions.all()}
    for key, value in return_.answers.items():
        if key in questions:
            initial |= _initial_answer(questions[key], value)
    initial |= {name: getattr(return_, name) for name in CONTENT}
    return initial


def owner_token(user) -> str:
    return signing.dumps(user.pk, salt=OWNER_SALT)


def owner_of(token: str) -> int | None:
    try:
        return signing.loads(token, salt=OWNER_SALT, max_age=60 * 60 * 24 * 7)
    except signing.BadSignature:
        return None


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What needs clarifying?",
        help_text="The agency sees this comment on its return.",
        widget=forms.Textarea,
    )


class HandleForm(forms.Form):
    note = forms.CharField(
        label="What was done about the immediate action?",
        widget=forms.Textarea,
    )
