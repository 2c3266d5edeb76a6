"""Forms for the meeting and the walk through its cases.

Several forms share a page, so each gets its own `auto_id` (ids stay unique) while the field
names stay plain (`grade`, `reason`): a service's `DomainError(field=…)` lands on its field.
"""

from django import forms
from django.utils import timezone

from maca.forms import DateField
from maca.grades import Grade
from maca.partnerships.models import Agency
from maca.returns.models import Return

from .models import PointKind


def _date(label: str, required_message: str) -> DateField:
    return DateField(label=label, required_message=required_message)


class _AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, agency):
        return agency.name


class _FlagChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, flag):
        handled = timezone.localtime(flag.immediate_action_handled_at)
        by = flag.immediate_action_handled_by
        return (
            f"What was done about {flag.request.agency.name}'s flag (handled on "
            f"{handled:%-d %B %Y}{f' by {by.name}' if by and by.name else ''}): "
            f"{flag.immediate_action_handling}"
        )


class MeetingForm(forms.Form):
    held_on = _date("Date of the meeting", "Enter the date of the meeting")
    location = forms.CharField(
        label="Where",
        required=False,
        max_length=200,
        help_text="Optional: a room, or how to join online",
        error_messages={"max_length": "Keep the location to 200 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="meeting-%s", **kwargs)


class AttendeeForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=150,
        error_messages={
            "required": "Enter the attendee's name",
            "max_length": "Keep the name to 150 characters or fewer",
        },
    )
    agency = _AgencyChoice(
        label="Agency",
        required=False,
        queryset=Agency.objects.none(),
        empty_label="No agency (for example, the chair)",
        error_messages={"invalid_choice": "Choose one of the partnership's agencies"},
    )

    def __init__(self, data=None, *, agencies):
        super().__init__(data, auto_id="attendee-%s")
        self.fields["agency"].queryset = agencies


class RatifyForm(forms.Form):
    grade = forms.ChoiceField(
        label="The meeting's grade",
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the meeting's grade, or not scored",
            "invalid_choice": "Choose the meeting's grade, or not scored",
        },
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea,
        help_text="Needed when you change the proposed grade or do not score the case",
    )
    record_flags = _FlagChoice(
        label="Immediate action already taken",
        required=False,
        queryset=Return.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Confirm what was done about a flag as the case's immediate action: it is recorded "
            "as complete, with the agency that flagged it. An inadequate case needs an "
            "immediate action."
        ),
        error_messages={
            "invalid_choice": "Choose a handled flag of this case that is not yet an immediate "
            "action"
        },
    )

    held_on = DateField(
        label="Date the meeting was held",
        required_message="Enter the date the meeting was held",
        help_text="The audit has no meeting date recorded",
    )

    def __init__(self, *args, flags, ask_held_on=False, **kwargs):
        """`flags`: the case's handled flags not yet recorded as immediate actions; without
        any, the form does not offer them. `ask_held_on`: the last case to ratify, and the
        audit has no meeting date: the form asks when the meeting was held."""
        super().__init__(*args, auto_id="ratify-%s", **kwargs)
        if flags:
            self.fields["record_flags"].queryset = flags
        else:
            del self.fields["record_flags"]
        if not ask_held_on:
            del self.fields["held_on"]


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label="Why unlock it?",
        widget=forms.Textarea,
        help_text=(
            "The agencies' returns can change again, and the meeting must ratify the case "
            "again. The reason is kept in the change history."
        ),
        error_messages={"required": "Say why the case is being unlocked"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="unlock-%s", **kwargs)


class PointForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of point",
        choices=PointKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose good practice, a concern or a note",
            "invalid_choice": "Choose good practice, a concern or a note",
        },
    )
    text = forms.CharField(
        label="Point", widget=forms.Textarea, error_messages={"required": "Enter the point"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="point-%s", **kwargs)


class ImmediateActionForm(forms.Form):
    agency = _AgencyChoice(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        help_text="One of the agencies involved in the case",
        error_messages={
            "required": "Choose the agency that will act",
            "invalid_choice": "Choose one of the agencies involved in the case",
        },
    )
    owner = forms.CharField(
        label="Named owner",
        max_length=150,
        help_text="The person in that agency who will make sure it happens",
        error_messages={
            "required": "Enter the name of the person who owns the action",
            "max_length": "Keep the owner's name to 150 characters or fewer",
        },
    )
    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea,
        error_messages={"required": "Describe what will be done to make the child safe now"},
    )
    due = _date("Due date", "Enter the date the action is due")

    def __init__(self, data=None, *, agencies, **kwargs):
        super().__init__(data, auto_id="action-%s", **kwargs)
        self.fields["agency"].queryset = agencies
