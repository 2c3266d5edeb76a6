"""bundle_shift_dates: every date of a bundle moves by the same days, and nothing else does."""

import datetime
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maca.bundles.services import bundle_export, bundle_import
from maca.bundles.shifting import DATE_KEYS, bundle_shift_dates
from maca.bundles.validation import validate_bundle
from maca.demo.story import BUNDLES, demo_bundle_names, demo_earlier

from .samples import small_bundle

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def raw(name: str) -> dict:
    return json.loads((BUNDLES / name).read_text(encoding="utf-8"))


def leaves(node: Any, path: str = "") -> dict[str, Any]:
    """Every scalar of a bundle by its path: "cases[0].returns[1].submitted_on" → value."""
    if isinstance(node, dict):
        return {
            k: v for key, value in node.items() for k, v in leaves(value, f"{path}.{key}").items()
        }
    if isinstance(node, list):
        return {
            k: v for i, item in enumerate(node) for k, v in leaves(item, f"{path}[{i}]").items()
        }
    return {path: node}


def is_date_path(path: str) -> bool:
    return path.rsplit(".", 1)[-1] in DATE_KEYS


@pytest.mark.parametrize("name", demo_bundle_names())
def test_a_bundle_holds_dates_only_under_the_date_keys(name):
    """A date under any other key would stay behind when the calendar moves: fail instead."""
    dated = {
        path
        for path, value in leaves(raw(name)).items()
        if isinstance(value, str) and ISO_DATE.fullmatch(value)
    }
    assert dated and all(is_date_path(path) for path in dated)


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(demo_bundle_names()), days=st.integers(-4000, 4000))
def test_every_date_moves_by_the_same_days_and_nothing_else_changes(name, days):
    original = raw(name)
    shifted = bundle_shift_dates(original, days=days)

    before, after = leaves(original), leaves(shifted)
    assert before.keys() == after.keys()
    for path, value in before.items():
        if is_date_path(path) and value is not None:
            moved = datetime.date.fromisoformat(after[path]) - datetime.date.fromisoformat(value)
            assert moved.days == days, path
        else:
            assert after[path] == value, path
    assert validate_bundle(shifted) == []
    assert original == raw(name)  # the bundle given is left as it was


def test_no_days_gives_an_equal_copy():
    bundle = small_bundle()
    assert bundle_shift_dates(bundle, days=0) == bundle
    assert bundle_shift_dates(bundle, days=0) is not bundle


def test_absent_and_null_dates_stay_absent_and_null():
    bundle = small_bundle(meeting_date=None)
    shifted = bundle_shift_dates(bundle, days=30)
    assert shifted["audit"]["meeting_date"] is None
    assert "requests_sent_on" not in shifted["audit"]
    assert shifted["audit"]["returns_due"] == "2017-11-30"


@pytest.mark.django_db
@pytest.mark.parametrize("name", demo_bundle_names())
def test_a_shifted_bundle_imports_and_exports_as_itself(name):
    for earlier in demo_earlier(name):  # a re-audit's earlier audit is there first
        bundle_import(data=bundle_shift_dates(raw(earlier), days=-400))
    shifted = bundle_shift_dates(raw(name), days=-400)
    assert bundle_export(bundle_import(data=shifted)) == shifted
