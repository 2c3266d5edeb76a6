"""The dashboard as a viewer may see it: where the board's small-count suppression is applied
to the tables, the charts drawn from them, their CSV and the recurring themes (the theme
library's pages apply the same rule, `selectors_library`).

Coordinators see every count. Board members see counts below the partnership's threshold as
"fewer than N" (zero stays zero: it describes no child); a share made from a suppressed count
is withheld; a suppressed count is not drawn.
"""

import datetime
from dataclasses import dataclass

from django.http import Http404

from maca import access
from maca.reports.summary import audit_held_on

from . import charts, figures
from .tables import PERCENT, Table, for_board, suppress


@dataclass(frozen=True)
class Section:
    table: Table
    svg: str | None  # its chart; None for a table that is only a table

    @property
    def key(self) -> str:
        return self.table.key

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The rows as printed: a share with its per cent sign, nothing as a dash."""
        return [
            (
                row.label,
                [_printed(c, col) for c, col in zip(row.cells, self.table.columns, strict=True)],
            )
            for row in self.table.rows
        ]


def _printed(cell, column) -> str:
    if cell is None:
        return "\u2013"
    if column.kind == PERCENT and isinstance(cell, int | float):
        return f"{cell:g}%"
    if isinstance(cell, float):
        return f"{cell:g}"
    return str(cell)


@dataclass(frozen=True)
class ShownOccurrence:
    audit_title: str
    held: datetime.date
    titles: tuple[str, ...]
    cases: int | str  # "fewer than 3" for the board


@dataclass(frozen=True)
class ShownRecurrence:
    occurrence: ShownOccurrence
    earlier_actions: tuple[figures.EarlierAction, ...]

    @property
    def completed_before(self) -> int:
        return sum(action.completed_before for action in self.earlier_actions)

    @property
    def completed_unknown(self) -> int:
        return sum(action.completed_unknown for action in self.earlier_actions)


@dataclass(frozen=True)
class ShownTheme:
    theme_id: int
    title: str
    description: str
    occurrences: tuple[ShownOccurrence, ...]
    recurrences: tuple[ShownRecurrence, ...]


@dataclass(frozen=True)
class DashboardPage:
    audits: list
    sections: list[Section]
    recurring: list[ShownTheme]
    threshold: int
    suppressing: bool  # counts below the threshold are hidden from this viewer

    @property
    def first_held(self) -> datetime.date | None:
        return audit_held_on(self.audits[0]) if self.audits else None

    @property
    def last_held(self) -> datetime.date | None:
        return audit_held_on(self.audits[-1]) if self.audits else None

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


def dashboard_page(viewer: access.Viewer) -> DashboardPage:
    dashboard = figures.dashboard_for(viewer)
    threshold = viewer.partnership.small_count_threshold
    suppressing = not access.may_see_small_counts(viewer)

    def shown(table: Table) -> Table:
        return for_board(table, threshold) if suppressing else table

    def count(n: int) -> int | str:
        return suppress(n, threshold) if suppressing else n

    def occurrence(found: figures.Occurrence) -> ShownOccurrence:
        return ShownOccurrence(
            found.audit.title, audit_held_on(found.audit), found.titles, count(found.cases)
        )

    sections = []
    for table in dashboard.tables:
        table = shown(table)
        sections.append(Section(table, charts.chart_svg(table)))
    recurring = [
        ShownTheme(
            theme_id=theme.theme.pk,
            title=theme.theme.title,
            description=theme.theme.description,
            occurrences=tuple(occurrence(found) for found in theme.occurrences),
            recurrences=tuple(
                ShownRecurrence(occurrence(again.occurrence), again.earlier_actions)
                for again in theme.recurrences
            ),
        )
        for theme in dashboard.recurring
    ]
    return DashboardPage(dashboard.audits, sections, recurring, threshold, suppressing)


def dashboard_table(viewer: access.Viewer, key: str) -> Table:
    """One of the dashboard's tables as the viewer may see it (its CSV)."""
    if key not in figures.TITLES:
        raise Http404("No such table")
    dashboard = figures.dashboard_for(viewer)
    table = dashboard.table(key)
    if access.may_see_small_counts(viewer):
        return table
    return for_board(table, viewer.partnership.small_count_threshold)
