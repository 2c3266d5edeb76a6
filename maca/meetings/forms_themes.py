"""The form of an audit theme: its title, description, kind and library theme."""

from typing import cast

from django import forms

from maca.partnerships.models import LibraryTheme, Partnership

from .models import AuditTheme, ThemeKind


class _LibraryThemeField(forms.ModelChoiceField):
    def label_from_instance(self, library_theme):
        return library_theme.title


class ThemeForm(forms.Form):
    """`partnership`'s library fills the library theme's choices; `theme` (when editing) the
    initial values."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, weak information sharing with GPs",
        error_messages={
            "required": "Enter the theme's title",
            "max_length": "The theme's title must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea,
        help_text="Optional: what the meeting found across the cases",
    )
    kind = forms.ChoiceField(
        label="Is this theme a strength or an area for improvement?",
        choices=ThemeKind.choices,
        initial=ThemeKind.CONCERN,
        required=False,  # left unchosen, an area for improvement, as themes were before
        widget=forms.RadioSelect,
        help_text="The report says which",
        error_messages={
            "invalid_choice": "Choose whether the theme is a strength or an area for improvement",
        },
    )
    library_theme = _LibraryThemeField(
        label="Library theme",
        queryset=LibraryTheme.objects.none(),
        required=False,
        empty_label="None",
        help_text="Link it to a theme of the partnership's library to follow it across audits",
        error_messages={"invalid_choice": "Choose a theme from the partnership's library"},
    )
    new_library_title = forms.CharField(
        label="Or add a new library theme",
        required=False,
        max_length=200,
        help_text="Optional: its title, if the library does not have this theme yet",
        error_messages={"max_length": "The library theme's title must be 200 characters or fewer"},
    )

    confirm_new_library = forms.BooleanField(
        label="Make it a new library theme all the same",
        required=False,
        help_text="Only when the library's close theme is not the same finding",
    )

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or ThemeKind.CONCERN

    def __init__(self, data=None, *, partnership: Partnership, theme: AuditTheme | None = None):
        initial = {}
        if theme is not None:
            initial = {
                "title": theme.title,
                "description": theme.description,
                "kind": theme.kind,
                "library_theme": theme.library_theme_id,
            }
        super().__init__(data, initial=initial)
        # Merged themes live on as the theme they went into: only themes in use are offered.
        library_theme = cast(forms.ModelChoiceField, self.fields["library_theme"])
        library_theme.queryset = partnership.library_themes.live().order_by("title")
