"""The form of the page that loads past audits from the Excel template."""

from django import forms

from maca.uploads.limits import XLSX_MAX_BYTES, size_words

from . import spreadsheet


class HistoryUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the filled-in template",
        help_text=(
            f"Excel workbook (.xlsx), up to {size_words(XLSX_MAX_BYTES)} and "
            f"{spreadsheet.MAX_CASES} cases."
        ),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{spreadsheet.CONTENT_TYPE}"}),
        error_messages={"required": "Choose the filled-in template (.xlsx)"},
    )

    def clean_file(self) -> bytes:
        # One byte past the limit is enough for the service to say the file is too large.
        return self.cleaned_data["file"].read(XLSX_MAX_BYTES + 1)
