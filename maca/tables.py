"""The dashboard's figures as tables.

Every chart on the dashboard is drawn from one `Table`, shown beside it as its data table and
offered as a CSV download, so the three can never disagree. Board members see each table as
`disclosure.protect` leaves it: small counts read "fewer than N", and the counts that would
give them away read "not shown".

A column says what its figures are and how they add up (`sum_of`, `at_least`), so that the
disclosure check knows the sums a reader can work with.
"""

from dataclasses import dataclass

COUNT = "count"  # how many cases or returns: protected for the board (decision 38)
PERCENT = "percent"  # a share of counts in its row: withheld when one it is made of is hidden
# Any other figure: days, or how many audits or actions (none of which describes a child); one
# that names counts (`of`) is withheld when one of them is hidden (a median of 2 values late
# tells that 2 were late).
NUMBER = "number"
TEXT = "text"

Cell = int | float | str | None


class Fewer(str):
    """A small count, as the board reads it: "fewer than 3" (1 to 2)."""

    threshold: int

    def __new__(cls, threshold: int):
        made = super().__new__(cls, f"fewer than {threshold}")
        made.threshold = threshold
        return made

    # Kept across restarts (`kept`): pickled and keyed as what it is, not as its words.
    def __getnewargs__(self):
        return (self.threshold,)

    def __repr__(self) -> str:
        return f"Fewer({self.threshold})"


class Withheld(str):
    """A figure withheld so that a small count cannot be worked out from it: any number."""

    def __new__(cls):
        return super().__new__(cls, "not shown")

    def __getnewargs__(self):
        return ()

    def __repr__(self) -> str:
        return "Withheld()"


def hidden(cell: Cell) -> bool:
    return isinstance(cell, Fewer | Withheld)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = COUNT
    of: tuple[str, ...] = ()  # a share's or a figure's counts, by name (none named: the row's)
    sum_of: tuple[str, ...] = ()  # a total: the sum of these columns of its row
    at_least: tuple[str, ...] = ()  # never less than the sum of these columns of its row
    # Known to every reader from elsewhere (an audit's number of cases is on its page and in
    # its report): shown as it is, and counted as known by the disclosure check.
    known: bool = False


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]  # one per column; None where there is nothing to show

    def __post_init__(self):
        object.__setattr__(self, "cells", tuple(self.cells))


@dataclass(frozen=True)
class Table:
    key: str  # a slug: the CSV's URL and the page's anchor
    title: str
    row_header: str  # what the rows are ("Audit", "Agency")
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str = ""  # how to read it, shown under the title
    threshold: int | None = None  # set once protected for the board: its "fewer than N"

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(self.rows))
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"{self.key}: row {row.label!r} has the wrong number of cells")

    @property
    def suppressed(self) -> bool:
        return any(hidden(cell) for row in self.rows for cell in row.cells)

    def index(self, name: str) -> int:
        return [c.name for c in self.columns].index(name)

    def column(self, name: str) -> list[Cell]:
        index = self.index(name)
        return [row.cells[index] for row in self.rows]

    def row_index(self, label: str) -> int:
        return [row.label for row in self.rows].index(label)
