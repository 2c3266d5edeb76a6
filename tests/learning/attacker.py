"""A reader who works hidden counts out: given what a table shows, the ranges its labels give and
the sums a reader knows, every value each hidden count could still take.

Written apart from `maca.disclosure` (no solver: a search through the possibilities,
pruned by the sums), so that it checks the policy rather than repeating it.
"""

from collections import defaultdict

from maca.tables import Fewer, Withheld

# A sum a reader knows: [(cell, coefficient)], a constant, and whether it is = 0 (else <= 0).
Sum = tuple[list[tuple[object, int]], int, bool]


def ranges_of(shown: dict[object, object], threshold: int, cap: int) -> dict[object, range]:
    """What each cell can be, as a reader reads it: a number shown is itself; "fewer than N" is
    1 to N-1; "not shown" is anything from 0 up to `cap` (a bound on every count, which can
    only make the reader surer, never less sure)."""
    ranges = {}
    for cell, value in shown.items():
        if isinstance(value, Fewer):
            ranges[cell] = range(1, threshold)
        elif isinstance(value, Withheld):
            ranges[cell] = range(0, cap + 1)
        else:
            ranges[cell] = range(value, value + 1)
    return ranges


def possible_values(ranges: dict[object, range], sums: list[Sum]) -> dict[object, set[int]]:
    """For each cell with more than one value in its range, the values it takes in some set of
    figures that fits every sum. Cells that share no sum are worked out apart. Stops looking
    once every cell of a group is seen to take two values."""
    open_cells = [cell for cell, values in ranges.items() if len(values) > 1]
    touching = defaultdict(list)
    for k, (terms, _, _) in enumerate(sums):
        for cell, _ in terms:
            touching[cell].append(k)
    found: dict[object, set[int]] = {}
    done: set[object] = set()
    for start in open_cells:
        if start in done:
            continue
        group, stack = {start}, [start]
        while stack:
            cell = stack.pop()
            for k in touching[cell]:
                for other, _ in sums[k][0]:
                    if other not in group and len(ranges[other]) > 1:
                        group.add(other)
                        stack.append(other)
        done |= group
        found.update(
            _search(sorted(group, key=repr), ranges, [sums[k] for k in _ks(group, touching)])
        )
    return found


def _ks(group, touching) -> list[int]:
    return sorted({k for cell in group for k in touching[cell]})


def _search(cells: list, ranges, sums: list[Sum]) -> dict[object, set[int]]:
    seen = {cell: set() for cell in cells}
    position = {cell: i for i, cell in enumerate(cells)}
    fixed = {cell: r[0] for cell, r in ranges.items() if len(r) == 1}
    # Each sum as: the constant plus the fixed cells, and the open cells' coefficients.
    prepared = []
    for terms, constant, equal in sums:
        base = constant + sum(c * fixed[cell] for cell, c in terms if cell in fixed)
        open_terms = [(position[cell], c) for cell, c in terms if cell in position]
        prepared.append((base, open_terms, equal))
    lows = [ranges[cell][0] for cell in cells]
    highs = [ranges[cell][-1] for cell in cells]
    values = [0] * len(cells)

    def possible(depth: int) -> bool:
        # Could the cells not yet chosen still make every sum fit?
        for base, terms, equal in prepared:
            low = high = base
            for i, c in terms:
                if i < depth:
                    low += c * values[i]
                    high += c * values[i]
                else:
                    low += min(c * lows[i], c * highs[i])
                    high += max(c * lows[i], c * highs[i])
            if low > 0 or (equal and high < 0):
                return False
        return True

    def complete() -> bool:
        return all(len(s) > 1 for s in seen.values())

    def walk(depth: int) -> bool:
        if depth == len(cells):
            for cell, value in zip(cells, values, strict=True):
                seen[cell].add(value)
            return complete()
        for value in range(lows[depth], highs[depth] + 1):
            values[depth] = value
            if possible(depth + 1) and walk(depth + 1):
                return True
        return False

    walk(0)
    return seen


def pinned(shown: dict, threshold: int, sums: list[Sum], cap: int) -> dict[object, set[int]]:
    """The hidden cells a reader can work out, each with the one value it can take."""
    ranges = ranges_of(shown, threshold, cap)
    values = possible_values(ranges, sums)
    # "Fewer than 2" can only be 1: its label alone gives it away.
    values.update(
        {
            cell: set(ranges[cell])
            for cell, value in shown.items()
            if isinstance(value, Fewer | Withheld) and len(ranges[cell]) == 1
        }
    )
    return {cell: found for cell, found in values.items() if len(found) < 2}


def pinned_by_program(ranges: dict[object, range], sums: list[Sum]) -> dict[object, int]:
    """The same question for figures too many to search through: for each cell whose range
    holds more than one value, the least and the greatest value it takes in a set of figures
    that fits every sum, each an integer program (scipy's `milp`). Returns the cells whose
    least and greatest are the same, with that value."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    cells = sorted(ranges, key=repr)
    index = {cell: i for i, cell in enumerate(cells)}
    rows, low, high = [], [], []
    for terms, constant, equal in sums:
        row = np.zeros(len(cells))
        for cell, coefficient in terms:
            row[index[cell]] += coefficient
        rows.append(row)
        high.append(-constant)
        low.append(-constant if equal else -np.inf)
    bounds = Bounds([ranges[c][0] for c in cells], [ranges[c][-1] for c in cells])
    constraints = LinearConstraint(np.array(rows), low, high)
    found = {}
    for cell in cells:
        if len(ranges[cell]) < 2:
            continue
        extremes = []
        for sign in (1, -1):
            objective = np.zeros(len(cells))
            objective[index[cell]] = sign
            result = milp(objective, constraints=constraints, integrality=1, bounds=bounds)
            assert result.status == 0, result.message  # the real figures always fit
            extremes.append(round(result.x[index[cell]]))
        if extremes[0] == extremes[1]:
            found[cell] = extremes[0]
    return found
