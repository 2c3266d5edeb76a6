"""Forms of the cases pages: upload candidates, draw the sample, add a case, swap a case,
change a case's profile."""

from django import forms

from maca import profiles
from maca.partnerships.models import Agency, Area

from . import sampling


class CandidatesUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file of candidate cases",
        help_text=f"CSV UTF-8 (comma separated), {sampling.LIMITS}.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file of candidate cases"},
    )

    def clean_file(self) -> bytes:
        # One byte past the limit is enough for the service to say the file is too large.
        return self.cleaned_data["file"].read(sampling.MAX_FILE_BYTES + 1)


class SampleDrawForm(forms.Form):
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text=(
            "Leave empty for a random draw; the seed used is recorded so the draw can be repeated"
        ),
        error_messages={"invalid": "Enter the seed as a whole number, like 8120453"},
        # Text, not type=number: browsers round or step numbers this long.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CaseAddForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        empty_label="Choose an area",
        error_messages={"required": "Choose the case's area"},
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies involved",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Each agency is asked to audit the case.",
        error_messages={"required": "Select at least one agency involved in the case"},
    )

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(partnership=audit.partnership)
        self.fields["agencies"].queryset = Agency.objects.filter(partnership=audit.partnership)


class ReplacementField(forms.ModelChoiceField):
    def __init__(self, *args, agencies: dict[str, str], **kwargs):
        self.agencies = agencies
        super().__init__(*args, **kwargs)

    def label_from_instance(self, candidate) -> str:
        involved = ", ".join(self.agencies.get(pk, "?") for pk in candidate.record_numbers)
        return f"Line {candidate.line}: {candidate.area.name} — {involved}"


class CaseSwapForm(forms.Form):
    reason = forms.CharField(
        label="Why is the case swapped?",
        widget=forms.Textarea,
        required=False,  # the service's rule, with its message, applies
        help_text="Kept in the audit's change history.",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(partnership_id=case.partnership_id)
        self.fields["replacement"] = ReplacementField(
            queryset=sampling.undrawn_candidates(case.audit).select_related("area"),
            agencies={str(agency.pk): agency.name for agency in agencies},
            label="Candidate to swap in",
            required=False,
            empty_label="None: swap the case out without a replacement",
            help_text="A candidate that has not been drawn or swapped out, of any area.",
        )
        self.order_fields(["replacement", "reason"])


class CaseProfileForm(forms.Form):
    """One radio group per profile field the partnership records, "Not recorded" first."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, initial=case.profile(), **kwargs)
        for field in case.audit.partnership.profile_field_list():
            self.fields[field.value] = forms.ChoiceField(
                label=field.label,
                choices=[("", profiles.NOT_RECORDED), *field.choices_class.choices],
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": f"Choose the {field.label.lower()} from the list, or not "
                    "recorded"
                },
            )
