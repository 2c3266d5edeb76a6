"""The report's cases by profile (decision 69): the summary's `profiles`, protected by the
board's small-count rules, and the report's one table of them."""

import pytest

from maca.bundles.services import bundle_import
from maca.profiles import ProfileField
from maca.reports.document import report_document
from maca.reports.profiles import profile_tables
from maca.reports.summary import report_summary
from tests.bundles.samples import small_bundle

pytestmark = pytest.mark.django_db

GOOD, RI, INADEQUATE, NOT_SCORED = "good", "requires_improvement", "inadequate", "not_scored"


def _profiles(needs):
    return [{field: "" for field in ProfileField.values} | {"level_of_need": n} for n in needs]


def test_each_fields_table_counts_cases_and_grades_by_value_in_the_fields_order():
    needs = ["child_protection"] * 6 + ["child_in_need"] * 6
    grades = [GOOD] * 3 + [RI] * 3 + [GOOD] * 4 + [INADEQUATE] * 2
    [table] = profile_tables(_profiles(needs), grades, [ProfileField.LEVEL_OF_NEED], threshold=2)

    assert table["field"] == "level_of_need"
    assert table["headers"] == [
        "Level of need",
        "Cases",
        "Good or outstanding",
        "Requires improvement or inadequate",
    ]
    assert table["rows"] == [["Child in need", 6, 4, 2], ["Child protection", 6, 3, 3]]


def test_small_counts_are_hidden_and_none_can_be_worked_out_from_the_totals():
    # 1 early help case among 9: "fewer than 3"; the reader knows there are 9 cases, 5 good
    # or outstanding and 3 requiring improvement or inadequate (the report prints them).
    needs = ["early_help"] + ["child_in_need"] * 8
    grades = [RI] + [GOOD] * 5 + [RI] * 2 + [NOT_SCORED]
    [table] = profile_tables(_profiles(needs), grades, [ProfileField.LEVEL_OF_NEED], threshold=3)

    early, in_need = table["rows"]
    assert early[:2] == ["Early help", "fewer than 3"]
    # Its case count could be worked out from child in need's and the known 9: hidden too.
    assert in_need[1] in ("fewer than 3", "not shown")
    assert early[3] == "fewer than 3"
    assert in_need[3] in ("fewer than 3", "not shown")
    for row in table["rows"]:
        assert all(not isinstance(cell, int) or cell == 0 or cell >= 3 for cell in row[1:])


def test_a_case_not_recorded_has_its_own_row_last():
    needs = ["looked_after"] * 3 + [""] * 3
    [table] = profile_tables(_profiles(needs), [GOOD] * 6, [ProfileField.LEVEL_OF_NEED], 3)
    assert [row[0] for row in table["rows"]] == ["Looked after", "Not recorded"]


def test_the_summary_has_no_profiles_unless_the_partnership_records_some():
    bundle = small_bundle()
    bundle["cases"][0]["profile"] = {"level_of_need": "child_in_need"}  # kept, not shown
    summary = report_summary(bundle_import(data=bundle))

    assert summary["profiles"] == []
    document = report_document(bundle_import(data=bundle, replace=True))
    assert not [b for s in document["sections"] for b in s["blocks"] if b["kind"] == "table"]


def test_the_summary_and_the_report_carry_the_recorded_fields_protected():
    bundle = small_bundle() | {"profile_fields": ["level_of_need", "gender"]}
    bundle["cases"][0]["profile"] = {"level_of_need": "child_in_need", "gender": "female"}
    bundle["cases"][1]["profile"] = {"level_of_need": "child_in_need", "ethnicity": "white"}
    audit = bundle_import(data=bundle)

    document = report_document(audit)
    need, gender = document["summary"]["profiles"]

    # Two cases: the one value of level of need holds both (known), gender's are small.
    assert need["rows"] == [["Child in need", 2, 0, 2]]
    assert [row[0] for row in gender["rows"]] == ["Female", "Not recorded"]
    assert gender["rows"][0][1] in ("fewer than 3", "not shown")
    assert "ethnicity" not in {p["field"] for p in document["summary"]["profiles"]}
    [table] = [b for s in document["sections"] for b in s["blocks"] if b["kind"] == "table"]
    assert table["headers"][0] == "Profile"
    assert table["rows"][0] == ["Level of need: Child in need", 2, 0, 2]
    assert table["rows"][1][0] == "Gender: Female"


def test_the_profile_table_is_no_ones_name_to_the_identifier_check():
    from maca.demo.story import demo_bundle
    from maca.reports.checking import identifiers_in

    bundle = demo_bundle("01-children-in-need.json") | {"profile_fields": ProfileField.values}
    audit = bundle_import(data=bundle)
    document = report_document(audit)
    assert len(document["summary"]["profiles"]) == 5

    found = [placed.finding.text for placed in identifiers_in(audit, document, key="scoring")]

    assert found == []
