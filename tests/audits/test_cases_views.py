"""The cases pages of an audit being planned: upload, draw, add and swap."""

import csv
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maca.audits.models import Candidate, Case
from maca.history.models import ChangeRecord

SAMPLE_CSV = Path(__file__).parent.parent / "data" / "candidates.csv"
HEADER = "area,Children's Social Care,Police,Health Provider\n"


def record_numbers() -> list[str]:
    with SAMPLE_CSV.open(newline="") as file:
        return [cell for row in list(csv.reader(file))[1:] for cell in row[1:] if cell]


def csv_file(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("candidates.csv", data, content_type="text/csv")


def url(name, audit, *args):
    return reverse(f"audits:{name}", args=[audit.pk, *args])


@pytest.fixture
def client(coordinator, client_for):
    return client_for(coordinator)


@pytest.fixture
def uploaded(planning_audit, client):
    client.post(
        url("candidates_upload", planning_audit),
        {"file": csv_file(SAMPLE_CSV.read_bytes())},
        follow=True,  # so its message is shown, and gone
    )
    return planning_audit


@pytest.fixture
def drawn(uploaded, client):
    client.post(url("sample_draw", uploaded), {"seed": "8120"}, follow=True)
    return uploaded


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_cases_page_shows_the_plan_and_how_to_upload_and_draw(planning_audit, client):
    page = client.get(url("cases", planning_audit)).content.decode()
    assert "Sample plan" in page and "No cases yet." in page
    assert "Leave empty for a random draw; the seed used is recorded" in page
    assert 'enctype="multipart/form-data"' in page
    assert "area,Children&#x27;s Social Care,Police,Health Provider" in page  # the example
    assert url("case_add", planning_audit) in page


def test_the_audit_page_links_to_cases_and_sample(planning_audit, client):
    page = client.get(url("detail", planning_audit)).content.decode()
    assert url("cases", planning_audit) in page and "Cases and sample" in page


def test_uploading_a_good_file_makes_the_candidates(planning_audit, client):
    response = client.post(
        url("candidates_upload", planning_audit),
        {"file": csv_file(SAMPLE_CSV.read_bytes())},
        follow=True,
    )
    assert messages_of(response) == ["Uploaded 24 candidates: 8 in East, 8 in North, 8 in Central."]
    assert planning_audit.candidates.count() == 24
    assert (
        "Uploading a file replaces the 24 candidates uploaded before" in response.content.decode()
    )


def test_a_bad_file_lists_every_problem_by_line_and_column_and_imports_nothing(
    planning_audit, client
):
    before = ChangeRecord.objects.count()
    bad = HEADER.replace("Police", "Polise") + "East,CSC-1,,\nWestt,CSC-2,,\nNorth,,,\n"
    response = client.post(
        url("candidates_upload", planning_audit), {"file": csv_file(bad.encode())}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Nothing was imported: the file has 3 problems." in page
    assert "line 1, column 3 (Polise): not an agency of this partnership" in page
    assert "line 3, column 1 (area): &#x27;Westt&#x27; is not an area of this partnership" in page
    assert "line 4, column 2 (Children&#x27;s Social Care): no agency is involved" in page
    assert 'href="#id_file"' in page
    assert not Candidate.objects.filter(audit=planning_audit).exists()
    assert ChangeRecord.objects.count() == before


def test_an_upload_without_a_file_asks_for_one(planning_audit, client):
    page = client.post(url("candidates_upload", planning_audit)).content.decode()
    assert "Choose a CSV file of candidate cases" in page


def test_drawing_takes_five_per_area_and_says_the_seed(uploaded, client):
    response = client.post(url("sample_draw", uploaded), {"seed": "8120"}, follow=True)
    assert messages_of(response) == ["Drew 15 cases (seed 8120)."]
    page = response.content.decode()
    for area in ["East", "North", "Central"]:
        assert Case.objects.filter(audit=uploaded, area__name=area).count() == 5
    assert "E-01" in page and "C-15" in page
    assert "drawn with seed <strong>8120</strong>" in page
    assert "Draw the sample</button>" not in page  # drawn once only


def test_a_draw_with_too_few_candidates_says_which_area(planning_audit, client):
    client.post(
        url("candidates_upload", planning_audit),
        {"file": csv_file((HEADER + "East,1,,\n").encode())},
    )
    page = client.post(url("sample_draw", planning_audit), {"seed": ""}).content.decode()
    assert "There is a problem" in page and "East has 1 candidate and the plan needs 5" in page
    assert not Case.objects.filter(audit=planning_audit).exists()


def test_a_case_can_be_added_by_hand(planning_audit, client, areas, agencies):
    assert client.get(url("case_add", planning_audit)).status_code == 200
    response = client.post(
        url("case_add", planning_audit),
        {"area": areas["North"].pk, "agencies": [agencies["Police"].pk]},
        follow=True,
    )
    assert messages_of(response) == ["Added case N-01."]
    assert Case.objects.get(audit=planning_audit).requests.get().agency == agencies["Police"]


def test_a_case_added_by_hand_needs_an_agency(planning_audit, client, areas):
    page = client.post(url("case_add", planning_audit), {"area": areas["North"].pk})
    assert "Select at least one agency involved in the case" in page.content.decode()
    assert not Case.objects.filter(audit=planning_audit).exists()


def test_a_swap_with_a_reason_is_recorded_in_the_history(drawn, client):
    case = drawn.cases.get(reference="E-01")
    replacement = Candidate.objects.filter(audit=drawn, case=None, area__name="East").first()
    response = client.post(
        url("case_swap", drawn, case.pk),
        {"replacement": replacement.pk, "reason": "The child's case was closed before the period"},
        follow=True,
    )
    assert messages_of(response) == [
        f"Swapped out E-01; swapped in line {replacement.line} as E-16."
    ]
    assert not Case.objects.filter(pk=case.pk).exists()
    change = ChangeRecord.objects.get(
        object_type="audits.case", object_id=str(case.pk), action="delete"
    )
    assert change.reason == "The child's case was closed before the period"
    page = response.content.decode()
    assert "Swapped out" in page and "closed before the period" in page


def test_a_swap_without_a_reason_is_refused_naming_the_field(drawn, client):
    case = drawn.cases.get(reference="E-01")
    response = client.post(url("case_swap", drawn, case.pk), {"replacement": "", "reason": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_reason">Give the reason for the swap.</a>' in page
    assert 'id="id_reason-error"' in page
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_coordinators_pages_never_show_a_record_number(drawn, client):
    numbers = record_numbers()
    assert len(numbers) > 40
    case = drawn.cases.first()
    pages = [
        url("cases", drawn),
        url("detail", drawn),
        url("case_swap", drawn, case.pk),
        url("case_add", drawn),
        url("history", drawn),
    ]
    for page_url in pages:
        page = client.get(page_url).content.decode()
        shown = [n for n in numbers if re.search(rf"\b{re.escape(n)}\b", page)]
        assert shown == [], f"{page_url} shows record numbers {shown}"


def test_an_audit_no_longer_planned_sends_changes_back_with_the_reason(audit, client):
    response = client.get(url("case_add", audit), follow=True)
    assert messages_of(response) == ["Cases can be changed only while the audit is being planned."]
    page = response.content.decode()
    assert "Swap<span" not in page and "Upload candidates" not in page


@pytest.mark.parametrize("name", ["cases", "case_add"])
def test_a_police_auditor_may_not_open_the_cases_pages(
    planning_audit, police_auditor, client_for, name
):
    assert client_for(police_auditor).get(url(name, planning_audit)).status_code == 403


def test_a_police_auditor_may_not_upload(planning_audit, police_auditor, client_for):
    response = client_for(police_auditor).post(
        url("candidates_upload", planning_audit), {"file": csv_file(SAMPLE_CSV.read_bytes())}
    )
    assert response.status_code == 403
    assert not planning_audit.candidates.exists()
