"""The board's small-count suppression of a table (maca/learning/tables.py)."""

from hypothesis import given
from hypothesis import strategies as st

from maca.learning.tables import (
    COUNT,
    NUMBER,
    PERCENT,
    TEXT,
    Column,
    Fewer,
    Row,
    Table,
    Withheld,
    for_board,
)

COLUMNS = (
    Column("Matched"),
    Column("Higher"),
    Column("Compared"),
    Column("Matched %", PERCENT, of=("Matched", "Compared")),
    Column("Any %", PERCENT),
    Column("Median days late", NUMBER),
    Column("Note", TEXT),
)


def table(*rows) -> Table:
    return Table("t", "T", "Agency", COLUMNS, [Row(f"Agency {i}", r) for i, r in enumerate(rows)])


def test_counts_below_the_threshold_are_fewer_than_it_and_zero_stays():
    shown = for_board(table((0, 1, 2, None, None, 1.5, "x"), (3, 2, 5, 60, 60, 2, "y")), 3)
    assert shown.rows[0].cells == (0, "fewer than 3", "fewer than 3", None, None, 1.5, "x")
    assert shown.rows[1].cells[:3] == (3, "fewer than 3", 5)
    assert shown.suppressed


def test_a_share_is_withheld_only_when_a_count_it_is_made_of_is_suppressed():
    shown = for_board(table((4, 1, 5, 80, 80, 0, ""), (2, 4, 6, 33, 33, 0, "")), 3)
    first, second = shown.rows
    # Higher is suppressed, but Matched % is made of Matched and Compared: still shown.
    assert first.cells[3] == 80
    # A share naming no counts is made of the whole row: withheld.
    assert isinstance(first.cells[4], Withheld) and first.cells[4] == "not shown"
    assert isinstance(second.cells[3], Withheld)


def test_the_threshold_is_the_partnerships():
    shown = for_board(table((4, 5, 9, 44, 44, 0, "")), 5)
    assert shown.rows[0].cells[:3] == ("fewer than 5", 5, 9)


def test_a_table_without_small_counts_is_unchanged():
    original = table((3, 4, 7, 43, 43, 1.0, "z"))
    assert for_board(original, 3) == original
    assert not original.suppressed


def test_a_row_of_the_wrong_length_is_refused():
    try:
        Table("t", "T", "Agency", COLUMNS, [Row("A", (1, 2))])
    except ValueError as error:
        assert "wrong number of cells" in str(error)
    else:
        raise AssertionError("a short row was accepted")


@given(
    counts=st.lists(st.integers(min_value=0, max_value=50), min_size=3, max_size=3),
    threshold=st.integers(min_value=2, max_value=20),
)
def test_no_count_below_the_threshold_survives(counts, threshold):
    shown = for_board(table((*counts, 10, 10, 1.0, "")), threshold)
    for column, cell in zip(COLUMNS, shown.rows[0].cells, strict=True):
        if column.kind == COUNT:
            assert isinstance(cell, Fewer) or cell == 0 or cell >= threshold
