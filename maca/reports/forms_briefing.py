from django import forms

from .models import BriefingPart
from .models_briefing import Briefing


class BriefingForm(forms.Form):
    """The seven parts' words, and the version they were read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="briefing-%s", **kwargs)
        for part in BriefingPart:
            self.fields[part.value] = forms.CharField(
                label=str(part.label),
                required=False,
                max_length=Briefing.PART_MAX,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={
                    "max_length": f"{part.label} can hold at most {Briefing.PART_MAX:,} "
                    "characters: a part of a one-page briefing is a few lines."
                },
            )
        self.fields["version"] = self.fields.pop("version")

    def parts(self) -> dict[str, str]:
        return {part.value: self.cleaned_data[part.value] for part in BriefingPart}


class BriefingVersionForm(forms.Form):
    """Drafting again or publishing names the version read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
