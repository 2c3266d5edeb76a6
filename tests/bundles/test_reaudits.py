"""Bundles of re-audits: `reaudit_of` names the earlier audit by its title in the partnership,
recommendations carry their success measures, and bundles without them import as before."""

import pytest

from maca.audits.models import Audit
from maca.bundles.services import bundle_export, bundle_import
from maca.bundles.validation import InvalidBundle, validate_bundle

from .samples import small_bundle

pytestmark = pytest.mark.django_db

EARLIER = "Transitions from children's to adults' services"
SUCCESS = {
    "success_measure": "A transition plan by 16 in at least 80% of returns",
    "success_question": "q2",
    "success_options": ["yes", "partly"],
    "success_target": 80,
}


def _earlier(**success) -> dict:
    bundle = small_bundle()
    bundle["recommendations"][0] |= success
    return bundle


def _reaudit() -> dict:
    bundle = small_bundle(title="Transitions: re-audit", reaudit_of=EARLIER)
    bundle["recommendations"] = []
    return bundle


def test_a_re_audit_bundle_names_its_earlier_audit_and_round_trips():
    bundle_import(data=_earlier(**SUCCESS))
    reaudit = bundle_import(data=_reaudit())

    assert reaudit.reaudit_of == Audit.objects.get(title=EARLIER)
    assert bundle_export(reaudit) == _reaudit()


def test_success_measures_round_trip():
    earlier = bundle_import(data=_earlier(**SUCCESS))
    recommendation = earlier.recommendations.get()

    assert recommendation.success_options == ["yes", "partly"]
    assert bundle_export(earlier) == _earlier(**SUCCESS)


def test_a_re_audit_of_an_audit_not_there_is_refused_by_name():
    with pytest.raises(InvalidBundle) as refused:
        bundle_import(data=_reaudit())
    [error] = refused.value.errors
    assert error.path == "audit.reaudit_of"
    assert "import that audit first" in error.message
    assert not Audit.objects.exists()


def test_an_audit_cannot_be_its_own_re_audit():
    bundle = small_bundle(reaudit_of=EARLIER)
    with pytest.raises(InvalidBundle) as refused:
        bundle_import(data=bundle)
    assert refused.value.errors[0].path == "audit.reaudit_of"


def test_a_bundle_without_the_new_fields_imports_as_before():
    bundle = small_bundle()  # as written before re-audits: no reaudit_of, no success_*
    audit = bundle_import(data=bundle)
    assert audit.reaudit_of is None
    assert audit.recommendations.get().success_question == ""
    assert bundle_export(audit) == bundle


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"success_question": "q1"}, "recommendations[0].success_question", "key-measure"),
        ({"success_question": "q9"}, "recommendations[0].success_question", "key-measure"),
        ({"success_options": ["maybe"]}, "recommendations[0].success_options[0]", "offers"),
        ({"success_options": []}, "recommendations[0].success_options", "count as success"),
        ({"success_target": None}, "recommendations[0].success_target", "needs a target"),
        ({"success_measure": ""}, "recommendations[0].success_measure", "in words"),
    ],
)
def test_a_success_measure_is_checked_before_anything_is_written(change, path, words):
    errors = validate_bundle(_earlier(**SUCCESS | change))
    assert [(e.path, words in e.message) for e in errors] == [(path, True)]


def test_a_target_outside_1_to_100_is_refused_by_the_schema():
    errors = validate_bundle(_earlier(**SUCCESS | {"success_target": 120}))
    assert [e.path for e in errors] == ["recommendations[0].success_target"]


def test_options_and_a_target_need_a_question():
    bundle = _earlier(success_options=["yes"], success_target=50)
    errors = validate_bundle(bundle)
    assert [e.path for e in errors] == ["recommendations[0].success_question"]
