"""What the dashboard computes slowly, kept where every worker and the next restart find it.

The board's dashboard solved its disclosure check (integer programs, scipy: 1.3 s to import and
seconds to solve) and drew its charts (matplotlib: a second or more to import, tens of
milliseconds a chart) on the first view in each process: 5.9 s after a restart. Both are pure
functions of the figures, so each result is kept in the shared cache (the database's,
`CACHES`), keyed by a digest of its inputs and of the code that makes it (new code is a new key,
and new figures are a new key: nothing stale is ever shown), and scipy and matplotlib are
imported only to make a result nobody has kept. `dashboard_warm` (the background worker, when
the figures change, and `maca warm-dashboards`) makes them before anyone asks.
"""

import functools
import hashlib
import importlib.metadata
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.cache import cache

from maca.tables import Table

KEEP = 180 * 24 * 3600  # seconds: unused results go; a kept one is never stale (see above)
NOT_DRAWN = ""  # kept for a table that has no chart, so the next view need not ask again
# What makes the results: a change to any of these is a new key.
SOURCES = ("charts.py", "../disclosure.py", "../tables.py", "../drawing.py")
LIBRARIES = ("matplotlib", "scipy", "numpy")


@functools.cache
def code_version() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for library in LIBRARIES:
        digest.update(importlib.metadata.version(library).encode())
    for source in SOURCES:
        digest.update((here / source).read_bytes())
    return digest.hexdigest()[:16]


def _key(kind: str, *inputs) -> str:
    return f"maca:{kind}:{code_version()}:{hashlib.sha256(repr(inputs).encode()).hexdigest()}"


def _kept(key: str, make: Callable[[], object]):
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, KEEP)
    return found


@functools.lru_cache(maxsize=256)
def chart_svg(table: Table) -> str | None:
    """The table's chart as inline SVG, or None for a table that is not drawn (or empty)."""

    def draw() -> str:
        from . import charts  # matplotlib: only to draw a chart nobody has kept

        return charts.chart_svg(table) or NOT_DRAWN

    return _kept(_key("dashboard-chart", table), draw) or None


def protect(tables: Iterable[Table], relations: Iterable, *, threshold: int) -> tuple[Table, ...]:
    """`disclosure.protect`, kept: the tables as the board reads them."""
    tables, relations = tuple(tables), tuple(relations)

    def solve() -> tuple[Table, ...]:
        from maca import disclosure  # scipy: only to solve what nobody has kept

        return disclosure.protect(tables, relations, threshold=threshold)

    # The relations come in no fixed order (they are gathered from sets): keyed as a set.
    key = _key("board-tables", tables, sorted(map(repr, relations)), threshold)
    return _kept(key, solve)
