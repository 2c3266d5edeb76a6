"""The dashboard's figures as tables.

Every chart on the dashboard is drawn from one `Table`, shown beside it as its data table and
offered as a CSV download, so the three can never disagree. Board members see each table
through `for_board`: counts below the partnership's threshold become "fewer than N".
"""

from dataclasses import dataclass, replace

COUNT = "count"  # how many cases, returns or actions: suppressed for the board when small
PERCENT = "percent"  # a share of counts in its row: withheld when one it is made of is suppressed
NUMBER = "number"  # any other figure (days, a ratio of whole audits)
TEXT = "text"

Cell = int | float | str | None


class Fewer(str):
    """A suppressed count, as the board reads it: "fewer than 3"."""

    def __new__(cls, threshold: int):
        return super().__new__(cls, f"fewer than {threshold}")


class Withheld(str):
    """A share withheld because a count it is made from is suppressed."""

    def __new__(cls):
        return super().__new__(cls, "not shown")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = COUNT
    of: tuple[str, ...] = ()  # a share's counts, by column name (none named: the whole row)


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

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(self.rows))
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"{self.key}: row {row.label!r} has the wrong number of cells")

    @property
    def suppressed(self) -> bool:
        return any(isinstance(cell, Fewer) for row in self.rows for cell in row.cells)

    def column(self, name: str) -> list[Cell]:
        index = [c.name for c in self.columns].index(name)
        return [row.cells[index] for row in self.rows]


def suppress(value: Cell, threshold: int) -> Cell:
    """A count as the board may see it. Zero stays zero (it describes no child); 1 to
    threshold-1 become "fewer than threshold" (NHS small-number practice)."""
    if isinstance(value, int) and 0 < value < threshold:
        return Fewer(threshold)
    return value


def for_board(table: Table, threshold: int) -> Table:
    """The table with every small count suppressed, and the shares made from them withheld."""
    rows = []
    for row in table.rows:
        cells = [
            suppress(cell, threshold) if column.kind == COUNT else cell
            for column, cell in zip(table.columns, row.cells, strict=True)
        ]
        hidden = {
            c.name for c, cell in zip(table.columns, cells, strict=True) if isinstance(cell, Fewer)
        }
        cells = [
            Withheld()
            if column.kind == PERCENT
            and cell is not None
            and hidden.intersection(column.of or hidden)
            else cell
            for column, cell in zip(table.columns, cells, strict=True)
        ]
        rows.append(replace(row, cells=tuple(cells)))
    return replace(table, rows=tuple(rows))
