"""What the board may read of the partnership's counts: the disclosure policy of decision 38,
applied here and nowhere else.

Board members read every count of cases or returns as `protect` leaves it: the dashboard's
tables, their CSV files and their charts (drawn from the protected tables), and the theme
library's counts (the same cells as the dashboard's theme matrix).

1. **Primary suppression.** A count from 1 to N-1 (N: the partnership's threshold) reads
   "fewer than N". Zero stays zero: it describes no child.
2. **Secondary suppression.** No hidden count may be worked out from what is shown: not from
   its row's total, nor from the same cases counted in another table, nor from the number of
   cases an audit is known to have. For every hidden count, the counts shown, the relations
   between counts (`Relation`: the tables' totals, and the facts `figures.relations` states)
   and the ranges the labels give ("fewer than 3": 1 or 2; "not shown": any number) must allow
   at least two values. Where they would allow one, another count of its relations is hidden
   ("not shown"), or the small count itself is widened from "fewer than N" to "not shown",
   whichever loses the reader least: an integer program finds the figures nearest the real
   ones in which the count differs, and what they change is hidden (`_fix`). "Not shown"
   stands for any number, as ONS's [c] and NHS Digital's * do, so a reader cannot tell a
   widened small count from a large one hidden to protect it. With a threshold of 2 a small
   count is "not shown" from the start: "fewer than 2" would say 1.
3. **What is made of a hidden count is withheld**: a share, or a median of its late returns.
4. **What is known is shown.** A count known from elsewhere (`Column.known`: an audit's and
   an area's number of cases, on the audits' pages), and one that the known figures and the
   relations fix whatever else is hidden (an agency involved in every case of an audit has as
   many cases as the audit), is shown as it is: hiding it would protect nothing.

The check is exact: for a hidden count, the greatest and the least value consistent with all
that is shown, as integer programs (scipy's `milp`, the HiGHS solver) over the hidden counts its
relations connect. Hiding only ever widens what a reader cannot know, so a count once shown to
have two possible values keeps them, and the loop ends.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from maca.tables import COUNT, NUMBER, PERCENT, Fewer, Table, Withheld, hidden

# A count: (table key, row index, column index).
Ref = tuple[str, int, int]

FEWER = "fewer"  # "fewer than N": 1 to N-1
NOT_SHOWN = "not shown"  # any number


@dataclass(frozen=True)
class Relation:
    """A fact about the counts that a reader may know: the sum of coefficient × count, plus the
    constant, is zero (`equal`) or at most zero."""

    terms: tuple[tuple[Ref, int], ...]
    constant: int = 0
    equal: bool = True


def same(left: Iterable[Ref], right: Iterable[Ref]) -> Relation:
    """The counts on the left add up to the counts on the right."""
    return Relation((*((ref, 1) for ref in left), *((ref, -1) for ref in right)))


def at_most(small: Iterable[Ref], big: Iterable[Ref] = (), plus: int = 0) -> Relation:
    """The counts in `small` add up to no more than those in `big`, plus a known number."""
    terms = (*((ref, 1) for ref in small), *((ref, -1) for ref in big))
    return Relation(terms, constant=-plus, equal=False)


def holding(relations: Iterable[Relation], tables: Iterable[Table]) -> tuple[Relation, ...]:
    """The relations true of these tables' counts: what a reader can know is a fact, so one
    that does not hold (or names a cell that is not a count) is no relation at all."""
    values = {
        (table.key, r, c): cell
        for table in tables
        for r, row in enumerate(table.rows)
        for c, cell in enumerate(row.cells)
        if table.columns[c].kind == COUNT and type(cell) is int
    }

    def true(relation: Relation) -> bool:
        if not all(ref in values for ref, _ in relation.terms):
            return False
        total = relation.constant + sum(c * values[ref] for ref, c in relation.terms)
        return total == 0 if relation.equal else total <= 0

    return tuple(relation for relation in relations if true(relation))


def protect(
    tables: Iterable[Table], relations: Iterable[Relation] = (), *, threshold: int
) -> tuple[Table, ...]:
    """The tables as the board reads them, protected together (their relations join them).
    A relation that does not hold of these figures is no fact a reader could use: left out."""
    tables = tuple(tables)
    return _protect(tables, holding(relations, tables), threshold)


@functools.lru_cache(maxsize=64)
def _protect(tables: tuple[Table, ...], relations: tuple[Relation, ...], threshold: int):
    labels = _Problem(tables, relations, threshold).labels()
    return tuple(_shown(table, labels, threshold) for table in tables)


def _shown(table: Table, labels: dict[Ref, str], threshold: int) -> Table:
    rows = []
    for r, row in enumerate(table.rows):
        cells = list(row.cells)
        for c in range(len(cells)):
            label = labels.get((table.key, r, c))
            if label is not None:
                cells[c] = Fewer(threshold) if label == FEWER else Withheld()
        names = {col.name for col, cell in zip(table.columns, cells, strict=True) if hidden(cell)}
        for c, column in enumerate(table.columns):
            # A share naming no counts is made of its whole row.
            made_of = column.of or (tuple(names) if column.kind == PERCENT else ())
            figure = column.kind in (PERCENT, NUMBER) and cells[c] is not None
            if figure and names.intersection(made_of):
                cells[c] = Withheld()
        rows.append(replace(row, cells=tuple(cells)))
    return replace(table, rows=tuple(rows), threshold=threshold)


class _Problem:
    """The counts of some tables, what a reader knows of them, and the search for labels under
    which every hidden count could be at least two numbers."""

    def __init__(self, tables: tuple[Table, ...], relations: tuple[Relation, ...], threshold):
        self.threshold = threshold
        self.values: dict[Ref, int] = {}
        self.known: set[Ref] = set()
        local = []
        for table in tables:
            for c, column in enumerate(table.columns):
                if column.kind != COUNT:
                    continue
                for r, row in enumerate(table.rows):
                    value = row.cells[c]
                    if isinstance(value, int) and not isinstance(value, bool):
                        ref = (table.key, r, c)
                        self.values[ref] = value
                        if column.known:
                            self.known.add(ref)
            local += _row_relations(table)
        # A table's own sums, where they hold (a row may have no count in a column).
        self.relations = [*holding(local, tables), *relations]
        # More than any count could be in another set of figures that fits the relations.
        self.big = 2 * sum(self.values.values()) + 10
        self.touching: dict[Ref, list[int]] = {}
        for k, relation in enumerate(self.relations):
            for ref, _ in relation.terms:
                self.touching.setdefault(ref, []).append(k)

    def labels(self) -> dict[Ref, str]:
        small = range(1, self.threshold)
        # "Fewer than 2" would say 1: with a threshold of 2, a small count is "not shown".
        primary = FEWER if self.threshold > 2 else NOT_SHOWN
        labels = {
            ref: primary
            for ref, value in sorted(self.values.items())
            if value in small and ref not in self.known
        }
        free: set[Ref] = set()
        while todo := sorted(ref for ref in labels if ref not in free):
            ref = todo[0]
            moved = self._moved(ref, labels)
            if moved:
                free |= moved
            else:
                free |= self._fix(ref, labels)
        return labels

    # --- Hiding more ---------------------------------------------------------------------------

    def _fix(self, ref: Ref, labels: dict[Ref, str]) -> set[Ref]:
        """Hide the least that lets `ref` take another value, changing `labels`; returns the
        hidden counts that are then shown to take another value.

        An integer program looks for another set of figures, as close as it can to the real
        ones, in which `ref` is one more or one less, every relation holds and every hidden
        count stays in its label's range; each count shown that it has to change is hidden,
        and each "fewer than N" it has to take out of its range is widened to "not shown".
        Changing a count costs more the larger it is (what the reader loses), widening a label
        less than hiding a count. The other figures prove `ref` can take two values. When there
        are none, even with everything around it hidden, the known figures give `ref` away: it
        is shown as it is."""
        # Other figures are looked for near `ref` first (a few relations away), where they
        # nearly always are; every count further off stays as it is.
        for radius in (2, 4, None):
            cells = self._near(ref, radius)
            if (moved := self._alternative(ref, cells, labels)) is not None:
                return moved
            if radius is not None and len(cells) == len(self._near(ref, None)):
                break
        # Not even with every count around it hidden: the known figures give it away, and
        # hiding it would protect nothing. It is shown as it is, and never hidden again.
        self.known.add(ref)
        del labels[ref]
        return set()

    def _alternative(self, ref: Ref, cells: list[Ref], labels: dict[Ref, str]) -> set[Ref] | None:
        """Hide what another set of figures over `cells` needs (see `_fix`); None if there is
        none."""
        # scipy takes over a second to import: only where a count must be checked.
        from scipy.optimize import Bounds, LinearConstraint, milp

        n = len(cells)
        index = {cell: i for i, cell in enumerate(cells)}
        big = self.big
        value = np.array([self.values[cell] for cell in cells], dtype=float)
        cost = np.zeros(2 * n)
        lower, upper = np.zeros(2 * n), np.concatenate([np.full(n, big), np.ones(n)])
        rows, bottom, top = [], [], []

        def row(entries: dict[int, float], low: float, high: float) -> None:
            coefficients = np.zeros(2 * n)
            for j, coefficient in entries.items():
                coefficients[j] += coefficient
            rows.append(coefficients)
            bottom.append(low)
            top.append(high)

        for i, cell in enumerate(cells):
            label = labels.get(cell)
            if label is None:  # shown: changing it means hiding it
                cost[n + i] = 10 + value[i]
                row({i: 1, n + i: -big}, -np.inf, value[i])
                row({i: -1, n + i: -big}, -np.inf, -value[i])
            elif label == FEWER:  # out of 1 to N-1 means widening it
                cost[n + i] = 5
                row({i: -1, n + i: -1}, -np.inf, -1)
                row({i: 1, n + i: -big}, -np.inf, self.threshold - 1)
            else:
                upper[n + i] = 0
        for k in sorted({k for cell in cells for k in self.touching.get(cell, ())}):
            relation = self.relations[k]
            entries: dict[int, float] = {}
            constant = relation.constant
            for cell, coefficient in relation.terms:
                if cell in index:
                    entries[index[cell]] = entries.get(index[cell], 0) + coefficient
                else:
                    constant += coefficient * self.values[cell]
            row(entries, -constant if relation.equal else -np.inf, -constant)
        best = None
        i = index[ref]
        for low, high in ((value[i] + 1, big), (0, value[i] - 1)):
            if high < low:
                continue
            bounded_lower, bounded_upper = lower.copy(), upper.copy()
            bounded_lower[i], bounded_upper[i] = low, high
            result = milp(
                cost,
                constraints=LinearConstraint(np.array(rows), bottom, top),
                integrality=np.ones(2 * n),
                bounds=Bounds(bounded_lower, bounded_upper),
            )
            if result.status == 0 and (best is None or result.fun < best.fun):
                best = result
        if best is None:
            return None
        solution = np.round(best.x)
        for j, cell in enumerate(cells):
            if solution[n + j] == 1:
                labels[cell] = NOT_SHOWN
        return {cell for j, cell in enumerate(cells) if cell in labels and solution[j] != value[j]}

    def _near(self, ref: Ref, radius: int | None) -> list[Ref]:
        """The counts not known that relations connect to `ref` through counts not known, at
        most `radius` relations away (None: however far)."""
        seen, layer, steps = {ref}, [ref], 0
        while layer and (radius is None or steps < radius):
            following = []
            for cell in layer:
                for k in self.touching.get(cell, ()):
                    for other, _ in self.relations[k].terms:
                        if other not in self.known and other not in seen:
                            seen.add(other)
                            following.append(other)
            layer, steps = following, steps + 1
        return sorted(seen)

    # --- The check -----------------------------------------------------------------------------

    def _component(self, ref: Ref, labels: dict[Ref, str]) -> list[Ref]:
        """The hidden counts that `ref`'s relations connect it to, through hidden counts."""
        seen, stack = {ref}, [ref]
        while stack:
            cell = stack.pop()
            for k in self.touching.get(cell, ()):
                for other, _ in self.relations[k].terms:
                    if other in labels and other not in seen:
                        seen.add(other)
                        stack.append(other)
        return sorted(seen)

    def _range(self, label: str) -> tuple[float, float]:
        # "Not shown" is any number: bounded by one no count could reach, so that the
        # programs stay bounded.
        return (1, self.threshold - 1) if label == FEWER else (0, self.big)

    def _moved(self, ref: Ref, labels: dict[Ref, str]) -> set[Ref]:
        """The hidden counts of `ref`'s group found to take another value than their own in a
        solution where `ref` does; empty when `ref` can only be its own value."""
        # scipy takes over a second to import: only where a count must be checked.
        from scipy.optimize import Bounds, LinearConstraint, milp

        cells = self._component(ref, labels)
        index = {cell: i for i, cell in enumerate(cells)}
        ranges = [self._range(labels[cell]) for cell in cells]
        lower = np.array([low for low, _ in ranges])
        upper = np.array([high for _, high in ranges])
        rows, bottom, top = [], [], []
        for k in sorted({k for cell in cells for k in self.touching.get(cell, ())}):
            relation = self.relations[k]
            coefficients = np.zeros(len(cells))
            constant = relation.constant
            for cell, coefficient in relation.terms:
                if cell in index:
                    coefficients[index[cell]] += coefficient
                else:
                    constant += coefficient * self.values[cell]
            rows.append(coefficients)
            top.append(-constant)
            bottom.append(-constant if relation.equal else -np.inf)
        truth = np.array([self.values[cell] for cell in cells])
        i = index[ref]
        if not rows:
            return {ref} if upper[i] > lower[i] else set()
        constraints = LinearConstraint(np.array(rows), bottom, top)
        for sign in (-1, 1):  # the greatest value, then the least
            objective = np.zeros(len(cells))
            objective[i] = sign
            result = milp(
                objective,
                constraints=constraints,
                integrality=np.ones(len(cells)),
                bounds=Bounds(lower, upper),
            )
            if result.status != 0:  # the real figures fit: there is always a solution
                raise RuntimeError(f"The disclosure check failed: {result.message}")
            solution = np.round(result.x)
            moved = {cells[j] for j in range(len(cells)) if solution[j] != truth[j]}
            if ref in moved:
                return moved
        return set()


def _row_relations(table: Table) -> list[Relation]:
    """A table's own sums: each total is the sum of its parts, row by row."""
    relations = []
    for c, column in enumerate(table.columns):
        for names, equal in ((column.sum_of, True), (column.at_least, False)):
            if not names:
                continue
            parts = [table.index(name) for name in names]
            for r in range(len(table.rows)):
                terms = tuple(((table.key, r, p), 1) for p in parts)
                relations.append(Relation((*terms, ((table.key, r, c), -1)), equal=equal))
    return relations
