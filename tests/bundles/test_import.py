import pytest

from maca.actions.models import Action
from maca.audits.models import Audit, Request
from maca.bundles.services import DuplicateAudit, bundle_import
from maca.bundles.validation import InvalidBundle
from maca.history.models import ChangeRecord
from maca.meetings.models import AuditTheme, Ratification
from maca.partnerships.models import Partnership
from maca.returns.models import Return
from tests.support.bundles import counts, errors_of

from .samples import small_bundle

pytestmark = pytest.mark.django_db


def test_it_imports_the_whole_audit():
    audit = bundle_import(data=small_bundle())

    assert audit.cases.count() == 2
    assert Request.objects.filter(audit=audit).count() == 4
    assert Return.objects.filter(request__audit=audit).count() == 4
    assert Ratification.objects.get(case__reference="T-N-01").grade == "inadequate"
    theme = AuditTheme.objects.get(audit=audit, title="Information sharing")
    assert theme.cases.count() == 2 and theme.library_theme.title == "Information sharing"
    assert Action.objects.get(immediate=True).case.reference == "T-N-01"
    assert Action.objects.get(immediate=False).recommendation.themes.get() == theme


def test_the_proposed_grade_is_kept_beside_the_ratified_one():
    bundle_import(data=small_bundle())
    ratification = Ratification.objects.get(case__reference="T-E-01")
    # good and requires improvement: the median takes the worse of the two middle grades
    assert ratification.proposed_grade == "requires_improvement"


def test_a_bad_grade_is_named_by_its_path_and_nothing_is_written():
    bundle = small_bundle()
    bundle["cases"][1]["returns"][0]["grade"] = "gud"
    before = counts()

    errors = errors_of(bundle)

    assert any(e.startswith("cases[1].returns[0].grade: 'gud' is not one of") for e in errors)
    assert counts() == before


def test_every_bad_field_is_named_at_once():
    bundle = small_bundle()
    bundle["cases"][0]["returns"][0]["grade"] = "gud"
    bundle["cases"][1]["area"] = 7
    del bundle["audit"]["title"]

    errors = errors_of(bundle)

    assert len(errors) == 3
    assert any(e.startswith("cases[0].returns[0].grade:") for e in errors)
    assert any(e.startswith("cases[1].area:") for e in errors)
    assert any(e.startswith("audit: 'title' is a required property") for e in errors)


def test_not_scored_needs_a_reason():
    bundle = small_bundle()
    bundle["cases"][0]["ratification"] = {"grade": "not_scored", "reason": ""}
    assert any(e.startswith("cases[0].ratification.reason:") for e in errors_of(bundle))


def test_names_must_be_declared_at_the_top():
    bundle = small_bundle()
    bundle["cases"][0]["area"] = "South"
    bundle["cases"][0]["themes"] = ["Thresholds"]
    bundle["recommendations"][0]["actions"][0]["agency"] = "Probation"

    errors = errors_of(bundle)

    assert "cases[0].area: area 'South' is not declared in areas" in errors
    assert "cases[0].themes[0]: theme 'Thresholds' is not declared in themes" in errors
    assert (
        "recommendations[0].actions[0].agency: agency 'Probation' is not declared in agencies"
        in errors
    )


def test_case_references_are_unique_in_an_audit():
    bundle = small_bundle()
    bundle["cases"][1]["reference"] = "T-E-01"
    assert "cases: case reference 'T-E-01' is used twice" in errors_of(bundle)


def test_answers_must_fit_their_questions():
    bundle = small_bundle()
    bundle["cases"][0]["returns"][0]["answers"] = {"q2": "maybe", "q9": "text"}
    errors = errors_of(bundle)
    assert any(
        e.startswith("cases[0].returns[0].answers.q2: 'maybe' is not one of") for e in errors
    )
    assert "cases[0].returns[0].answers.q9: 'q9' is not a question of this audit" in errors


def test_a_return_from_an_agency_not_involved_is_refused():
    bundle = small_bundle()
    bundle["cases"][0]["returns"][1]["agency"] = "Health Provider"
    assert (
        "cases[0].returns[1].agency: agency 'Health Provider' is not involved in this case"
        in errors_of(bundle)
    )


def test_importing_the_same_audit_twice_is_refused_and_duplicates_nothing():
    first = bundle_import(data=small_bundle())
    before = counts()

    with pytest.raises(DuplicateAudit) as raised:
        bundle_import(data=small_bundle())

    assert f"already has audit {first.pk}" in str(raised.value)
    assert "--replace" in str(raised.value)
    assert counts() == before


def test_replace_swaps_the_audit_in_one_transaction():
    bundle_import(data=small_bundle())
    changed = small_bundle()
    changed["cases"] = changed["cases"][:1]

    audit = bundle_import(data=changed, replace=True)

    assert Audit.objects.count() == 1 and audit.cases.count() == 1
    assert ChangeRecord.objects.filter(action="delete", object_type="audits.audit").exists()


def test_a_failed_replace_keeps_the_old_audit():
    original = bundle_import(data=small_bundle())
    broken = small_bundle()
    broken["cases"][0]["ratification"]["grade"] = "gud"

    with pytest.raises(InvalidBundle):
        bundle_import(data=broken, replace=True)

    assert Audit.objects.get().pk == original.pk


def test_existing_areas_agencies_and_library_themes_are_reused():
    bundle_import(data=small_bundle())
    second = small_bundle(title="A second audit")

    bundle_import(data=second)

    partnership = Partnership.objects.get()
    assert partnership.areas.count() == 2 and partnership.agencies.count() == 3
    assert partnership.library_themes.count() == 1


def test_every_row_the_import_writes_is_in_the_history():
    audit = bundle_import(data=small_bundle(), via="cli:import-bundle")
    created = ChangeRecord.objects.filter(action="create", audit_id=audit.pk)
    assert created.filter(object_type="audits.case").count() == 2
    assert created.filter(object_type="returns.return").count() == 4
    assert created.filter(object_type="meetings.ratification").count() == 2
    assert created.filter(object_type="actions.action").count() == 2
    assert set(created.values_list("via", flat=True)) == {"cli:import-bundle"}
