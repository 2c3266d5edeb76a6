"""Case profiles (maca.profiles, decision 69): read from the candidates file, carried to the
case when it is drawn, and changed by a coordinator on the case's profile page."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from maca import profiles
from maca.audits import sampling
from maca.audits.models import AuditStatus, Case
from maca.history.models import ChangeRecord


@dataclass(frozen=True)
class Named:
    name: str


AREAS = [Named("East"), Named("North")]
AGENCIES = [Named("Police"), Named("Health Provider")]
HEADER = "area,Police,Health Provider,Age band,Level of need,Ethnicity\n"


def parse(text):
    rows, errors = sampling.candidates_parse(text, AREAS, AGENCIES)
    return rows, [str(error) for error in errors]


# --- The values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("age_band", "10 to 15", "10_to_15"),
        ("age_band", "10-15", "10_to_15"),
        ("age_band", " 10 \u2013 15 ", "10_to_15"),
        ("age_band", "UNDER 1", "under_1"),
        ("level_of_need", "child  in   need", "child_in_need"),
        ("level_of_need", "looked_after", "looked_after"),
        ("ethnicity", "white", "white"),
        ("ethnicity", "Mixed or multiple ethnic groups", "mixed"),
        ("send", "ehc plan", "ehc_plan"),
        ("gender", "", ""),
    ],
)
def test_a_value_is_its_label_or_its_stored_value_case_and_spacing_ignored(field, typed, stored):
    assert profiles.value_for(field, typed) == stored


def test_a_value_of_another_field_is_none_of_this_ones():
    assert profiles.value_for("level_of_need", "White") is None
    assert profiles.value_for("age_band", "18 to 25") is None


# --- Reading the file -----------------------------------------------------------------------


def test_parse_reads_the_profile_columns_into_each_row():
    rows, errors = parse(HEADER + "East,POL-1,,10-15,Child protection,\nNorth,,HP-2,,,white\n")

    assert errors == []
    assert rows[0].profile == {"age_band": "10_to_15", "level_of_need": "child_protection"}
    assert rows[1].profile == {"ethnicity": "white"}
    assert {a.name for a in rows[0].record_numbers} == {"Police"}  # not a record number


def test_a_bad_value_is_named_by_line_and_column_with_the_values_it_may_take():
    _, errors = parse(HEADER + "East,POL-1,,10-15,Child protection,\nNorth,,HP-2,,Adopted,\n")

    assert errors == [
        "line 3, column 5 (Level of need): 'Adopted' is not a level of need; use one of "
        "Early help, Child in need, Child protection or Looked after, or leave it empty"
    ]


def test_the_same_field_twice_is_refused_on_the_first_line():
    _, errors = parse("area,Police,Age band,age\nEast,POL-1,10 to 15,16 to 17\n")
    assert errors == ["line 1, column 4 (age): age band is also on another column"]


def test_a_file_without_profile_columns_reads_as_before():
    rows, errors = parse("area,Police\nEast,POL-1\n")
    assert errors == [] and rows[0].profile == {}


# --- The draw carries the profile ------------------------------------------------------------


@pytest.fixture
def profiled(planning_audit):
    partnership = planning_audit.partnership
    partnership.profile_fields = ["level_of_need", "ethnicity"]
    partnership.save()
    return planning_audit


def test_the_drawn_case_carries_its_candidates_profile(profiled, coordinator):
    """Every field the file gives is kept, the ones the partnership records and the others
    (shown once it records them)."""
    plan = profiled.sample_plan.all()
    for entry in plan:
        entry.cases = 1 if entry.area.name == "East" else 0
        entry.save()
    text = (
        "area,Police,Level of need,Ethnicity,Gender\n"
        'East,POL-1,Looked after,"Black, Black British, Black Welsh, Caribbean or African",male\n'
    )
    sampling.candidates_upload(audit=profiled, by=coordinator, file_bytes=text.encode())

    [case] = sampling.sample_draw(audit=profiled, by=coordinator, seed=1)

    case.refresh_from_db()
    assert (case.level_of_need, case.ethnicity, case.age_band) == ("looked_after", "black", "")
    assert case.gender == "male"  # not recorded by the partnership: kept, not shown


# --- The case's profile page ------------------------------------------------------------------


@pytest.fixture
def profiled_case(audit):
    partnership = audit.partnership
    partnership.profile_fields = ["age_band", "level_of_need"]
    partnership.save()
    return audit.cases.get(reference="T-E-01")


def profile_url(case):
    return reverse("audits:case_profile", args=[case.audit_id, case.pk])


def test_the_coordinator_sets_a_cases_profile_and_the_history_keeps_it(
    profiled_case, coordinator, client_for
):
    client = client_for(coordinator)
    page = client.get(profile_url(profiled_case))
    assert page.status_code == 200
    assert "Level of need" in page.text and "Ethnicity" not in page.text  # only the chosen

    done = client.post(profile_url(profiled_case), {"age_band": "16_to_17", "level_of_need": ""})

    assert done.status_code == 302
    profiled_case.refresh_from_db()
    assert (profiled_case.age_band, profiled_case.level_of_need) == ("16_to_17", "")
    change = ChangeRecord.objects.filter(
        object_type="audits.case", object_id=str(profiled_case.pk), action="update"
    ).latest("pk")
    assert change.after["age_band"] == "16_to_17"
    assert change.reason == "Case profile changed"


def test_a_value_not_on_the_list_is_refused_with_the_fields_name(
    profiled_case, coordinator, client_for
):
    page = client_for(coordinator).post(profile_url(profiled_case), {"age_band": "18_to_25"})

    assert page.status_code == 400
    assert "Choose the age band from the list, or not recorded" in page.text
    profiled_case.refresh_from_db()
    assert profiled_case.age_band == ""


@pytest.mark.parametrize("who", ["police_auditor", "agency_lead", "board_member"])
def test_only_a_coordinator_changes_a_profile(profiled_case, who, request, client_for):
    user = request.getfixturevalue(who)
    page = client_for(user).post(profile_url(profiled_case), {"age_band": "16_to_17"})
    assert page.status_code == 403
    profiled_case.refresh_from_db()
    assert profiled_case.age_band == ""


def test_a_closed_audits_profiles_no_longer_change(profiled_case, coordinator, client_for):
    audit = profiled_case.audit
    audit.status = AuditStatus.CLOSED
    audit.save()

    page = client_for(coordinator).post(profile_url(profiled_case), {"age_band": "16_to_17"})

    assert page.status_code == 302
    assert Case.objects.get(pk=profiled_case.pk).age_band == ""


def test_the_profile_is_never_in_a_url(profiled_case, coordinator, client_for):
    client = client_for(coordinator)
    done = client.post(profile_url(profiled_case), {"age_band": "16_to_17"})
    cases_page = reverse("audits:cases", args=[profiled_case.audit_id])
    assert done.url == cases_page  # the value is posted, never put in the address
    page = client.get(cases_page)
    assert "16 to 17" in page.text  # shown on the cases page, as a value, not a link


def test_without_chosen_fields_the_page_sends_the_coordinator_back(audit, coordinator, client_for):
    case = audit.cases.get(reference="T-E-01")
    page = client_for(coordinator).get(profile_url(case))
    assert page.status_code == 302
