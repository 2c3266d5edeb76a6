"""On the demo, no count the board may not see can be worked out from what a board member reads:
every page and CSV they can reach, put together as a careful reader would.

The reader (`attacker.py`) knows every count shown, what "fewer than 3" and "not shown" allow,
and the sums that hold by the nature of the figures, written here from what the tables mean
(not from maca's own list of them): each row's total; the two grade tables count the same
cases; an agency's returns and its ratified cases are some of all the cases; returns requested,
submitted, on time and late; the shares printed beside them; a theme's cases in an audit are no
more than the audit's, and the theme library prints the same counts. An audit's published
report is left out: it is given to the board whole (decision 38).
"""

import csv
import io

import pytest

from maca import access
from maca.accounts.models import User
from maca.learning import figures, presenting, selectors_library
from maca.learning.facts import audit_label
from maca.tables import Fewer, Withheld
from tests.support import once
from tests.support.crawl import crawl
from tests.support.demo import demo_with_the_2015_upload, signed_in

from .attacker import pinned_by_program, ranges_of

pytestmark = pytest.mark.django_db

GRADES = ["Outstanding", "Good", "Requires improvement", "Inadequate", "Not scored"]
SCORES = GRADES[:4]
THRESHOLD = 3


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def board(django_db_setup, django_db_blocker):
    """The demo, with the 2015 audit loaded from its workbook, as the board member reads it:
    loaded once for the module (tests/support/once.py)."""
    with once.rolled_back(django_db_blocker):
        demo_with_the_2015_upload()
        yield signed_in("board@example.org")


def cell(text: str):
    if text == "":
        return None
    if text.startswith("fewer than "):
        return Fewer(int(text.removeprefix("fewer than ")))
    if text == "not shown":
        return Withheld()
    return float(text) if "." in text else int(text)


class Reading:
    """What the reader collects: each count by (table, row, column), and the sums they know."""

    def __init__(self):
        self.counts: dict[tuple, object] = {}
        self.sums: list = []

    def table(self, key: str, rows: list[list[str]]) -> dict[str, dict[str, object]]:
        header, *body = rows
        return {row[0]: dict(zip(header[1:], map(cell, row[1:]), strict=True)) for row in body}

    def count(self, key, row, column, value) -> tuple:
        ref = (key, row, column)
        self.counts[ref] = value
        return ref

    def add(self, left, right=(), *, at_most=False, constant=0):
        """Σ left (=|<=) Σ right + constant."""
        terms = [(ref, 1) for ref in left] + [(ref, -1) for ref in right]
        self.sums.append((terms, -constant, not at_most))

    def share(self, part, whole, shown):
        """A share printed as p (halves rounded up) of part out of whole:
        2p·whole <= 200·part + whole < 2(p+1)·whole."""
        if not isinstance(shown, int | float) or isinstance(shown, Fewer | Withheld):
            return
        p = int(shown)
        self.sums.append(([(whole, 2 * p - 1), (part, -200)], 0, False))
        self.sums.append(([(part, 200), (whole, 1 - 2 * (p + 1))], 1, False))


def read_everything(board) -> tuple[Reading, dict]:
    seen, _ = crawl(board)
    csvs = {
        url.removeprefix("/dashboard/").split(".csv")[0]: url
        for url in seen
        if url.startswith("/dashboard/") and ".csv" in url
    }
    assert set(csvs) == set(figures.TITLES), "the crawl did not reach every table's CSV"
    reading = Reading()
    tables = {}
    for key, url in csvs.items():
        text = board.get(url).content.decode("utf-8-sig")
        tables[key] = reading.table(key, list(csv.reader(io.StringIO(text))))

    def counts(key, names):
        return {
            label: {name: reading.count(key, label, name, row[name]) for name in names}
            for label, row in tables[key].items()
        }

    by_audit = counts(figures.GRADES_BY_AUDIT, [*GRADES, "Cases"])
    by_area = counts(figures.GRADES_BY_AREA, [*GRADES, "Cases"])
    own = counts(figures.AGENCY_SELF_GRADES, [*GRADES, "Returns"])
    involved = counts(figures.AGENCY_RATIFIED_GRADES, [*GRADES, "Cases"])
    rates = counts(figures.RETURN_RATES, ["Requested", "Submitted", "On time", "Late"])
    compared = counts(figures.CALIBRATION, ["Matched", "Graded higher", "Graded lower", "Compared"])
    for rows, total in (
        (by_audit, "Cases"),
        (by_area, "Cases"),
        (own, "Returns"),
        (involved, "Cases"),
    ):
        for row in rows.values():
            reading.add([row[g] for g in GRADES], [row[total]])
    for name in [*GRADES, "Cases"]:
        reading.add([r[name] for r in by_audit.values()], [r[name] for r in by_area.values()])
        # An agency's ratified cases of a grade are some of all the cases of that grade.
        for row in involved.values():
            reading.add([row[name]], [r[name] for r in by_audit.values()], at_most=True)
    for agency, row in rates.items():
        reading.add([row["Submitted"]], [row["Requested"]], at_most=True)
        reading.add([row["On time"], row["Late"]], [row["Submitted"]], at_most=True)
        shown = tables[figures.RETURN_RATES][agency]
        reading.share(row["Submitted"], row["Requested"], shown["Submitted %"])
        # The returns whose lateness is known, which no page prints: On time %'s whole.
        late = reading.count("known lateness", agency, "", Withheld())
        reading.add([row["On time"], row["Late"]], [late])
        reading.share(row["On time"], late, shown["On time %"])
        if agency in own:  # its graded returns were submitted
            reading.add([own[agency]["Returns"]], [row["Submitted"]], at_most=True)
    for agency, row in compared.items():
        reading.add([row["Matched"], row["Graded higher"], row["Graded lower"]], [row["Compared"]])
        reading.add([row["Compared"]], [own[agency][g] for g in SCORES], at_most=True)
        reading.share(
            row["Matched"], row["Compared"], tables[figures.CALIBRATION][agency]["Matched %"]
        )
    audit_cases = {label: row["Cases"] for label, row in by_audit.items()}
    for theme, row in tables[figures.THEME_MATRIX].items():
        for label, value in row.items():
            if label in audit_cases and value is not None:
                ref = reading.count(figures.THEME_MATRIX, theme, label, value)
                reading.add([ref], [audit_cases[label]], at_most=True)
    return reading, tables


def test_no_hidden_count_can_be_worked_out_from_the_boards_pages_on_the_demo(board):
    reading, _ = read_everything(board)
    hidden = {
        ref: value
        for ref, value in reading.counts.items()
        if isinstance(value, Fewer | Withheld) and ref[0] in figures.TITLES
    }
    # Not a vacuous pass: the demo's board dashboard hides counts in most tables.
    assert len(hidden) >= 20
    assert any(isinstance(v, Fewer) for v in hidden.values())

    cap = sum(v for v in reading.counts.values() if type(v) is int)
    found = pinned_by_program(ranges_of(reading.counts, THRESHOLD, cap), reading.sums)

    recovered = {ref: value for ref, value in found.items() if ref in hidden}
    assert recovered == {}, f"{len(recovered)} hidden counts can be worked out: {recovered}"


def test_the_theme_library_prints_the_dashboards_counts_of_each_theme(board):
    # The same counts in two places must read the same, or one would give the other away.
    viewer = access.viewer_as(User.objects.get(email="board@example.org"))
    matrix = presenting.dashboard_table(viewer, figures.THEME_MATRIX)
    checked = 0
    for theme in access.library_themes_for(viewer).live():
        for finding in selectors_library.theme_findings(viewer, theme):
            row = matrix.rows[matrix.row_index(theme.title)]
            from_matrix = row.cells[matrix.index(audit_label(finding.audit))]
            assert (finding.cases, type(finding.cases)) == (from_matrix, type(from_matrix))
            checked += 1
    assert checked >= 5
