"""A question's `key_measure` in a bundle: optional (absent means false), exported when true
(as the question's other optional fields, only when it says something), and only on a question
with answers to choose from."""

import pytest

from maca.bundles.services import bundle_export, bundle_import
from maca.bundles.validation import BundleError, validate_bundle

from .samples import small_bundle

pytestmark = pytest.mark.django_db


def test_a_key_measure_goes_in_and_comes_out():
    audit = bundle_import(data=small_bundle())
    assert dict(audit.questions.values_list("key", "key_measure")) == {"q1": False, "q2": True}
    assert [q.get("key_measure") for q in bundle_export(audit)["questions"]] == [None, True]


def test_an_older_bundle_without_key_measures_still_imports():
    bundle = small_bundle()
    for question in bundle["questions"]:
        question.pop("key_measure", None)
    assert validate_bundle(bundle) == []
    audit = bundle_import(data=bundle)
    assert not audit.questions.filter(key_measure=True).exists()
    assert [q.get("key_measure") for q in bundle_export(audit)["questions"]] == [None, None]


def test_a_free_text_key_measure_is_refused_at_its_path():
    bundle = small_bundle()
    bundle["questions"][0]["key_measure"] = True  # q1 is free text
    errors = validate_bundle(bundle)
    assert [e.path for e in errors] == ["questions[0].key_measure"]
    bundle["questions"][0]["key_measure"] = "yes"
    assert BundleError("questions[0].key_measure", "'yes' is not of type 'boolean'") in (
        validate_bundle(bundle)
    )
