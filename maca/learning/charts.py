"""The dashboard's charts: each drawn from one table of `figures`, with the report's look.

Every chart is a horizontal bar chart, one bar per row of its table, so forty audits or twenty
agencies read as easily as three: stacked by grade (or by how an agency's grade compared with
the meeting's), or side by side for two shares. Its figures are in the table printed under it,
which the SVG's description points to.

For the board, a bar still reaches its total: the counts it may not see ("fewer than 3", "not
shown") are drawn together as one hatched white band after the counts shown, labelled in the
legend, so no bar misstates its total and no band gives a hidden count away (its length is the
total less the counts shown, which the table gives too). A bar whose total is not shown is not
drawn, and says so; a share that is not shown is not drawn either, and its label says so.
Drawing costs tens of milliseconds a chart, so each is kept by `kept.chart_svg` (keyed by the
table itself and the drawing code: new figures make a new key, and nothing stale is shown).
"""

from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from maca import drawing
from maca.drawing import (
    BLACK,
    BLUE,
    COMPARISON,
    EDGE,
    GRADE_STYLE,
    GREEN,
    WHITE,
    Chart,
)
from maca.grades import Grade
from maca.tables import Table, hidden

from . import figures


@dataclass(frozen=True)
class Part:
    """One segment of a bar: the table's column it draws, and how."""

    column: str
    fill: str
    hatch: str = ""


GRADE_PARTS = tuple(Part(grade.label, *GRADE_STYLE[grade]) for grade in Grade)
CALIBRATION_PARTS = tuple(
    Part(column, *COMPARISON[key][1:])
    for column, key in (
        (figures.MATCHED, "same"),
        (figures.HIGHER, "higher"),
        (figures.LOWER, "lower"),
    )
)
SHARE_PARTS = (Part(figures.SUBMITTED_SHARE, BLUE, "//"), Part(figures.ON_TIME_SHARE, GREEN, ""))

# Which table is drawn how: (parts, the column a stacked bar totals, or None for bars side by
# side, the axis's unit).
DRAWN = {
    figures.GRADES_BY_AUDIT: (GRADE_PARTS, figures.CASES, "Cases"),
    figures.GRADES_BY_AREA: (GRADE_PARTS, figures.CASES, "Cases"),
    figures.GRADES_BY_PROFILE: (GRADE_PARTS, figures.CASES, "Cases"),
    figures.AGENCY_SELF_GRADES: (GRADE_PARTS, figures.RETURNS, "Returns"),
    figures.AGENCY_RATIFIED_GRADES: (GRADE_PARTS, figures.CASES, "Cases"),
    figures.CALIBRATION: (CALIBRATION_PARTS, figures.COMPARED, "Returns"),
    figures.RETURN_RATES: (SHARE_PARTS, None, "Per cent"),
}
# What the board may not see, drawn as one band: white, dotted, edged in black (no grade is).
HIDDEN_STYLE: dict[str, Any] = {"color": WHITE, "edgecolor": BLACK, "linewidth": 0.6, "hatch": "..",
                "hatchcolor": BLACK}  # fmt: skip
NOT_SHOWN = "not shown"

ROW = 0.34  # inches a bar (or a pair of bars) takes
LABEL_WIDTH = 30  # characters before a row's label wraps


def _value(cell) -> float:
    """A cell as drawn: a hidden count or share is not drawn on its own."""
    return cell if isinstance(cell, int | float) and not isinstance(cell, bool) else 0


def hidden_label(table: Table) -> str:
    return f"Fewer than {table.threshold} or not shown"


def chart_svg(table: Table) -> str | None:
    """The table's chart as inline SVG, or None for a table that is not drawn (or empty)."""
    if table.key not in DRAWN or not table.rows:
        return None
    return bar_chart(table).svg()


def bar_chart(table: Table) -> Chart:
    parts, total, unit = DRAWN[table.key]
    stacked = total is not None
    columns = [c.name for c in table.columns]
    index = [columns.index(part.column) for part in parts]
    labels = [drawing.wrap(row.label, LABEL_WIDTH) for row in table.rows]
    cells = [[row.cells[i] for i in index] for row in table.rows]
    values = [[_value(cell) for cell in row] for row in cells]
    if total is not None:  # stacked
        totals = [row.cells[columns.index(total)] for row in table.rows]
        # A bar whose total is hidden is not drawn; otherwise what is hidden is its last band.
        drawn = [not hidden(t) for t in totals]
        values = [row if ok else [0] * len(row) for row, ok in zip(values, drawn, strict=True)]
        rest = [
            _value(t) - sum(row) if ok else 0
            for t, row, ok in zip(totals, values, drawn, strict=True)
        ]

    def draw(figure: Figure) -> None:
        ax = drawing.axes(figure)
        ys = range(len(labels))
        if stacked:
            lefts = [0.0] * len(labels)
            for p, part in enumerate(parts):
                widths = [row[p] for row in values]
                ax.barh(ys, widths, 0.7, left=lefts, label=part.column,
                        **drawing.bar_style(part.fill, part.hatch))  # fmt: skip
                lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
            if table.suppressed:
                ax.barh(ys, rest, 0.7, left=lefts, label=hidden_label(table), **HIDDEN_STYLE)
                lefts = [left + width for left, width in zip(lefts, rest, strict=True)]
                for y, ok in zip(ys, drawn, strict=True):
                    if not ok:
                        ax.text(0, y, f" {NOT_SHOWN}", va="center", fontsize=8)
            top = max(1.0, max(lefts, default=0)) * 1.05
        else:
            height = 0.8 / len(parts)
            for p, part in enumerate(parts):
                offsets = [y + (p - (len(parts) - 1) / 2) * height for y in ys]
                bars = ax.barh(offsets, [row[p] for row in values], height, label=part.column,
                               **drawing.bar_style(part.fill, part.hatch))  # fmt: skip
                texts = [NOT_SHOWN if hidden(row[p]) else f"{_value(row[p]):g}" for row in cells]
                ax.bar_label(bars, texts, padding=2, fontsize=8)
            top = 112.0
        ax.set_yticks(list(ys), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, top)
        ax.xaxis.set_major_locator(locator := MaxNLocator(integer=True))
        ax.set_xlabel(unit)
        entries = len(parts) + (stacked and table.suppressed)
        legend = drawing.top_legend(
            figure, ncols=min(entries, 5), fontsize=8, frameon=False, handlelength=1.6,
            columnspacing=1.0,
        )  # fmt: skip
        ticks = drawing.tick_labels(locator, 0, top)
        drawing.place(
            figure,
            ax,
            left=drawing.y_margin(labels),
            bottom=drawing.x_margin(ticks, unit),
            top=drawing.legend_room(legend),
            right=EDGE + drawing.widest(ticks[-1:]) / 2,
        )

    lines = max(1, sum(label.count("\n") + 1 for label in labels))
    hiding = ""
    if table.suppressed:
        hiding = (
            f" {hidden_label(table)}: one dotted white band at the end of its bar; a bar whose"
            " total is not shown is not drawn."
            if stacked
            else " A share not shown is not drawn."
        )
    return Chart(
        key=table.key,
        title=table.title,
        alt=(
            f"Bar chart, one bar per {table.row_header.lower()}"
            f"{', stacked' if stacked else ''}: "
            + ", ".join(part.column for part in parts)
            + "."
            + hiding
            + " Every figure is in the table that follows the chart."
        ),
        table=drawing.Table(table.title, (table.row_header, *columns), ()),
        draw=draw,
        height=1.1 + ROW * max(len(labels), lines * 0.6),
    )
