"""Hostile candidates' CSV files on "Cases and sample": refused with the limit they met, within
100 MB (bench/limits.py times them), and the page lists the first 20 problems and how many
more, never every one of them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maca.audits import sampling
from maca.audits.models import Candidate
from tests.uploads import hostile
from tests.uploads.cost import cost_of

pytestmark = pytest.mark.django_db

HEADER = "area,Children's Social Care,Police,Health Provider\n"


def post(client, audit, data: bytes):
    upload = SimpleUploadedFile("candidates.csv", data, content_type="text/csv")
    return client.post(reverse("audits:candidates_upload", args=[audit.pk]), {"file": upload})


def test_a_file_of_200000_columns_is_refused_by_its_width(planning_audit, coordinator):
    data = hostile.two_hundred_thousand_columns()
    assert 1_400_000 < len(data) < sampling.MAX_FILE_BYTES

    raised, cost = cost_of(
        lambda: sampling.candidates_upload(audit=planning_audit, by=coordinator, file_bytes=data)
    )

    print(f"\n{len(data):,} bytes: {cost}")
    assert isinstance(raised, sampling.CandidateFileError)
    assert [str(error) for error in raised.errors] == [
        "line 1: the row has 200,001 columns, more than maca reads (200): keep the area and a "
        "column for each agency"
    ]
    assert cost.traced_mb < 100 and cost.resident_mb < 100, cost


def test_the_page_for_a_file_of_200000_columns_is_small(planning_audit, coordinator, client_for):
    response = post(client_for(coordinator), planning_audit, hostile.two_hundred_thousand_columns())

    page = response.content.decode()
    assert "Nothing was imported: the file has 1 problem." in page
    assert "the row has 200,001 columns, more than maca reads (200)" in page
    assert len(response.content) < 100_000
    assert not Candidate.objects.exists()


def test_the_page_lists_the_first_20_problems_and_how_many_more(
    planning_audit, coordinator, client_for
):
    rows = "".join(f"Westward,CSC-{n},,\n" for n in range(5_000))

    response = post(client_for(coordinator), planning_audit, (HEADER + rows).encode())

    page = response.content.decode().replace("&#x27;", "'")
    assert "Nothing was imported: the file has 5,000 problems." in page
    assert page.count("is not an area of this partnership") == 2 * 20  # the summary, the field
    assert "line 21, column 1 (area): 'Westward' is not an area" in page
    assert "line 22, column 1" not in page
    assert "and 4,980 more problems" in page
    assert len(response.content) < 100_000


def test_a_value_quoted_in_a_problem_is_cut_short(planning_audit, coordinator):
    with pytest.raises(sampling.CandidateFileError) as refused:
        sampling.candidates_upload(
            audit=planning_audit,
            by=coordinator,
            file_bytes=(HEADER + "W" * 100_000 + ",CSC-1,,\n").encode(),
        )
    [problem] = [str(error) for error in refused.value.errors]
    assert problem.startswith(f"line 2, column 1 (area): '{'W' * 59}…' is not an area")
    assert len(problem) < 300


def test_the_page_says_the_limits(planning_audit, coordinator, client_for):
    page = client_for(coordinator).get(reverse("audits:cases", args=[planning_audit.pk]))
    assert "up to 2 MB, 5,000 rows and 200 columns" in page.content.decode()
