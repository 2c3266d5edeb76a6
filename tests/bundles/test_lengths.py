"""The bundle's JSON Schema carries the length limit of every column a bundle fills, so a bundle
holding a name too long to keep is refused naming its path, before anything is written. (On
PostgreSQL a too long area name used to reach the database: a 500 through the API.)

Which columns a bundle fills is found, not listed: a bundle is imported, and every limited
column of every row it wrote is matched with the places in the bundle that hold its value."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from maca.audits.models import Audit
from maca.bundles.services import bundle_import
from maca.bundles.validation import format_path, validate_bundle
from tests.support.bundles import padded, with_value

from .samples import small_bundle

pytestmark = pytest.mark.django_db

# Limited columns of imported rows that a bundle never fills: the import or a later step sets
# them (an agency's own record numbers never travel in a bundle; the purge names its run; a
# coordinator gives an agency its contact address).
NOT_FROM_A_BUNDLE = {
    ("audits.Request", "agency_record_number"),
    ("audits.Audit", "purge_run"),
    ("partnerships.Agency", "contact_email"),
}


def _texts(data, parts=()):
    """(path, text) for every text in the bundle, keys of objects included."""
    if isinstance(data, str):
        yield format_path(parts), data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield format_path(parts), key
            yield from _texts(value, (*parts, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*parts, index))


def _limited_columns(model) -> list[models.Field]:
    """Text columns with a length limit that hold what someone typed (not a choice)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField) and field.max_length and not field.choices
    ]


def _sample() -> dict:
    """The sample bundle, its recommendation with a success measure (so that its key question's
    column is filled too)."""
    bundle = small_bundle()
    bundle["recommendations"][0] |= {
        "success_measure": "A transition plan by 16 in at least 80% of returns",
        "success_question": "q2",
        "success_options": ["yes"],
        "success_target": 80,
    }
    return bundle


def filled_columns() -> dict[tuple[str, str], tuple[int, str]]:
    """(model, field) -> (its length limit, a value of the sample bundle it was filled from),
    for every limited column of every row the import writes; and those it writes that no
    value of the bundle filled."""
    bundle = _sample()
    texts = {text for _, text in _texts(bundle)}
    bundle_import(data=bundle)
    filled, unfilled = {}, set()
    for model in apps.get_models():
        if model._meta.app_label == "history" or not model.__module__.startswith("maca."):
            continue  # the history keeps what it is told, cut to fit (`object_repr`)
        if not model.objects.exists():
            continue
        for field in _limited_columns(model):
            values = set(model.objects.values_list(field.attname, flat=True)) - {"", None}
            from_bundle = sorted(values & texts)
            key = (model._meta.label, field.name)
            if from_bundle:
                filled[key] = (field.max_length, from_bundle[0])
            else:
                unfilled.add(key)
    return filled, unfilled


def test_every_column_a_bundle_fills_is_found():
    filled, unfilled = filled_columns()
    # What the sample bundle fills: if a column is added, the sample must fill it too.
    assert unfilled <= NOT_FROM_A_BUNDLE, f"the sample bundle fills none of {unfilled}"
    assert {
        ("partnerships.Partnership", "name"),
        ("partnerships.Area", "name"),
        ("partnerships.Agency", "name"),
        ("audits.Audit", "title"),
        ("actions.Action", "owner"),
    } <= set(filled)


def test_the_schema_holds_every_columns_length_limit():
    filled, _ = filled_columns()
    bundle = _sample()
    for (model, field), (limit, value) in sorted(filled.items()):
        paths = {path for path, text in _texts(bundle) if text == value}
        # As long as the column keeps: valid.
        assert validate_bundle(with_value(bundle, value, padded(value, limit))) == [], (
            model,
            field,
        )
        # One character more: refused, naming every place the value is and the limit.
        errors = validate_bundle(with_value(bundle, value, padded(value, limit + 1)))
        too_long = {error.path for error in errors if f"{limit:,}" in error.message}
        assert paths <= too_long, (model, field, paths, errors)


def test_a_title_too_long_to_keep_is_refused_by_the_command(tmp_path):
    bundle = small_bundle()
    bundle["audit"]["title"] = "T" * 201
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))

    refused = r"audit\.title: is 201 characters long; at most 200 are allowed"
    with pytest.raises(CommandError, match=refused):
        call_command("import_bundle", str(path), stdout=io.StringIO())
    assert not Audit.objects.exists()
