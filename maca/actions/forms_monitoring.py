"""The monitoring page's filters: a GET form whose choices come from the viewer's own actions."""

from typing import cast

from django import forms

from .selectors import SHOW_ALL, SHOW_OPEN, MonitoringOptions

ANY = ""
IMMEDIATE_CHOICES = [
    (ANY, "All actions"),
    ("yes", "Immediate actions only"),
    ("no", "Actions from recommendations only"),
]
SHOW_CHOICES = [(SHOW_OPEN, "Open actions"), (SHOW_ALL, "All actions, including complete")]


class MonitoringFilterForm(forms.Form):
    """Every value must be one the viewer was offered: anything else (another partnership's
    audit, an agency an agency user may not choose, a word where a number goes) is an error
    on that field, never a wider or narrower list."""

    audit = forms.ChoiceField(
        label="Audit",
        required=False,
        error_messages={"invalid_choice": "Choose an audit from the list"},
    )
    agency = forms.ChoiceField(
        label="Agency",
        required=False,
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    theme = forms.ChoiceField(
        label="Theme",
        required=False,
        error_messages={"invalid_choice": "Choose a theme from the list"},
    )
    immediate = forms.ChoiceField(
        label="Kind of action",
        required=False,
        choices=IMMEDIATE_CHOICES,
        error_messages={"invalid_choice": "Choose a kind of action from the list"},
    )
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=SHOW_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose open actions or all actions"},
    )

    def __init__(self, query, *, options: MonitoringOptions, may_choose_agency: bool):
        data = query.copy()
        if not data.get("show"):
            data["show"] = SHOW_OPEN
        super().__init__(data)
        self.options = options
        self.may_choose_agency = may_choose_agency
        self._audits = {str(audit.pk): audit for audit in options.audits}
        self._agencies = {str(agency.pk): agency for agency in options.agencies}
        cast(forms.ChoiceField, self.fields["audit"]).choices = [(ANY, "All audits")] + [
            (pk, audit.title) for pk, audit in self._audits.items()
        ]
        cast(forms.ChoiceField, self.fields["agency"]).choices = [(ANY, "All agencies")] + [
            (pk, agency.name) for pk, agency in self._agencies.items()
        ]
        if not may_choose_agency:
            self.fields["agency"].error_messages["invalid_choice"] = (
                "You can only see your own agency's actions"
            )
        cast(forms.ChoiceField, self.fields["theme"]).choices = [(ANY, "All themes")] + [
            (title, title) for title in options.themes
        ]

    def selection(self) -> dict:
        """The chosen filters, as `selectors.monitoring_rows` takes them."""
        data = self.cleaned_data
        return {
            "audit": self._audits.get(data["audit"]),
            "agency": self._agencies.get(data["agency"]),
            "theme": data["theme"] or None,
            "immediate": {"yes": True, "no": False}.get(data["immediate"]),
            "show": data["show"] or SHOW_OPEN,
        }

    def summary(self) -> str:
        """The filters in words, for the Word file: "Open actions; audit: Neglect; …"."""
        chosen = self.selection()
        parts = [dict(SHOW_CHOICES)[chosen["show"]]]
        if chosen["immediate"] is not None:
            parts.append(dict(IMMEDIATE_CHOICES)["yes" if chosen["immediate"] else "no"])
        if chosen["audit"]:
            parts.append(f"audit: {chosen['audit'].title}")
        if chosen["agency"]:
            parts.append(f"agency: {chosen['agency'].name}")
        elif not self.may_choose_agency and self.options.agencies:
            parts.append(f"agency: {self.options.agencies[0].name}")
        if chosen["theme"]:
            parts.append(f"theme: {chosen['theme']}")
        return "; ".join(parts)
