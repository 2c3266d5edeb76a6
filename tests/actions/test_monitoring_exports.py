"""The monitoring list as CSV and Word: the same rows as the page, safe to open."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from maca import access
from maca.actions import exports, selectors
from maca.actions.views import DOCX
from tests import factories as f

from . import monitoring_scene as scene

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "\tTabbed", "\rReturned"]


@pytest.fixture
def actions(audit, agencies):
    return scene.build(audit, agencies)


def csv_rows(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")  # the byte order mark, for Excel
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def docx_table(content: bytes) -> list[list[str]]:
    table = Document(io.BytesIO(content)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def page_descriptions(response) -> list[str]:
    return [row.action.description for row in response.context["rows"]]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "show=all",
        "immediate=yes",
        "immediate=no&show=all",
        f"theme={scene.LIBRARY}",
        "agency={health}",
    ],
)
def test_csv_and_word_list_exactly_the_rows_the_page_shows(
    query, actions, agencies, coordinator, client_for
):
    client = client_for(coordinator)
    query = query.format(health=agencies["Health Provider"].pk)
    page = client.get(reverse("actions:monitoring"), {} if not query else _params(query))
    shown = page_descriptions(page)
    assert shown  # every filter above keeps some actions
    as_csv = client.get(reverse("actions:monitoring_csv") + "?" + query)
    assert [row["Action"] for row in csv_rows(as_csv.content)] == shown
    as_word = client.get(reverse("actions:monitoring_docx") + "?" + query)
    _, *body = docx_table(as_word.content)
    assert [row[2].removesuffix(" (immediate)") for row in body] == shown
    overdue = sum(row.rag == "red" for row in page.context["rows"])
    noun = "action" if len(shown) == 1 else "actions"
    assert f"{len(shown)} {noun}, of which {overdue} overdue." in _paragraphs(as_word.content)


def _params(query: str) -> dict:
    return dict(pair.split("=", 1) for pair in query.split("&"))


def _paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def test_csv_columns_and_values(actions, coordinator):
    rows = selectors.monitoring_rows(
        access.viewer_as(coordinator), show="all", today=timezone.localdate()
    )
    read = csv_rows(exports.monitoring_csv(rows).encode())
    assert list(read[0]) == exports.CSV_COLUMNS
    by_action = {row["Action"]: row for row in read}
    later = by_action[scene.LATER]
    assert later["Audit"] == "Transitions to adult services"
    assert later["Agency"] == "Police"
    assert later["Immediate"] == "No"
    assert later["Owner"] == "Named GP lead"
    assert later["Due"] == actions[scene.LATER].due.isoformat()
    assert later["Status"] == "In progress"
    assert later["RAG"] == "On track"
    assert later["Last update"] == timezone.localdate().isoformat()
    assert later["Themes"] == scene.NEGLECT
    assert by_action[scene.IMMEDIATE]["Immediate"] == "Yes"
    assert by_action[scene.LATE]["RAG"] == "Overdue"
    assert by_action[scene.SOON]["Last update"] == ""
    assert by_action[scene.DONE]["RAG"] == "Complete"


def test_csv_cells_that_start_like_formulas_are_quoted(actions, coordinator, agencies):
    recommendation = actions[scene.LATE].recommendation
    due = timezone.localdate() + datetime.timedelta(days=60)
    for text in HOSTILE:
        f.ActionFactory(
            recommendation=recommendation,
            agency=agencies["Police"],
            description=text,
            owner=text,
            due=due,
        )
    rows = selectors.monitoring_rows(access.viewer_as(coordinator), today=timezone.localdate())
    read = csv_rows(exports.monitoring_csv(rows).encode())
    descriptions = {row["Action"] for row in read}
    owners = {row["Owner"] for row in read}
    for text in HOSTILE:
        assert f"'{text}" in descriptions
        assert f"'{text}" in owners
        assert text not in descriptions


def test_the_word_file_is_landscape_marked_and_titled(actions, coordinator, partnership):
    today = datetime.date(2026, 11, 23)
    rows = selectors.monitoring_rows(access.viewer_as(coordinator), today=today)
    content = exports.monitoring_docx(
        rows, partnership=partnership, filters_text="Open actions", today=today
    )
    doc = Document(io.BytesIO(content))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert "OFFICIAL-SENSITIVE" in section.header.paragraphs[0].text
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert paragraphs[0].text == "Actions being monitored"
    assert paragraphs[0].style.name == "Heading 1"
    assert paragraphs[1].text == partnership.name
    assert paragraphs[2].text == "On 23 November 2026. Filters: Open actions."
    table = doc.tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells] == [name for name, _ in exports.WORD_COLUMNS]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    immediate = next(r for r in table.rows if r.cells[2].text.startswith(scene.IMMEDIATE))
    assert immediate.cells[2].text == f"{scene.IMMEDIATE} (immediate)"
    assert doc.core_properties.created == datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)


def test_the_word_file_is_the_same_bytes_for_the_same_rows_and_day(actions, coordinator):
    today = datetime.date(2026, 11, 23)
    viewer = access.viewer_as(coordinator)
    rows = selectors.monitoring_rows(viewer, today=today)

    def made():
        return exports.monitoring_docx(
            rows, partnership=viewer.partnership, filters_text="Open actions", today=today
        )

    assert made() == made()


def test_an_empty_list_makes_a_word_file_without_a_table(coordinator, partnership):
    content = exports.monitoring_docx(
        [], partnership=partnership, filters_text="Open actions", today=datetime.date(2026, 1, 5)
    )
    assert "0 actions, of which 0 overdue." in _paragraphs(content)
    assert Document(io.BytesIO(content)).tables == []


def test_downloads_are_attachments_not_kept_in_caches(actions, coordinator, client_for):
    client = client_for(coordinator)
    today = timezone.localdate()
    for name, extension, content_type in (
        ("actions:monitoring_csv", "csv", "text/csv; charset=utf-8"),
        ("actions:monitoring_docx", "docx", DOCX),
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="actions-{today}.{extension}"'
        )
        assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))


def test_an_agency_users_files_hold_only_their_agencys_actions(actions, police_auditor, client_for):
    client = client_for(police_auditor)
    read = csv_rows(client.get(reverse("actions:monitoring_csv") + "?show=all").content)
    assert {row["Agency"] for row in read} == {"Police"}
    assert scene.SOON not in {row["Action"] for row in read}
    word = client.get(reverse("actions:monitoring_docx") + "?show=all").content
    assert {row[1] for row in docx_table(word)[1:]} == {"Police"}
    assert any("agency: Police" in text for text in _paragraphs(word))
