"""The summary report's charts, drawn from the report summary's figures (no database).

Each chart comes with a title, a full text alternative that states every figure, and the same
figures as a data table, so the report can print the table beside the picture. Pictures are SVG
(web and PDF: inlined, text kept as text) or PNG (Word).

Drawn on `matplotlib.figure.Figure` directly (no pyplot, no GUI backend). The SVG settings
matplotlib reads at save time live in its global rcParams, so drawing and saving happen under
one lock with the settings applied by `rc_context`.
"""

import io
import re
import textwrap
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from maca.grades import Grade

# GOV.UK palette. Fills that are close in greyscale also differ by hatching.
GREEN, BLUE, YELLOW, RED, GREY = "#00703c", "#1d70b8", "#ffdd00", "#d4351c", "#505a5f"
BLACK, WHITE = "#0b0c0c", "#ffffff"

GRADE_STYLE: dict[str, tuple[str, str]] = {  # grade -> (fill, hatch)
    Grade.OUTSTANDING: (GREEN, ""),
    Grade.GOOD: (BLUE, "//"),
    Grade.REQUIRES_IMPROVEMENT: (YELLOW, ""),
    Grade.INADEQUATE: (RED, "xx"),
    Grade.NOT_SCORED: (GREY, "\\\\"),
}
COMPARISON = {  # agency vs ratified -> (label, fill, hatch)
    "same": ("Same", BLUE, ""),
    "higher": ("Higher", YELLOW, ""),
    "lower": ("Lower", GREY, "\\\\"),
}
HIGHER_NOTE = (
    '"Higher" means the agency graded its own involvement better than the meeting did; '
    '"lower", worse.'
)

WIDTH = 6.3  # inches: the text width of an A4 page with 2.5 cm margins
RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
    "font.size": 10,
    "text.color": BLACK,
    "axes.labelcolor": BLACK,
    "axes.edgecolor": BLACK,
    "xtick.color": BLACK,
    "ytick.color": BLACK,
    "hatch.linewidth": 1.0,
    "svg.fonttype": "none",
    "svg.hashsalt": "maca-charts",
}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    alt: str
    table: Table
    draw: Callable[[Figure], None] = field(repr=False, compare=False)
    height: float = 3.2  # inches

    def _save(self, fmt: str, **kwargs) -> bytes:
        with _LOCK, matplotlib.rc_context(RC):
            figure = Figure(figsize=(WIDTH, self.height), layout="constrained")
            self.draw(figure)
            out = io.BytesIO()
            figure.savefig(out, format=fmt, **kwargs)
        return out.getvalue()

    def svg(self) -> str:
        """An SVG to inline in HTML: no XML prolog or doctype, `<title>` and `<desc>` first."""
        text = self._save("svg", metadata={"Date": None}).decode()
        text = text[text.index("<svg") :]
        title = (
            f'<title id="chart-{self.key}-title">{escape(self.title)}</title>'
            f'<desc id="chart-{self.key}-desc">{escape(self.alt)}</desc>'
        )
        return re.sub(
            r"<svg\b([^>]*)>",
            lambda m: (
                f'<svg{m.group(1)} role="img" aria-labelledby="chart-{self.key}-title" '
                f'aria-describedby="chart-{self.key}-desc">{title}'
            ),
            text,
            count=1,
        )

    def png(self, dpi: int = 200) -> bytes:
        return self._save("png", dpi=dpi, facecolor=WHITE)


# Words ----------------------------------------------------------------------------------------


def _grade_words(counts: dict[str, int]) -> str:
    return ", ".join(f"{grade.label.lower()} {counts.get(grade, 0)}" for grade in Grade)


def _cases(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


def _wrap(label: str, width: int) -> str:
    return textwrap.fill(label, width, break_long_words=False)


# Drawing helpers --------------------------------------------------------------------------------


def _axes(figure: Figure) -> Axes:
    ax = figure.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _bar_style(fill: str, hatch: str) -> dict:
    # Hatching in white on the dark fills, so greyscale prints tell them apart.
    return {"color": fill, "edgecolor": BLACK, "linewidth": 0.6, "hatch": hatch,
            "hatchcolor": WHITE}  # fmt: skip


def _empty_note(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center")


# Charts -----------------------------------------------------------------------------------------


def overall_grades(summary: dict) -> Chart:
    grades = [(grade, summary["grades"].get(grade, 0)) for grade in Grade]
    counts = dict(grades)
    total_cases, ratified = summary["cases"], sum(counts.values())
    figures = _grade_words(counts)
    if not ratified:
        alt = (
            f"Bar chart of ratified grades: no cases have been ratified yet "
            f"(0 of {total_cases}), so every count is 0: {figures}."
        )
    elif ratified == total_cases:
        alt = f"Bar chart of the {_cases(total_cases)}' ratified grades: {figures}."
    else:
        alt = (
            f"Bar chart of the ratified grades of {ratified} of the {_cases(total_cases)} "
            f"(the others are not ratified yet): {figures}."
        )
    caption = f"Ratified grades of {ratified} of the {_cases(total_cases)}"

    def draw(figure: Figure) -> None:
        ax = _axes(figure)
        xs = range(len(grades))
        for x, (grade, count) in zip(xs, grades, strict=True):
            bar = ax.bar(x, count, width=0.65, **_bar_style(*GRADE_STYLE[grade]))
            ax.bar_label(bar, labels=[str(count)], padding=3, fontsize=11, fontweight="bold")
        ax.set_xticks(list(xs), [_wrap(grade.label, 12) for grade, _ in grades])
        ax.set_ylim(0, max(1, max(counts.values())) * 1.18)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("Cases")
        if not ratified:
            _empty_note(ax, "No cases ratified yet")

    return Chart(
        key="overall_grades",
        title="Overall grades",
        alt=alt,
        table=Table(caption, ("Grade", "Cases"), tuple((g.label, n) for g, n in grades)),
        draw=draw,
    )


def grades_by_area(summary: dict) -> Chart:
    by_area = summary["grades_by_area"]
    cases_by_area = summary.get("cases_by_area", {})
    areas = list(by_area)
    ratified = sum(sum(counts.values()) for counts in by_area.values())
    parts = [
        f"{area} ({_cases(cases_by_area.get(area, 0))}): {_grade_words(by_area[area])}."
        for area in areas
    ]
    if not areas:
        alt = "Grouped bar chart of ratified grades by area: there are no areas to show."
    else:
        lead = "No cases have been ratified yet, so every count is 0. " if not ratified else ""
        alt = f"Grouped bar chart of ratified grades by area, one bar per grade. {lead}" + " ".join(
            parts
        )

    def draw(figure: Figure) -> None:
        ax = _axes(figure)
        grades = list(Grade)
        width = 0.82 / len(grades)
        for i, grade in enumerate(grades):
            xs = [a + (i - (len(grades) - 1) / 2) * width for a in range(len(areas))]
            counts = [by_area[area].get(grade, 0) for area in areas]
            bars = ax.bar(xs, counts, width, label=grade.label, **_bar_style(*GRADE_STYLE[grade]))
            ax.bar_label(bars, padding=2, fontsize=8)
        ax.set_xticks(range(len(areas)), areas)
        top = max((n for c in by_area.values() for n in c.values()), default=0)
        ax.set_ylim(0, max(1, top) * 1.18)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("Cases")
        figure.legend(loc="outside upper center", ncols=5, fontsize=8, frameon=False,
                      handlelength=1.6, columnspacing=1.0)  # fmt: skip
        if not ratified:
            _empty_note(ax, "No cases ratified yet" if areas else "No areas")

    return Chart(
        key="grades_by_area",
        title="Grades by area",
        alt=alt,
        table=Table(
            "Ratified grades by area",
            ("Area", *(grade.label for grade in Grade)),
            tuple((area, *(by_area[area].get(g, 0) for g in Grade)) for area in areas),
        ),
        draw=draw,
        height=3.4,
    )


def agency_vs_ratified(summary: dict) -> Chart:
    table = summary["agency_vs_ratified"]
    agencies = list(table)
    keys = list(COMPARISON)
    compared = sum(sum(row.values()) for row in table.values())
    parts = [
        f"{agency}: " + ", ".join(f"{k} {table[agency].get(k, 0)}" for k in keys) + "."
        for agency in agencies
    ]
    lead = (
        "Bar chart comparing each agency's own grade of its involvement in a case with the "
        "meeting's ratified grade, counting returns."
    )
    if not compared:
        lead += " No agency's grade can be compared with a ratified grade yet, so every count is 0."
    alt = " ".join([lead, *parts, HIGHER_NOTE])

    def draw(figure: Figure) -> None:
        ax = _axes(figure)
        height = 0.8 / len(keys)
        for i, key in enumerate(keys):
            label, fill, hatch = COMPARISON[key]
            ys = [a + (i - (len(keys) - 1) / 2) * height for a in range(len(agencies))]
            counts = [table[agency].get(key, 0) for agency in agencies]
            bars = ax.barh(ys, counts, height, label=label, **_bar_style(fill, hatch))
            ax.bar_label(bars, padding=3, fontsize=8)
        ax.set_yticks(range(len(agencies)), [_wrap(a, 24) for a in agencies])
        ax.invert_yaxis()
        top = max((n for row in table.values() for n in row.values()), default=0)
        ax.set_xlim(0, max(1, top) * 1.12)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Returns")
        if agencies:  # an empty bar set would give the legend default-coloured keys
            figure.legend(loc="outside upper center", ncols=3, fontsize=9, frameon=False)
        figure.supxlabel(_wrap(HIGHER_NOTE, 90), fontsize=8.5)
        if not compared:
            _empty_note(ax, "No grades to compare yet")

    return Chart(
        key="agency_vs_ratified",
        title="Agencies' own grades compared with the meeting's",
        alt=alt,
        table=Table(
            "Agencies' own grades compared with the ratified grades (returns). " + HIGHER_NOTE,
            ("Agency", *(COMPARISON[k][0] for k in keys)),
            tuple((a, *(table[a].get(k, 0) for k in keys)) for a in agencies),
        ),
        draw=draw,
        height=max(2.6, 1.5 + 0.55 * len(agencies)),
    )


def return_rate(summary: dict) -> Chart:
    requested, submitted = summary["returns"]["requested"], summary["returns"]["submitted"]
    if requested:
        share = f"{round(100 * submitted / requested)}%"
        alt = (
            f"Bar chart of single-agency returns: {submitted} of the {requested} requested "
            f"returns submitted ({share}); {requested - submitted} not yet submitted."
        )
        label = f"{submitted} of {requested} submitted ({share})"
    else:
        alt = "Bar chart of single-agency returns: no returns have been requested yet (0 of 0)."
        label = "No returns requested yet"

    def draw(figure: Figure) -> None:
        ax = _axes(figure)
        ax.barh(0, requested, 0.5, color=WHITE, edgecolor=BLACK, linewidth=1, label="Requested")
        ax.barh(0, submitted, 0.5, label="Submitted", **_bar_style(BLUE, ""))
        ax.text(max(requested, 1) * 1.02, 0, label, va="center", ha="left", fontsize=10)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_ylim(-0.6, 0.6)
        ticks = MaxNLocator(nbins=6, integer=True).tick_values(0, max(requested, 1))
        ax.set_xticks([t for t in ticks if 0 <= t <= max(requested, 1)])
        ax.set_xlim(0, max(requested, 1) * 1.45)
        ax.spines["bottom"].set_bounds(0, max(requested, 1))
        ax.set_xlabel("Returns")
        figure.legend(loc="outside upper center", ncols=2, fontsize=9, frameon=False)

    return Chart(
        key="return_rate",
        title="Single-agency returns submitted",
        alt=alt,
        table=Table(
            "Single-agency returns",
            ("Returns", "Count"),
            (("Requested", requested), ("Submitted", submitted)),
        ),
        draw=draw,
        height=1.9,
    )


def all_charts(summary: dict) -> list[Chart]:
    return [
        overall_grades(summary),
        grades_by_area(summary),
        agency_vs_ratified(summary),
        return_rate(summary),
    ]
