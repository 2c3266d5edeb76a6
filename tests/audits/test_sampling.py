"""Candidates, the sample draw, and adding and swapping cases (maca.audits.sampling)."""

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maca.audits import sampling
from maca.audits.models import AuditStatus, Candidate, Case, Request, RequestStatus
from maca.errors import DomainError
from maca.history.models import ChangeRecord

from .. import factories as f

SAMPLE_CSV = Path(__file__).parent.parent / "data" / "candidates.csv"
HEADER = "area,Children's Social Care,Police,Health Provider\n"


@dataclass(frozen=True)
class Named:
    """An area or agency, as the pure functions see one."""

    name: str


AREAS = [Named("East"), Named("North"), Named("Central")]
AGENCIES = [Named("Children's Social Care"), Named("Police"), Named("Health Provider")]


def parse(text):
    rows, errors = sampling.candidates_parse(text, AREAS, AGENCIES)
    return rows, [str(error) for error in errors]


def upload(audit, by, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return sampling.candidates_upload(audit=audit, by=by, file_bytes=data)


def problems(audit, by, data) -> list[str]:
    with pytest.raises(sampling.CandidateFileError) as refused:
        upload(audit, by, data)
    return [str(error) for error in refused.value.errors]


# --- Reading the file -----------------------------------------------------------------------


def test_parse_reads_each_rows_area_and_involved_agencies_record_numbers():
    rows, errors = parse(HEADER + "East,CSC-100234,POL-55012,\nNorth,,,HP-7731\n")
    assert errors == []
    assert [(row.line, row.area.name) for row in rows] == [(2, "East"), (3, "North")]
    assert {a.name: n for a, n in rows[0].record_numbers.items()} == {
        "Children's Social Care": "CSC-100234",
        "Police": "POL-55012",
    }
    assert {a.name: n for a, n in rows[1].record_numbers.items()} == {"Health Provider": "HP-7731"}


def test_parse_matches_names_whatever_the_case_spacing_or_apostrophe():
    rows, errors = parse("Area , children\u2019s  social care,POLICE\n east , CSC-1 , \n")
    assert errors == []
    assert rows[0].area.name == "East"
    assert [a.name for a in rows[0].record_numbers] == ["Children's Social Care"]


def test_parse_needs_only_the_columns_of_the_agencies_involved():
    rows, errors = parse("area,Police\nCentral,POL-1\n")
    assert errors == [] and len(rows) == 1


def test_parse_names_a_heading_that_is_not_an_agency_by_line_and_column():
    _, errors = parse("area,Children's Social Care,Polise\nEast,CSC-1,POL-1\n")
    assert errors == [
        "line 1, column 3 (Polise): not an agency of this partnership; agencies are "
        "Children's Social Care, Police, Health Provider"
    ]


def test_parse_reports_every_problem_not_just_the_first():
    text = HEADER + (
        "East,CSC-1,,\n"
        "Westt,CSC-2,,\n"  # unknown area
        ",,POL-1,\n"  # empty area
        "North,,,\n"  # no agency
        "Central,CSC-1,,\n"  # CSC-1 again
        f"East,,{'P' * 65},\n"  # too long
    )
    rows, errors = parse(text)
    assert errors == [
        "line 3, column 1 (area): 'Westt' is not an area of this partnership; "
        "areas are East, North, Central",
        "line 4, column 1 (area): the area is empty; areas are East, North, Central",
        "line 5, column 2 (Children's Social Care): no agency is involved: give at least one "
        "agency's record number",
        "line 6, column 2 (Children's Social Care): record number 'CSC-1' is also on line 2",
        "line 7, column 3 (Police): the record number is longer than 64 characters",
    ]
    assert [row.line for row in rows] == [2]


def test_parse_allows_the_same_record_number_for_different_agencies():
    _, errors = parse(HEADER + "East,1001,1001,1001\n")
    assert errors == []


def test_parse_refuses_a_repeated_column():
    _, errors = parse("area,Police,police\nEast,1,2\n")
    assert errors == ["line 1, column 3 (police): the same heading is on column 2"]


def test_parse_needs_an_area_column_and_an_agency_column():
    _, errors = parse("Police\nPOL-1\n")
    assert errors == ["line 1: the first row must have an 'area' column"]
    _, errors = parse("area\nEast\n")
    assert errors[0].startswith("line 1: the first row must have a column for at least one")


def test_parse_says_when_columns_are_separated_by_semicolons():
    _, errors = parse("area;Police\nEast;POL-1\n")
    assert errors == ["line 1: separate the columns with commas, not semicolons"]


def test_parse_refuses_a_value_under_no_heading_but_ignores_empty_trailing_columns():
    rows, errors = parse("area,Police,,\nEast,POL-1,,\nNorth,POL-2,,oops\n")
    assert errors == ["line 3, column 4: a value in a column with no heading"]
    assert [row.line for row in rows] == [2]


def test_parse_counts_lines_of_the_file_and_skips_blank_rows():
    rows, errors = parse(HEADER + "\n,,,\nEast,CSC-1,,\r\n\r\nNorth,CSC-2,,\r\n")
    assert errors == []
    assert [row.line for row in rows] == [4, 6]


def test_parse_refuses_a_file_with_no_rows_or_too_many():
    assert parse("")[1] == ["the file is empty"]
    assert parse(HEADER)[1] == [
        "the file has only the first row: add a row for each candidate case"
    ]
    many = HEADER + "".join(f"East,CSC-{i},,\n" for i in range(sampling.MAX_ROWS + 1))
    assert parse(many)[1] == ["the file has more than 5,000 rows"]


def test_parse_names_the_line_of_a_broken_quote():
    _, errors = parse(HEADER + 'East,"CSC-1"x,,\n')
    assert errors[0].startswith("line 2: the file is not readable as CSV")


def test_the_example_on_the_upload_page_is_a_good_file():
    rows, errors = parse(sampling.candidates_example(AREAS, AGENCIES))
    assert errors == [] and len(rows) == 3


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_parse_never_fails_on_any_text_and_places_every_row_error(text):
    rows, errors = sampling.candidates_parse(text, AREAS, AGENCIES)
    assert all(error.line is None or error.line >= 1 for error in errors)
    assert {row.line for row in rows}.isdisjoint({error.line for error in errors})


record_number = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=64
).map(str.strip)


@settings(max_examples=100)
@given(
    st.lists(
        st.tuples(st.sampled_from(AREAS), st.lists(record_number, min_size=3, max_size=3)),
        max_size=30,
    )
)
def test_parse_reads_back_any_good_file_written_by_a_csv_writer(cases):
    seen: set[tuple[int, str]] = set()
    good = []
    for area, numbers in cases:
        numbers = [n if (i, n) not in seen else "" for i, n in enumerate(numbers)]
        if any(numbers):
            seen.update((i, n) for i, n in enumerate(numbers) if n)
            good.append((area, numbers))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["area", *(agency.name for agency in AGENCIES)])
    writer.writerows([area.name, *numbers] for area, numbers in good)
    rows, errors = sampling.candidates_parse(out.getvalue(), AREAS, AGENCIES)
    if not good:
        return
    assert errors == []
    assert [
        (row.area, [row.record_numbers.get(agency, "") for agency in AGENCIES]) for row in rows
    ] == good


# --- The draw, as a pure function -----------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    line: int
    area: Named


@settings(max_examples=200)
@given(
    available=st.lists(st.integers(min_value=0, max_value=12), min_size=3, max_size=3),
    wanted=st.lists(st.integers(min_value=0, max_value=12), min_size=3, max_size=3),
    seed=st.integers(min_value=0, max_value=2**63 - 1),
)
def test_a_draw_with_a_seed_is_reproducible_and_takes_n_of_each_areas_candidates(
    available, wanted, seed
):
    candidates, line = [], 2
    for area, count in zip(AREAS, available, strict=True):
        for _ in range(count):
            candidates.append(Pick(line, area))
            line += 1
    plan = [(a, min(n, k)) for a, n, k in zip(AREAS, wanted, available, strict=True)]
    first = sampling.draw(candidates, plan, seed)
    assert first == sampling.draw(list(candidates), plan, seed)
    for area, n in plan:
        assert len(first[area]) == n
        assert len(set(first[area])) == n
        assert all(c.area == area and c in candidates for c in first[area])


# --- Uploading candidates -------------------------------------------------------------------


def test_upload_makes_a_candidate_for_each_row_keyed_by_agency(planning_audit, coordinator):
    candidates = upload(planning_audit, coordinator, SAMPLE_CSV.read_bytes())
    assert len(candidates) == 24
    assert planning_audit.candidates.count() == 24
    east = planning_audit.candidates.filter(area__name="East")
    assert east.count() == 8
    first = planning_audit.candidates.get(line=2)
    police = planning_audit.partnership.agencies.get(name="Police")
    assert first.record_numbers[str(police.pk)] == "POL-58091"
    assert first.case is None


def test_upload_accepts_excels_csv_utf8_with_a_byte_order_mark(planning_audit, coordinator):
    data = codecs.BOM_UTF8 + (HEADER + "East,CSC-1,,\r\nNorth,,POL-1,\r\n").encode()
    assert len(upload(planning_audit, coordinator, data)) == 2


def test_upload_replaces_the_candidates_uploaded_before(planning_audit, coordinator):
    upload(planning_audit, coordinator, SAMPLE_CSV.read_bytes())
    upload(planning_audit, coordinator, HEADER + "East,CSC-1,,\n")
    assert list(planning_audit.candidates.values_list("line", flat=True)) == [2]


def test_a_bad_file_reports_every_problem_and_changes_nothing(planning_audit, coordinator):
    upload(planning_audit, coordinator, HEADER + "East,CSC-1,,\n")
    before = ChangeRecord.objects.count()
    found = problems(planning_audit, coordinator, HEADER + "East,CSC-9,,\nWest,CSC-8,,\nNorth,,,\n")
    assert [p.split(":")[0] for p in found] == [
        "line 3, column 1 (area)",
        "line 4, column 2 (Children's Social Care)",
    ]
    assert list(planning_audit.candidates.values_list("line", flat=True)) == [2]
    assert ChangeRecord.objects.count() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfea\x00r\x00", "the file is not UTF-8 text"),
        (b"area,Police\nEast,\xe9\n", "the file is not UTF-8 text"),
        (b"PK\x03\x04rest-of-a-workbook", "the file is an Excel workbook"),
        (b"x" * (sampling.MAX_FILE_BYTES + 1), "the file is larger than 2 MB"),
    ],
)
def test_upload_says_clearly_why_a_file_cannot_be_read(planning_audit, coordinator, data, message):
    assert problems(planning_audit, coordinator, data)[0].startswith(message)


def test_upload_is_refused_once_the_sample_is_drawn(planning_audit, coordinator):
    upload(planning_audit, coordinator, SAMPLE_CSV.read_bytes())
    sampling.sample_draw(audit=planning_audit, by=coordinator, seed=1)
    with pytest.raises(DomainError, match="drawn"):
        upload(planning_audit, coordinator, HEADER + "East,CSC-1,,\n")


# --- Drawing the sample ---------------------------------------------------------------------


@pytest.fixture
def uploaded(planning_audit, coordinator):
    upload(planning_audit, coordinator, SAMPLE_CSV.read_bytes())
    return planning_audit


def test_the_draw_takes_the_planned_number_from_each_area_and_records_the_seed(
    uploaded, coordinator
):
    cases = sampling.sample_draw(audit=uploaded, by=coordinator, seed=8120)
    assert len(cases) == 15
    assert {
        area: sum(c.area.name == area for c in cases) for area in ["East", "North", "Central"]
    } == {
        "East": 5,
        "North": 5,
        "Central": 5,
    }
    uploaded.refresh_from_db()
    assert uploaded.sample_seed == 8120
    for case in cases:
        assert case.candidate.area == case.area


def test_drawn_cases_get_references_made_by_the_system(uploaded, coordinator):
    cases = sampling.sample_draw(audit=uploaded, by=coordinator, seed=3)
    assert [c.reference for c in cases] == (
        [f"E-{n:02d}" for n in range(1, 6)]
        + [f"N-{n:02d}" for n in range(6, 11)]
        + [f"C-{n:02d}" for n in range(11, 16)]
    )


def test_each_involved_agency_gets_an_unsent_request_with_its_record_number(uploaded, coordinator):
    case = sampling.sample_draw(audit=uploaded, by=coordinator, seed=5)[0]
    candidate = Candidate.objects.get(case=case)
    requests = list(case.requests.all())
    assert {str(r.agency_id): r.agency_record_number for r in requests} == (
        candidate.record_numbers
    )
    assert all(
        r.status == RequestStatus.OUTSTANDING and r.due == uploaded.returns_due and not r.sent_at
        for r in requests
    )


def test_the_same_seed_over_the_same_candidates_draws_the_same_cases(
    uploaded, coordinator, partnership, areas
):
    twin = f.AuditFactory(partnership=partnership, status=AuditStatus.PLANNING)
    for area in areas.values():
        f.SamplePlanEntryFactory(audit=twin, area=area, cases=5)
    upload(twin, coordinator, SAMPLE_CSV.read_bytes())
    first = sampling.sample_draw(audit=uploaded, by=coordinator, seed=2**62 + 7)
    second = sampling.sample_draw(audit=twin, by=coordinator, seed=2**62 + 7)
    assert [c.candidate.line for c in first] == [c.candidate.line for c in second]


def test_a_draw_without_a_seed_records_the_random_seed_it_used(uploaded, coordinator):
    sampling.sample_draw(audit=uploaded, by=coordinator)
    uploaded.refresh_from_db()
    assert uploaded.sample_seed is not None
    assert ChangeRecord.objects.filter(
        reason=f"Sample drawn with seed {uploaded.sample_seed}"
    ).exists()


def test_a_draw_names_the_area_without_enough_candidates(planning_audit, coordinator):
    upload(planning_audit, coordinator, HEADER + "East,CSC-1,,\n" * 1 + "North,CSC-2,,\n")
    with pytest.raises(DomainError, match="East has 1 candidate and the plan needs 5"):
        sampling.sample_draw(audit=planning_audit, by=coordinator, seed=1)
    assert not Case.objects.filter(audit=planning_audit).exists()


def test_the_sample_is_drawn_only_once(uploaded, coordinator):
    sampling.sample_draw(audit=uploaded, by=coordinator, seed=1)
    with pytest.raises(DomainError, match="already been drawn"):
        sampling.sample_draw(audit=uploaded, by=coordinator, seed=2)


def test_nothing_changes_once_the_audit_is_no_longer_planned(audit, coordinator, areas):
    case = audit.cases.first()
    with pytest.raises(DomainError, match="only while the audit is being planned"):
        upload(audit, coordinator, HEADER + "East,CSC-1,,\n")
    with pytest.raises(DomainError, match="only while the audit is being planned"):
        sampling.sample_draw(audit=audit, by=coordinator, seed=1)
    with pytest.raises(DomainError, match="only while the audit is being planned"):
        sampling.case_add(
            audit=audit,
            by=coordinator,
            area=areas["East"],
            agencies=list(audit.partnership.agencies.all()),
        )
    with pytest.raises(DomainError, match="only while the audit is being planned"):
        sampling.case_swap(case=case, by=coordinator, reason="Closed", replacement=None)


# --- Adding and swapping cases --------------------------------------------------------------


def test_a_case_added_by_hand_gets_a_reference_and_a_request_per_agency(
    planning_audit, coordinator, areas, agencies
):
    case = sampling.case_add(
        audit=planning_audit,
        by=coordinator,
        area=areas["Central"],
        agencies=[agencies["Police"], agencies["Health Provider"]],
    )
    assert case.reference == "C-01"
    assert sorted(case.requests.values_list("agency__name", flat=True)) == [
        "Health Provider",
        "Police",
    ]
    assert set(case.requests.values_list("agency_record_number", flat=True)) == {""}


@pytest.mark.parametrize(
    ("name", "initials"),
    [("north-east coast", "NEC"), ("King\u2019s Lynn", "KL"), ("Mid Tyne", "MT")],
)
def test_a_reference_takes_the_initials_of_each_word_of_the_area(
    planning_audit, coordinator, partnership, agencies, name, initials
):
    area = f.AreaFactory(partnership=partnership, name=name)
    case = sampling.case_add(
        audit=planning_audit, by=coordinator, area=area, agencies=[agencies["Police"]]
    )
    assert case.reference == f"{initials}-01"


def test_a_case_needs_at_least_one_agency(planning_audit, coordinator, areas):
    with pytest.raises(DomainError) as refused:
        sampling.case_add(audit=planning_audit, by=coordinator, area=areas["East"], agencies=[])
    assert refused.value.field == "agencies"


def test_a_case_cannot_be_in_another_partnerships_area(
    planning_audit, coordinator, other_partnership, agencies
):
    elsewhere = f.AreaFactory(partnership=other_partnership, name="Elsewhere")
    with pytest.raises(DomainError) as refused:
        sampling.case_add(
            audit=planning_audit, by=coordinator, area=elsewhere, agencies=[agencies["Police"]]
        )
    assert refused.value.field == "area"


@pytest.fixture
def drawn(uploaded, coordinator):
    sampling.sample_draw(audit=uploaded, by=coordinator, seed=11)
    return uploaded


def test_a_swap_needs_a_reason(drawn, coordinator):
    case = drawn.cases.first()
    with pytest.raises(DomainError) as refused:
        sampling.case_swap(case=case, by=coordinator, reason="  ", replacement=None)
    assert refused.value.field == "reason"
    assert Case.objects.filter(pk=case.pk).exists()


def test_swapping_a_case_out_removes_it_and_keeps_its_candidate_out_of_the_sample(
    drawn, coordinator
):
    case = drawn.cases.first()
    candidate = case.candidate
    sampling.case_swap(case=case, by=coordinator, reason="Child moved away", replacement=None)
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Request.objects.filter(case_id=case.pk).exists()
    candidate.refresh_from_db()
    assert candidate.case is None
    assert candidate.swapped_out_reason == "Child moved away"
    assert not sampling.undrawn_candidates(drawn).filter(pk=candidate.pk).exists()


def test_swapping_a_candidate_in_makes_a_new_case_with_a_new_number(drawn, coordinator):
    case = drawn.cases.get(reference="C-15")
    replacement = sampling.undrawn_candidates(drawn).filter(area__name="North").first()
    new_case = sampling.case_swap(
        case=case, by=coordinator, reason="Already reviewed", replacement=replacement
    )
    assert new_case.reference == "N-16"
    assert new_case.area.name == "North"
    replacement.refresh_from_db()
    assert replacement.case == new_case
    assert new_case.requests.count() == len(replacement.record_numbers)


def test_a_number_is_never_reused_after_a_case_is_swapped_out(drawn, coordinator, agencies):
    case = drawn.cases.get(reference="C-15")
    sampling.case_swap(case=case, by=coordinator, reason="Duplicate", replacement=None)
    added = sampling.case_add(
        audit=drawn, by=coordinator, area=case.area, agencies=[agencies["Police"]]
    )
    assert added.reference == "C-16"


def test_the_swap_reason_is_recorded_with_every_change(drawn, coordinator):
    case = drawn.cases.first()
    replacement = sampling.undrawn_candidates(drawn).first()
    sampling.case_swap(
        case=case, by=coordinator, reason="Case closed in 2019", replacement=replacement
    )
    changes = ChangeRecord.objects.filter(audit_id=drawn.pk, reason="Case closed in 2019")
    actions = {(c.object_type, c.action) for c in changes}
    assert ("audits.case", "delete") in actions
    assert ("audits.case", "create") in actions
    assert ("audits.candidate", "update") in actions
    assert all(change.user == coordinator for change in changes)


def test_a_drawn_or_swapped_out_candidate_cannot_be_swapped_in(drawn, coordinator):
    first, second = drawn.cases.all()[:2]
    sampling.case_swap(case=first, by=coordinator, reason="Out", replacement=None)
    swapped_out = Candidate.objects.get(audit=drawn, swapped_out_reason="Out")
    for candidate in [second.candidate, swapped_out]:
        with pytest.raises(DomainError) as refused:
            sampling.case_swap(case=second, by=coordinator, reason="In", replacement=candidate)
        assert refused.value.field == "replacement"
