"""Forms for planning an audit: its details and sample plan, and its audit tool's questions."""

from django import forms
from django.template.defaultfilters import pluralize

from maca import links
from maca.forms import DateField

from . import answers
from .models import Audit, AuditReason, QuestionKind
from .planning import MAX_CASES_PER_AREA


def _date_field(label: str, help_text: str) -> DateField:
    return DateField(label=label, help_text=help_text, required=False)


class WebAddressField(forms.URLField):
    """A web address: Django's URL field, but only the web's two schemes (maca/links.py), not
    the ftp:// and ftps:// it also takes."""

    default_validators = [links.web_address]


class AuditForm(forms.Form):
    """An audit's details and, while it is planned, one "Cases from <area>" field per area.

    `areas` are the partnership's areas; `audit` (when editing) fills the initial values;
    `with_sample_plan=False` leaves the plan's fields out (once requests have been sent).
    """

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the audit's title"},
    )
    theme = forms.CharField(
        label="Theme",
        max_length=200,
        help_text="For example, neglect, or transitions to adult services",
        error_messages={"required": "Enter the audit's theme"},
    )
    reason = forms.ChoiceField(
        label="Why this audit is in the programme",
        choices=AuditReason.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="The audit programme shows it beside the audit",
        error_messages={"invalid_choice": "Choose why the audit is held from the list"},
    )
    rationale = forms.CharField(
        label="Why it was chosen",
        required=False,
        widget=forms.Textarea,
        help_text=(
            "For example, a priority in an Ofsted improvement plan, or a Serious Case Review "
            "recommendation"
        ),
    )
    rationale_link = WebAddressField(
        label="Link",
        required=False,
        max_length=links.MAX_LINK,
        help_text="Optional: a link to the plan, review or recommendation",
        error_messages={"invalid": links.NOT_A_WEB_ADDRESS, "max_length": links.TOO_LONG},
    )
    returns_due = _date_field("Returns due", "The date agencies' returns are due")
    meeting_date = _date_field("Meeting date", "The date of the multi-agency audit meeting")

    DETAILS: tuple[str, ...] = (
        "title",
        "theme",
        "reason",
        "rationale",
        "rationale_link",
        "returns_due",
        "meeting_date",
    )

    def __init__(self, data=None, *, areas, audit: Audit | None = None, with_sample_plan=True):
        initial = {}
        if audit is not None:
            initial = {
                "title": audit.title,
                "theme": audit.theme,
                "reason": audit.reason,
                "rationale": audit.rationale,
                "rationale_link": audit.rationale_link,
                "returns_due": audit.returns_due,
                "meeting_date": audit.meeting_date,
            }
        super().__init__(data, initial=initial)
        self.areas = list(areas) if with_sample_plan else []
        planned = {e.area_id: e.cases for e in audit.sample_plan.all()} if audit else {}
        for area in self.areas:
            self.fields[self.area_field(area)] = forms.IntegerField(
                label=f"Cases from {area.name}",
                min_value=0,
                max_value=MAX_CASES_PER_AREA,
                initial=planned.get(area.pk, 0),
                error_messages={
                    "required": f"Enter the number of cases from {area.name}, or 0",
                    "invalid": f"Cases from {area.name} must be a whole number",
                    "min_value": f"Cases from {area.name} must be 0 or more",
                    "max_value": f"Cases from {area.name} must be {MAX_CASES_PER_AREA} or fewer",
                },
            )

    @staticmethod
    def area_field(area) -> str:
        return f"area_{area.pk}"

    def plan_fields(self):
        return [self[self.area_field(area)] for area in self.areas]

    def audit_fields(self) -> dict:
        """The cleaned values as the planning services take them."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.DETAILS}
        if self.areas:
            fields["sample_plan"] = {area: data[self.area_field(area)] for area in self.areas}
        return fields


class ReauditForm(AuditForm):
    """A re-audit's details: an audit's, but for the theme, which is the earlier audit's."""

    DETAILS = ("title", "rationale", "rationale_link", "returns_due", "meeting_date")

    def __init__(self, data=None, *, areas, earlier: Audit):
        super().__init__(data, areas=areas)
        del self.fields["theme"]
        del self.fields["reason"]  # a re-audit due, always
        held = f", held in {earlier.meeting_date:%B %Y}" if earlier.meeting_date else ""
        self.fields["title"].initial = f"{earlier.title}: re-audit"
        why = f"A re-audit of ‘{earlier.title}’{held}: did its recommendations make a difference?"
        self.fields["rationale"].initial = why
        planned = {e.area_id: e.cases for e in earlier.sample_plan.all()}
        for area in self.areas:
            self.fields[self.area_field(area)].initial = planned.get(area.pk, 0)


class QuestionForm(forms.Form):
    """A question of the audit tool. The options and the scale's words are used only by their
    kind; the service (`planning._checked_question`) checks them and names the field."""

    text = forms.CharField(
        label="Question",
        widget=forms.Textarea,
        error_messages={"required": "Enter the question"},
    )
    kind = forms.ChoiceField(
        label="Kind of answer",
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of answer"},
    )
    options = forms.CharField(
        label="Options (for one choice from a list)",
        help_text=(
            f"One option per line, {answers.FEWEST_OPTIONS} to {answers.MOST_OPTIONS}, each "
            f"{answers.LONGEST_OPTION} characters or fewer"
        ),
        widget=forms.Textarea,
        required=False,
    )
    scale_label_1 = forms.CharField(
        label="What 1 means (for a scale, optional)",
        help_text="For example, not at all",
        max_length=answers.LONGEST_SCALE_LABEL,
        required=False,
        error_messages={
            "max_length": f"What 1 means must be {answers.LONGEST_SCALE_LABEL} characters or fewer"
        },
    )
    scale_label_5 = forms.CharField(
        label="What 5 means (for a scale, optional)",
        help_text="For example, fully",
        max_length=answers.LONGEST_SCALE_LABEL,
        required=False,
        error_messages={
            "max_length": f"What 5 means must be {answers.LONGEST_SCALE_LABEL} characters or fewer"
        },
    )
    allows_not_applicable = forms.BooleanField(
        label="Agencies may answer “not applicable”", required=False
    )
    guidance = forms.CharField(
        label="Guidance (optional)",
        help_text=(
            "Shown under the question on the return form: what a good answer covers. "
            f"{answers.LONGEST_GUIDANCE:,} characters or fewer"
        ),
        max_length=answers.LONGEST_GUIDANCE,
        widget=forms.Textarea,
        required=False,
        error_messages={
            "max_length": f"Guidance must be {answers.LONGEST_GUIDANCE:,} characters or fewer"
        },
    )

    key_measure = forms.BooleanField(
        label="Key measure",
        help_text="Its answers are counted in the report's key measures. Only for a question "
        "with answers to choose from: yes, no or partly, a grade, a choice or a scale.",
        required=False,
    )

    @staticmethod
    def initial_for(question) -> dict:
        return {
            "text": question.text,
            "kind": question.kind,
            "options": "\n".join(question.options),
            "scale_label_1": question.scale_labels.get("1", ""),
            "scale_label_5": question.scale_labels.get("5", ""),
            "allows_not_applicable": question.allows_not_applicable,
            "guidance": question.guidance,
            "key_measure": question.key_measure,
        }

    def question_fields(self) -> dict:
        """The cleaned values as `planning.question_add` and `question_update` take them."""
        data = self.cleaned_data
        return {
            "text": data["text"],
            "kind": data["kind"],
            "options": answers.options_from_lines(data["options"]),
            "scale_labels": {"1": data["scale_label_1"], "5": data["scale_label_5"]},
            "allows_not_applicable": data["allows_not_applicable"],
            "guidance": data["guidance"],
            "key_measure": data["key_measure"],
        }


class _AuditChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, audit):
        count = getattr(audit, "question_count", None)
        if count is None:
            return audit.title
        return f"{audit.title} ({count} question{pluralize(count)})"


class CopyQuestionsForm(forms.Form):
    """Choose one of `sources` (the partnership's other audits that have questions)."""

    source = _AuditChoiceField(
        label="Audit to copy from",
        queryset=Audit.objects.none(),
        empty_label="Choose an audit",
        error_messages={
            "required": "Choose the audit to copy questions from",
            "invalid_choice": "Choose one of the partnership's audits",
        },
    )

    def __init__(self, data=None, *, sources):
        super().__init__(data)
        self.fields["source"].queryset = sources


class LegalHoldForm(forms.Form):
    """Put the audit on legal hold, or lift the hold (`hold`: what the button asked)."""

    hold = forms.ChoiceField(choices=[("on", "on"), ("off", "off")], widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Reason",
        help_text=(
            "For example, the court case or inquiry that needs the audit's records. The change "
            "history keeps it."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )
