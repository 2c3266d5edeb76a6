"""The dashboard as a viewer may see it: where the board's disclosure policy (decision 38) is
applied to the tables, the charts drawn from them, their CSV and the recurring themes (the theme
library's pages apply the same module, `selectors_library`).

Coordinators see every count. Board members see the tables as `disclosure.protect` leaves
them (small counts "fewer than N", and the counts that would give them away "not shown"),
charts drawn from those tables, and an audit's own words (its themes' titles, its actions) only
as its latest published edition prints them (`published`).
"""

import datetime
from dataclasses import dataclass

from django.http import Http404

from maca import access
from maca.audits.rules import audit_held_on
from maca.tables import PERCENT, Cell, Table, Withheld

from . import figures, kept
from .facts import audit_label, facts_for, small_count_threshold
from .published import NOTHING, published_words


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
    titles: tuple[str, ...]  # the audit's themes: for the board, those its report printed
    cases: Cell  # "fewer than 3" or "not shown" for the board

    @property
    def cases_text(self) -> str:
        if isinstance(self.cases, Withheld):
            return "the number of cases not shown"
        return f"{self.cases} case{'' if self.cases == 1 else 's'}"


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
class Topic:
    """A sub-page of the dashboard: its tables, each with its chart and CSV."""

    slug: str
    title: str
    summary: str  # what it answers, for the overview
    tables: tuple[str, ...]

    @property
    def table_titles(self) -> list[str]:
        return [figures.TITLES[key] for key in self.tables]


TOPICS = (
    Topic(
        "grades",
        "Grades",
        "How the meetings graded the cases: audit by audit, area by area, and by the case "
        "profile the partnership records.",
        (figures.GRADES_BY_AUDIT, figures.GRADES_BY_AREA, figures.GRADES_BY_PROFILE),
    ),
    Topic(
        "agencies",
        "Agencies",
        "How each agency graded its own work, and how the cases it was involved in were graded.",
        (figures.AGENCY_SELF_GRADES, figures.AGENCY_RATIFIED_GRADES),
    ),
    Topic(
        "returns",
        "Returns",
        "How many single-agency returns came in, and how late.",
        (figures.RETURN_RATES,),
    ),
    Topic(
        "calibration",
        "Calibration",
        "How often agencies' grades matched the grade the meeting ratified.",
        (figures.CALIBRATION,),
    ),
    Topic(
        "themes",
        "Themes",
        "Which themes were found in which audits, which keep coming back, and what was done "
        "about them last time.",
        (figures.THEME_MATRIX, figures.RECURRING_THEMES),
    ),
)


def topic_or_404(slug: str) -> Topic:
    for topic in TOPICS:
        if topic.slug == slug:
            return topic
    raise Http404("No such part of the dashboard")


@dataclass(frozen=True)
class DashboardPage:
    audits: list
    sections: list[Section]
    recurring: list[ShownTheme]
    threshold: int
    suppressing: bool  # counts below the threshold are hidden from this viewer
    topic: Topic | None = None  # the sub-page; None for the overview, which has no tables
    topics: tuple[Topic, ...] = TOPICS

    @property
    def first_held(self) -> datetime.date | None:
        return audit_held_on(self.audits[0]) if self.audits else None

    @property
    def last_held(self) -> datetime.date | None:
        return audit_held_on(self.audits[-1]) if self.audits else None

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


def dashboard_overview(viewer: access.Viewer) -> DashboardPage:
    """The overview: which audits are counted and the sub-pages, without a table or chart."""
    audits = facts_for(viewer).audits
    threshold = small_count_threshold(viewer)
    return DashboardPage(audits, [], [], threshold, not access.may_coordinate(viewer))


def dashboard_page(viewer: access.Viewer, topic: Topic | None = None) -> DashboardPage:
    """One sub-page: its tables protected together with every other table of the dashboard
    for the board, exactly as on one long page (their counts relate across tables). Without a
    topic, every table and chart (what the worker makes before anyone asks)."""
    dashboard = figures.dashboard_for(viewer)
    threshold = small_count_threshold(viewer)
    suppressing = not access.may_coordinate(viewer)
    tables = shown_tables(viewer, dashboard)
    matrix = next(table for table in tables if table.key == figures.THEME_MATRIX)
    words = published_words(viewer, access.dashboard_audits_for(viewer)) if suppressing else None

    def occurrence(library_theme, found: figures.Occurrence) -> ShownOccurrence:
        titles = found.titles
        if words is not None:  # the board: the titles its report printed, as printed
            printed = (words.get(found.audit.pk, NOTHING).theme(title) for title in titles)
            titles = tuple(title for title, _ in filter(None, printed))
        # The count the theme matrix shows (protected, for the board): one count, one reading.
        row = matrix.rows[matrix.row_index(library_theme.title)]
        cases = row.cells[matrix.index(audit_label(found.audit))]
        return ShownOccurrence(found.audit.title, audit_held_on(found.audit), titles, cases)

    def action(earlier: figures.EarlierAction) -> figures.EarlierAction:
        if words is None:
            return earlier
        printed = words.get(earlier.audit.pk, NOTHING).action(earlier.agency, earlier.description)
        return earlier._replace(description=printed or "")

    keys = topic.tables if topic else tuple(figures.TITLES)
    sections = [Section(table, kept.chart_svg(table)) for table in tables if table.key in keys]
    if figures.RECURRING_THEMES not in keys:
        return DashboardPage(dashboard.audits, sections, [], threshold, suppressing, topic)
    recurring = [
        ShownTheme(
            theme_id=theme.theme.pk,
            title=theme.theme.title,
            description=theme.theme.description,
            occurrences=tuple(occurrence(theme.theme, found) for found in theme.occurrences),
            recurrences=tuple(
                ShownRecurrence(
                    occurrence(theme.theme, again.occurrence),
                    tuple(action(earlier) for earlier in again.earlier_actions),
                )
                for again in theme.recurrences
            ),
        )
        for theme in dashboard.recurring
    ]
    return DashboardPage(dashboard.audits, sections, recurring, threshold, suppressing, topic)


def shown_tables(viewer: access.Viewer, dashboard: figures.Dashboard) -> tuple[Table, ...]:
    """The dashboard's tables as the viewer may see them: protected together for the board
    (their counts relate across tables)."""
    if access.may_coordinate(viewer):
        return tuple(dashboard.tables)
    threshold = small_count_threshold(viewer)
    return kept.protect(dashboard.tables, dashboard.relations, threshold=threshold)


def dashboard_table(viewer: access.Viewer, key: str) -> Table:
    """One of the dashboard's tables as the viewer may see it (its CSV)."""
    if key not in figures.TITLES:
        raise Http404("No such table")
    tables = shown_tables(viewer, figures.dashboard_for(viewer))
    return next(table for table in tables if table.key == key)
