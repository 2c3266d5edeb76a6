"""Forms of the theme library: a theme's title and description, and merging two themes."""

from typing import cast

from django import forms

from maca.partnerships.models import LibraryTheme

from .library import TITLE_MAX


class LibraryThemeForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        help_text="For example, information sharing with GPs",
        error_messages={
            "required": "Enter the theme's title",
            "max_length": f"The theme's title must be {TITLE_MAX} characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea,
        help_text="Optional: what the finding is, so that audits link to it in the same way",
    )


class LibraryThemeEditForm(LibraryThemeForm):
    """The theme's fields and the version the change started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class _ThemeChoice(forms.ModelChoiceField):
    def label_from_instance(self, theme):
        return theme.title


class MergeForm(forms.Form):
    """Which live theme of the same library `source` goes into, and why."""

    target = _ThemeChoice(
        label="Merge it into",
        queryset=LibraryTheme.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the theme to merge it into",
            "invalid_choice": "Choose one of the library's other themes in use",
        },
    )
    reason = forms.CharField(
        label="Why merge them",
        widget=forms.Textarea,
        help_text="Kept in the change history with every change the merge makes",
        error_messages={"required": "Give the reason for merging the themes"},
    )

    def __init__(self, data=None, *, source: LibraryTheme, themes, **kwargs):
        super().__init__(data, **kwargs)
        # The themes it may go into: the library's others in use.
        self.targets = themes.live().exclude(pk=source.pk).order_by("title")
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = self.targets
