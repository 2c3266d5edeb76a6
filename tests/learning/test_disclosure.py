"""The board's disclosure policy (maca/disclosure.py, decision 38): what a board member
reads of a table, and that no hidden count can be worked out from what is shown.

Every proof uses `attacker.py`, a reader who searches through every set of figures that fits
what is shown and the sums a reader knows; it shares no code with the policy.
"""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from maca.disclosure import Relation, at_most, protect, same
from maca.learning import charts, figures
from maca.tables import (
    NUMBER,
    PERCENT,
    Column,
    Fewer,
    Row,
    Table,
    Withheld,
    hidden,
)

from .attacker import pinned, possible_values, ranges_of

GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate", "Not scored")


def grade_table(key: str, rows: list[tuple[int, ...]], *, known: bool = True) -> Table:
    """Rows of counts by grade and their total, as the dashboard's grade tables have them."""
    columns = (*(Column(g) for g in GRADES), Column("Cases", sum_of=GRADES, known=known))
    return Table(key, key, "Row", columns, [Row(f"{key} {i}", r) for i, r in enumerate(rows)])


def cells_of(*tables: Table) -> dict[tuple, object]:
    return {
        (t.key, r, c): cell
        for t in tables
        for r, row in enumerate(t.rows)
        for c, cell in enumerate(row.cells)
        if isinstance(cell, int | str) and t.columns[c].kind not in (PERCENT, NUMBER)
    }


def row_sums(table: Table, parts: int, total: int) -> list:
    """What a reader knows of a table whose column `total` adds up columns 0 to parts-1."""
    return [
        ([*(((table.key, r, c), 1) for c in range(parts)), ((table.key, r, total), -1)], 0, True)
        for r in range(len(table.rows))
    ]


def test_the_row_the_review_recovered_keeps_its_small_count_hidden():
    # "0 | 4 | 6 | fewer than 3 | 4 | total 15": the hidden cell was 15 - 14 = 1.
    table = grade_table("audits", [(0, 4, 6, 1, 4, 15)])

    (shown,) = protect([table], threshold=3)

    cells = shown.rows[0].cells
    assert cells[3] == "fewer than 3" and isinstance(cells[3], Fewer)
    assert sum(isinstance(cell, Withheld) for cell in cells) == 1  # one more count hidden
    assert cells[5] == 15  # an audit's number of cases is on its page anyway
    ranges = ranges_of(cells_of(shown), 3, cap=15)
    values = possible_values(ranges, row_sums(shown, 5, 5))
    assert values[("audits", 0, 3)] == {1, 2}
    assert pinned(cells_of(shown), 3, row_sums(shown, 5, 5), cap=15) == {}


def test_small_counts_that_only_add_up_one_way_are_widened_to_not_shown():
    # Four "fewer than 3" making a known 4 can only be 1 each.
    table = grade_table("audits", [(0, 1, 1, 1, 1, 4)])

    (shown,) = protect([table], threshold=3)

    cells = shown.rows[0].cells
    assert any(isinstance(cell, Withheld) for cell in cells[1:5])
    assert all(hidden(cell) for cell in cells[1:5])
    assert pinned(cells_of(shown), 3, row_sums(shown, 5, 5), cap=4) == {}


def test_a_total_hidden_with_its_counts_still_cannot_be_worked_out():
    # Two returns, graded 1 and 1: the total is small too, and not known elsewhere.
    table = grade_table("agencies", [(1, 1, 0, 0, 0, 2), (3, 4, 0, 5, 0, 12)], known=False)

    (shown,) = protect([table], threshold=3)

    assert hidden(shown.rows[0].cells[5])
    assert pinned(cells_of(shown), 3, row_sums(shown, 5, 5), cap=12) == {}
    assert shown.rows[1].cells == (3, 4, 0, 5, 0, 12)


def test_a_count_the_known_figures_give_away_is_shown_as_it_is():
    # An agency involved in every case of an audit has as many cases as the audit, which is
    # known: hiding its total would protect nothing. Its grades are still protected.
    audits = grade_table("audits", [(0, 1, 1, 0, 0, 2), (0, 5, 4, 3, 0, 12)])
    agencies = grade_table("agencies", [(0, 1, 1, 0, 0, 2)], known=False)
    relations = [
        same([("agencies", 0, c)], [("audits", 0, c)]) for c in range(6)
    ]  # the agency took part in every case of the first audit

    shown_audits, shown_agencies = protect([audits, agencies], relations, threshold=3)

    assert shown_agencies.rows[0].cells[5] == 2
    assert shown_agencies.rows[0].cells[1] == "fewer than 3"
    sums = [*row_sums(shown_audits, 5, 5), *row_sums(shown_agencies, 5, 5)]
    sums += [([((r.terms[0][0]), 1), (r.terms[1][0], -1)], 0, True) for r in relations]
    assert pinned(cells_of(shown_audits, shown_agencies), 3, sums, cap=14) == {}


def test_shares_and_a_median_made_of_a_hidden_count_are_withheld():
    columns = (
        Column("Requested", at_least=("Submitted",)),
        Column("Submitted", at_least=("On time", "Late")),
        Column("On time"),
        Column("Late"),
        Column("Submitted %", PERCENT, of=("Submitted", "Requested")),
        Column("On time %", PERCENT, of=("On time", "Late")),
        Column("Median days late", NUMBER, of=("Late",)),
    )
    table = Table(
        "rates",
        "Rates",
        "Agency",
        columns,
        [Row("Police", (10, 9, 7, 2, 90, 78, 4.5)), Row("Health", (8, 8, 5, 3, 100, 63, 2.0))],
    )

    police, health = protect([table], threshold=3)[0].rows

    # Two late returns, a median of 4.5 days: both shares with them, and the median (a half
    # says an even number were late), are withheld; the submitted share is not made of them.
    assert police.cells[3] == "fewer than 3"
    assert police.cells[4] == 90
    assert [str(cell) for cell in police.cells[5:]] == ["not shown", "not shown"]
    assert health.cells == (8, 8, 5, 3, 100, 63, 2.0)


def test_with_a_threshold_of_2_a_count_of_1_is_not_shown():
    # "Fewer than 2" would say it is 1.
    (shown,) = protect([grade_table("audits", [(1, 4, 6, 2, 4, 17)])], threshold=2)

    cells = shown.rows[0].cells
    assert isinstance(cells[0], Withheld)
    assert not any(isinstance(cell, Fewer) for cell in cells)
    assert pinned(cells_of(shown), 2, row_sums(shown, 5, 5), cap=17) == {}


def test_zero_stays_zero_and_a_table_without_small_counts_is_unchanged():
    table = grade_table("audits", [(0, 4, 6, 3, 0, 13)])

    (shown,) = protect([table], threshold=3)

    assert shown.rows == table.rows
    assert not shown.suppressed and shown.threshold == 3


def test_the_threshold_is_the_partnerships():
    (shown,) = protect([grade_table("audits", [(0, 4, 6, 3, 5, 18)])], threshold=5)

    assert shown.rows[0].cells[1] == "fewer than 5" and shown.rows[0].cells[3] == "fewer than 5"


def test_a_relation_that_does_not_hold_is_no_fact_and_changes_nothing():
    table = grade_table("audits", [(0, 4, 6, 1, 4, 15)])
    false = at_most([("audits", 0, 1)], plus=3)  # 4 is not at most 3
    assert protect([table], [false], threshold=3) == protect([table], threshold=3)


def test_each_bar_of_the_boards_chart_reaches_its_total_and_what_is_hidden_is_labelled():
    table = grade_table(
        figures.GRADES_BY_AUDIT, [(0, 4, 6, 1, 4, 15), (2, 5, 3, 0, 1, 11), (0, 1, 1, 1, 1, 4)]
    )
    (shown,) = protect([table], threshold=3)
    chart = charts.bar_chart(shown)
    figure = Figure()
    chart.draw(figure)
    (ax,) = figure.axes

    reach = Counter()
    for bar in ax.patches:
        reach[round(bar.get_y() + bar.get_height() / 2)] += bar.get_width()
    assert [reach[y] for y in range(3)] == [15, 11, 4]
    labels = [text.get_text() for text in figure.legends[0].get_texts()]
    assert labels == [*GRADES, "Fewer than 3 or not shown"]
    assert "Fewer than 3 or not shown: one dotted white band at the end of its bar" in chart.alt


def test_a_share_not_shown_is_not_drawn_and_says_so():
    rates = figures.RETURN_RATES
    columns = (
        Column(figures.REQUESTED, at_least=(figures.SUBMITTED,)),
        Column(figures.SUBMITTED, at_least=(figures.ON_TIME, figures.LATE)),
        Column(figures.ON_TIME),
        Column(figures.LATE),
        Column(figures.SUBMITTED_SHARE, PERCENT, of=(figures.SUBMITTED, figures.REQUESTED)),
        Column(figures.ON_TIME_SHARE, PERCENT, of=(figures.ON_TIME, figures.LATE)),
        Column(figures.MEDIAN_DAYS_LATE, NUMBER, of=(figures.LATE,)),
    )
    table = Table(rates, "Rates", "Agency", columns, [Row("Police", (10, 9, 7, 2, 90, 78, 4.5))])
    (shown,) = protect([table], threshold=3)
    figure = Figure()
    charts.bar_chart(shown).draw(figure)

    texts = [text.get_text() for text in figure.axes[0].texts]
    assert texts == ["90", "not shown"]


# --- Properties: no hidden count can be worked out, whatever the figures --------------------------


@st.composite
def one_table(draw):
    """A table of counts (1 to 3 rows, 2 to 4 columns, mostly small), each row with its total,
    known to the reader or not, and each column's total known to the reader or not."""
    rows = draw(st.integers(1, 3))
    columns = draw(st.integers(2, 4))
    count = st.integers(0, 7) | st.integers(0, 2)
    counts = [[draw(count) for _ in range(columns)] for _ in range(rows)]
    return counts, draw(st.booleans()), draw(st.booleans()), draw(st.integers(2, 5))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_table())
def test_no_hidden_count_of_a_table_can_be_worked_out(drawn):
    counts, row_totals_known, column_totals_known, threshold = drawn
    names = tuple(f"c{c}" for c in range(len(counts[0])))
    columns = (*(Column(n) for n in names), Column("Total", sum_of=names, known=row_totals_known))
    table = Table(
        "t", "T", "Row", columns, [Row(f"r{i}", (*r, sum(r))) for i, r in enumerate(counts)]
    )
    relations = []
    if column_totals_known:  # as if a totals row were printed under it
        for c in range(len(names) + 1):
            total = sum(row.cells[c] for row in table.rows)
            relations.append(Relation(tuple((("t", r, c), 1) for r in range(len(counts))), -total))

    (shown,) = protect([table], relations, threshold=threshold)

    sums = row_sums(shown, len(names), len(names))
    sums += [([(ref, 1) for ref, _ in r.terms], r.constant, True) for r in relations]
    cap = sum(map(sum, counts))
    assert_protected(
        table, shown, threshold, sums, cap, known={len(names)} if row_totals_known else set()
    )


@st.composite
def cases(draw):
    """Up to 9 cases, each in one of 2 audits and one of 2 areas, with one of 3 grades."""
    n = draw(st.integers(1, 9))
    return [
        (draw(st.integers(0, 1)), draw(st.integers(0, 1)), draw(st.integers(0, 2)))
        for _ in range(n)
    ], draw(st.integers(2, 4))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_no_hidden_count_of_two_tables_of_the_same_cases_can_be_worked_out(drawn):
    # The dashboard's two grade tables count the same cases, by audit and by area: each grade
    # adds up to the same in both, and each row's total is known (the audits' pages).
    found, threshold = drawn
    grades = ("g0", "g1", "g2")
    columns = (*(Column(g) for g in grades), Column("Cases", sum_of=grades, known=True))

    def table(key, index):
        rows = []
        for group in (0, 1):
            counts = Counter(case[2] for case in found if case[index] == group)
            cells = tuple(counts[g] for g in range(3))
            rows.append(Row(f"{key} {group}", (*cells, sum(cells))))
        return Table(key, key, "Row", columns, rows)

    by_audit, by_area = table("audits", 0), table("areas", 1)
    relations = [
        same([("audits", r, c) for r in (0, 1)], [("areas", r, c) for r in (0, 1)])
        for c in range(4)
    ]

    shown_audit, shown_area = protect([by_audit, by_area], relations, threshold=threshold)

    sums = [*row_sums(shown_audit, 3, 3), *row_sums(shown_area, 3, 3)]
    sums += [([(ref, c) for ref, c in r.terms], 0, True) for r in relations]
    for original, shown in ((by_audit, shown_audit), (by_area, shown_area)):
        for row, shown_row in zip(original.rows, shown.rows, strict=True):
            assert shown_row.cells[3] == row.cells[3]  # totals known: shown as they are
    cells = cells_of(shown_audit, shown_area)
    assert pinned(cells, threshold, sums, cap=len(found)) == {}
    for original, shown in ((by_audit, shown_audit), (by_area, shown_area)):
        for row, shown_row in zip(original.rows, shown.rows, strict=True):
            for value, cell in zip(row.cells[:3], shown_row.cells[:3], strict=True):
                assert hidden(cell) or not 0 < value < threshold


def assert_protected(table, shown, threshold, sums, cap, known):
    cells = cells_of(shown)
    assert pinned(cells, threshold, sums, cap) == {}, (table.rows, shown.rows)
    for r, (row, shown_row) in enumerate(zip(table.rows, shown.rows, strict=True)):
        for c, (value, cell) in enumerate(zip(row.cells, shown_row.cells, strict=True)):
            if isinstance(cell, Fewer):
                assert 0 < value < threshold  # the label never lies
            if hidden(cell) or c in known or not 0 < value < threshold:
                continue
            # A small count shown must be one a reader can work out whatever else is hidden.
            widest = {
                ref: (Withheld() if ref[2] not in known else v)
                for ref, v in cells_of(table).items()
            }
            widest[("t", r, c)] = Withheld()
            assert ("t", r, c) in pinned(widest, threshold, sums, cap), (table.rows, shown.rows)
