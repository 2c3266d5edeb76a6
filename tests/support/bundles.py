"""Helpers for the bundle and past-audit tests: row counts, a bundle's refusals, a bundle with a
text replaced or padded, and the past-audit template filled in."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from maca.actions.models import Action
from maca.audits.models import Audit, Case, Request
from maca.bundles.services import bundle_import
from maca.bundles.spreadsheet import history_template
from maca.bundles.validation import InvalidBundle
from maca.history.models import ChangeRecord
from maca.meetings.models import AuditTheme, Ratification
from maca.partnerships.models import Agency, Area, LibraryTheme, Partnership
from maca.returns.models import Return

ALL_MODELS = [
    Partnership,
    Area,
    Agency,
    LibraryTheme,
    Audit,
    Case,
    Request,
    Return,
    Ratification,
    AuditTheme,
    Action,
    ChangeRecord,
]


def counts():
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def errors_of(bundle) -> list[str]:
    with pytest.raises(InvalidBundle) as raised:
        bundle_import(data=bundle)
    return [str(e) for e in raised.value.errors]


def with_value(bundle, old: str, new: str):
    """The bundle with every text equal to `old` (keys too) made `new`, so that the names it
    declares and the places that name them still agree."""
    if bundle == old:
        return new
    if isinstance(bundle, dict):
        return {new if k == old else k: with_value(v, old, new) for k, v in bundle.items()}
    if isinstance(bundle, list):
        return [with_value(v, old, new) for v in bundle]
    return bundle


def padded(value: str, length: int) -> str:
    # "x" keeps a case reference, a question key and a link valid as anything but too long.
    return value + "x" * (length - len(value))


# Area, CSC, Police, Health, ratified, reason, themes: labels, machine names, any capitals.
ROWS = [
    ["East", "Good", "Requires improvement", None, "Requires improvement", None,
     "Information sharing; Engagement"],
    ["East", "good", "Good", "Outstanding", "Good", None, "Engagement"],
    ["North", "Inadequate", "inadequate", None, "Inadequate", None, "Information sharing"],
    ["North", "requires_improvement", None, "Good", "Requires improvement", None, ""],
    ["Central", "Not scored", "Good", None, "Not scored", "Insufficient information to grade",
     "information sharing"],
    ["Central", "Outstanding", None, None, "Outstanding", None, None],
]  # fmt: skip


TITLE = "Children in need (2016)"


def filled(partnership, rows=ROWS, *, audit=None, cases=None) -> bytes:
    """The partnership's template, filled in as a partnership would: `audit` and `cases` map
    cells ("B2") to values, over the defaults."""
    workbook = load_workbook(io.BytesIO(history_template(partnership)))
    details = {
        "B2": TITLE,
        "B3": "Children in need",
        "B4": "A priority in the Ofsted improvement plan",
        "B5": "https://example.org/plan",
        "B6": datetime.datetime(2016, 11, 20),
    }
    for cell, value in (details | (audit or {})).items():
        workbook["Audit"][cell] = value
    sheet = workbook["Cases"]
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    for cell, value in (cases or {}).items():
        sheet[cell] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
