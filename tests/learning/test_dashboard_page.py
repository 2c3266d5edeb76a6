"""The dashboard page, its CSV and the board's threshold, as coordinators and board members use
them (figures themselves: test_figures.py)."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maca.audits.models import Case
from maca.history.models import ChangeRecord
from maca.learning import figures, presenting
from maca.partnerships.models import LibraryTheme, Partnership, Role
from maca.tables import Fewer, Withheld
from tests import factories as f
from tests.pages import text_of

from . import scene
from .attacker import pinned

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(partnership, areas, agencies):
    audits = scene.build(partnership, areas, agencies)
    # The partnership records each case's level of need (decision 69): some cases have one.
    # (Set without the change history: the tests here read the partnership's own records.)
    Partnership.objects.filter(pk=partnership.pk).update(profile_fields=["level_of_need"])
    partnership.refresh_from_db()
    for n, case in enumerate(Case.objects.filter(partnership=partnership).order_by("pk")):
        if n % 3:
            need = ("child_in_need", "child_protection")[n % 2]
            Case.objects.filter(pk=case.pk).update(level_of_need=need)
    return audits


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_coordinator_sees_every_table_with_its_chart_and_csv(built, coordinator, client_for):
    client = client_for(coordinator)
    responses = [client.get(f"/dashboard/{topic.slug}/") for topic in presenting.TOPICS]
    page = "".join(response.content.decode() for response in responses)
    assert all(response.status_code == 200 for response in responses)
    for key, title in figures.TITLES.items():
        assert f'id="{key}-heading"' in page
        assert f"/dashboard/{key}.csv" in page
        assert title.replace("'", "&#x27;") in page
    # Seven tables are drawn, across the parts of the dashboard; every chart is labelled and sits
    # before its table.
    assert page.count("<svg") == 7
    assert page.count('role="img" aria-labelledby="chart-') == 7
    assert "Level of need: Child protection" in page and "Level of need: Not recorded" in page
    # No style attributes: the Content Security Policy would ignore them.
    assert not re.search(r"<svg[^>]*>.*\sstyle=", page, re.S)
    assert "fewer than 3</td>" not in page


def test_the_page_says_which_audits_it_counts(built, coordinator, client_for):
    text = text_of(client_for(coordinator).get("/dashboard/"))
    assert "The partnership's 3 audits from June 2017 to March 2019" in text
    assert "Left out while" not in text


@pytest.fixture
def published(built):
    """Every audit of the scene counted for the board too: Domestic abuse's report published
    (the two closed audits count as published already)."""
    f.published_report(built[scene.ABUSE])
    return built


def test_a_board_member_sees_small_counts_as_fewer_than_the_threshold(
    published, coordinator, board_member, client_for
):
    mine = rows_of(client_for(coordinator).get("/dashboard/grades-by-audit.csv"))
    theirs = rows_of(client_for(board_member).get("/dashboard/grades-by-audit.csv"))
    assert mine[0] == theirs[0] == ["Audit", *scene_grades(), "Cases"]
    label = scene.LABELS[scene.CIN]
    assert row(mine, label) == ["0", "1", "1", "1", "1", "4"]
    # Four "fewer than 3" making 4 would each be 1: one at least is "not shown" (any number).
    theirs_cin = row(theirs, label)
    assert theirs_cin[0] == "0" and theirs_cin[5] == "4"
    assert set(theirs_cin[1:5]) == {"fewer than 3", "not shown"}
    assert_nothing_can_be_worked_out(client_for(board_member), threshold=3)
    page = text_of(client_for(board_member).get("/dashboard/"))
    assert 'counts from 1 to 2 are shown as "fewer than 3"' in page.replace("\u201c", '"').replace(
        "\u201d", '"'
    )
    assert "Each audit's published report gives its own figures in full" in page
    assert "An audit is counted here once its report is published." in page


def assert_nothing_can_be_worked_out(board, threshold):
    """From the two grade tables, their totals and their shared sums of each grade, a reader
    can work out none of the counts hidden from the board (tests/learning/attacker.py)."""
    cells, sums = {}, []
    tables = [
        rows_of(board.get(f"/dashboard/{key}.csv")) for key in ("grades-by-audit", "grades-by-area")
    ]
    for t, (_, *body) in enumerate(tables):
        for r, line in enumerate(body):
            for c, text in enumerate(line[1:]):
                cells[t, r, c] = (
                    Fewer(threshold)
                    if text.startswith("fewer")
                    else Withheld()
                    if text == "not shown"
                    else int(text)
                )
            sums.append(([*(((t, r, c), 1) for c in range(5)), ((t, r, 5), -1)], 0, True))
    for c in range(6):
        sums.append(
            (
                [((0, r, c), 1) for r in range(len(tables[0]) - 1)]
                + [((1, r, c), -1) for r in range(len(tables[1]) - 1)],
                0,
                True,
            )
        )
    assert any(isinstance(v, Withheld) for v in cells.values())
    assert pinned(cells, threshold, sums, cap=len(scene.CASES)) == {}


def scene_grades() -> list[str]:
    return ["Outstanding", "Good", "Requires improvement", "Inadequate", "Not scored"]


def row(rows, label):
    return next(r[1:] for r in rows if r[0] == label)


def test_a_csv_is_safe_in_a_spreadsheet_and_named_by_its_table(built, coordinator, client_for):
    response = client_for(coordinator).get("/dashboard/calibration.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="calibration-' in response["Content-Disposition"]
    assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))
    assert response.content.startswith("\ufeff".encode())


def test_an_unknown_table_is_not_found(coordinator, client_for, partnership):
    assert client_for(coordinator).get("/dashboard/nonsense.csv").status_code == 404


def test_an_empty_partnership_gets_a_page_that_says_so(coordinator, client_for, partnership):
    text = text_of(client_for(coordinator).get("/dashboard/"))
    assert "No audit has reached reporting yet" in text


def test_a_coordinator_changes_the_threshold_and_the_history_records_it(
    published, partnership, coordinator, board_member, client_for
):
    response = client_for(coordinator).post("/dashboard/threshold/", {"threshold": 5, "was": 3})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.small_count_threshold == 5
    change = ChangeRecord.objects.get(object_type="partnerships.partnership", action="update")
    assert (change.before["small_count_threshold"], change.after["small_count_threshold"]) == (
        3,
        5,
    )
    assert change.user == coordinator
    theirs = rows_of(client_for(board_member).get("/dashboard/grades-by-audit.csv"))
    cin = row(theirs, scene.LABELS[scene.CIN])
    assert cin[0] == "0" and cin[5] == "4" and "fewer than 5" in cin
    assert not {"1", "2", "3", "4"} & set(cin[1:5])
    assert_nothing_can_be_worked_out(client_for(board_member), threshold=5)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the smallest count board members see"),
        ("three", "Enter the smallest count as a whole number, like 3"),
        ("1", "Enter a number from 2 to 20"),
        ("21", "Enter a number from 2 to 20"),
    ],
)
def test_a_bad_threshold_is_refused_naming_the_field(
    value, message, partnership, coordinator, client_for
):
    response = client_for(coordinator).post("/dashboard/threshold/", {"threshold": value, "was": 3})
    assert response.status_code == 400
    text = text_of(response)
    assert "There is a problem" in text and message in text
    partnership.refresh_from_db()
    assert partnership.small_count_threshold == 3


def test_a_threshold_changed_meanwhile_is_not_overwritten(partnership, coordinator, client_for):
    client_for(coordinator).post("/dashboard/threshold/", {"threshold": 4, "was": 3})
    response = client_for(coordinator).post("/dashboard/threshold/", {"threshold": 6, "was": 3})
    assert response.status_code == 400
    assert "Another coordinator changed this to 4" in text_of(response)
    partnership.refresh_from_db()
    assert partnership.small_count_threshold == 4


def test_board_members_and_agency_users_cannot_change_it(
    partnership, board_member, police_auditor, client_for
):
    for user in (board_member, police_auditor):
        response = client_for(user).post("/dashboard/threshold/", {"threshold": 2, "was": 3})
        assert response.status_code == 403
    partnership.refresh_from_db()
    assert partnership.small_count_threshold == 3


def test_the_board_member_has_no_threshold_form(built, board_member, client_for):
    assert (
        "/dashboard/threshold/" not in client_for(board_member).get("/dashboard/").content.decode()
    )


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.BOARD_MEMBER])
def test_the_page_runs_as_many_queries_for_twelve_audits_as_for_two(role, client_for):
    def queries(name, **size) -> int:
        coordinator = scene.grow(name, **size)
        partnership = coordinator.memberships.get().partnership
        user = f.MembershipFactory(partnership=partnership, role=role).user
        client = client_for(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/").status_code == 200
        return len(captured)

    small = queries("Small", audits=2, cases=2, agencies=2, themes=2)
    large = queries("Large", audits=12, cases=4, agencies=6, themes=5)
    assert small == large


def test_the_theme_library_shows_the_board_small_counts_suppressed(
    built, partnership, coordinator, board_member, client_for
):
    sharing = LibraryTheme.objects.get(partnership=partnership, title=scene.SHARING)
    url = f"/themes/{sharing.pk}/"
    assert "2 of the 4 cases" in text_of(client_for(coordinator).get(url))
    theirs = text_of(client_for(board_member).get(url))
    assert "fewer than 3 of the 4 cases" in theirs
    assert "2 of the 4 cases" not in theirs
