"""The summary report's charts, drawn from the report summary's figures (no database).

Each chart comes with a title, a full text alternative that states every figure, and the same
figures as a data table, so the report can print the table beside the picture. Pictures are SVG
(web and PDF: inlined, text kept as text) or PNG (Word).

Drawn on `matplotlib.figure.Figure` directly (no pyplot, no GUI backend). The SVG settings
matplotlib reads at save time live in its global rcParams, so drawing and saving happen under
one lock with the settings applied by `rc_context`.

Each chart places its axes itself (`_place`), from the sizes of its labels, measured once per
label: matplotlib's constrained layout gave the same margins but cost as much as the drawing
and saving together (it measures every artist twice), and a report draws four charts.

Drawing the four takes 150 ms or more, so a report's charts are kept per summary (`all_charts`)
and each picture is drawn once (`Chart.svg`, `Chart.png`): the same figures give the same
charts, and changed figures are a new summary, so nothing stale can be shown.
"""

import functools
import io
import json
import re
import textwrap
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.ticker import Locator, MaxNLocator

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

# The space charts keep, in inches, as matplotlib's defaults and constrained layout set it.
PT = 1 / 72
EDGE = 3 * PT  # at the figure's edges (constrained layout's pad)
TICKS = (3.5 + 3.5) * PT  # a tick and the pad between it and its label
LABEL_PAD = 4 * PT  # between the tick labels and the axis label


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
    # The pictures drawn so far, by format: a chart is drawn once however often it is shown.
    _drawn: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _save(self, fmt: str, **kwargs) -> bytes:
        made = (fmt, repr(sorted(kwargs.items())))
        if made not in self._drawn:
            self._drawn[made] = self._draw_and_save(fmt, **kwargs)
        return self._drawn[made]

    def _draw_and_save(self, fmt: str, **kwargs) -> bytes:
        with _LOCK, matplotlib.rc_context(RC):
            figure = Figure(figsize=(WIDTH, self.height))  # laid out by the chart (`_place`)
            self.draw(figure)
            out = io.BytesIO()
            figure.savefig(out, format=fmt, **kwargs)
        return out.getvalue()

    def svg(self) -> str:
        """An SVG to inline in HTML: no XML prolog or doctype, `<title>` and `<desc>` first."""
        text = self._save("svg", metadata={"Date": None}).decode()
        text = _tidy_svg(text[text.index("<svg") :], self.key)
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
        # Transparent, so a draft's watermark shows through the chart as it does in the PDF.
        return self._save("png", dpi=dpi, transparent=True)


# What matplotlib puts in a style attribute, all SVG presentation attributes.
_PRESENTATION = frozenset(
    [
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linejoin",
        "stroke-linecap",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "opacity",
        "font-size",
        "font-family",
        "font-weight",
        "font-style",
        "text-anchor",
    ]
)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_REFERENCE = re.compile(r'(url\(#|href="#)([^)"]+)')
_ID = re.compile(r'\sid="([^"]+)"')
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>.*?</style>", re.S)


def _tidy_svg(svg: str, key: str) -> str:
    """The chart's SVG made fit to sit in a page beside three others, on the web and in print.

    matplotlib names every group ("figure_1", "patch_1", the same in every chart): only the
    ids something refers to (clip paths, hatch patterns) are kept, made unique with the chart's
    key. Its style attributes become presentation attributes, which mean the same to the SVG
    renderer but are allowed by the Content Security Policy (which ignores style attributes,
    drawing every shape black) and not read by WeasyPrint as the page's CSS (hundreds of
    warnings and time). Its style element and metadata (the matplotlib version) go.
    """
    svg = _STYLE_ELEMENT.sub("", _METADATA.sub("", svg))
    referenced = {name for _, name in _REFERENCE.findall(svg)}

    def scoped_id(match: re.Match) -> str:
        name = match.group(1)
        if name.startswith("chart-"):  # the title and description the <svg> is labelled by
            return match.group(0)
        return f' id="{key}-{name}"' if name in referenced else ""

    svg = _ID.sub(scoped_id, svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", svg)
    return _STYLE.sub(_attributes, svg)


def _attributes(match: re.Match) -> str:
    declarations = [d.split(":", 1) for d in match.group(1).split(";") if d.strip()]
    if not all(len(d) == 2 and d[0].strip() in _PRESENTATION for d in declarations):
        return match.group(0)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


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


# Layout -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _measure() -> tuple[Figure, RendererSVG]:
    # A figure at 72 dpi, so that its pixels are points, and the renderer the charts are
    # saved with as SVG (their PNGs measure text the same way).
    return Figure(dpi=72), RendererSVG(1, 1, io.StringIO())


@functools.lru_cache(maxsize=1024)
def _size(text: str, fontsize: float = 10) -> tuple[float, float]:
    """A label's width and height in inches, one line or several, measured as matplotlib
    measures it when it lays it out (called under the lock, like all drawing). The width has
    some to spare: a PNG (hinted, in whole pixels) sets text up to 4% wider than the SVG."""
    figure, renderer = _measure()
    with matplotlib.rc_context(RC):
        label = Text(0, 0, text, fontsize=fontsize)
        label.set_figure(figure)
        box = label.get_window_extent(renderer)
    return (box.width * 1.04 + 1) * PT, box.height * PT


def _tick_labels(locator: Locator, low: float, high: float) -> list[str]:
    """The labels an integer axis from `low` to `high` will show."""
    return [f"{round(t)}" for t in locator.tick_values(low, high) if low <= t <= high]


def _widest(labels, fontsize: float = 10) -> float:
    return max((_size(label, fontsize)[0] for label in labels), default=0.0)


def _highest(labels, fontsize: float = 10) -> float:
    return max((_size(label, fontsize)[1] for label in labels), default=0.0)


def _legend_height(legend: Legend) -> float:
    """A one-row legend's height in inches: its text or its keys, and its border."""
    fontsize = legend.prop.get_size_in_points()
    row = max(_highest([t.get_text() for t in legend.texts], fontsize), 0.7 * fontsize * PT)
    return row + 2 * legend.borderpad * fontsize * PT


def _legend_room(legend: Legend) -> float:
    """Room at the top for a legend across it: the edge, the legend, and a gap below it."""
    return EDGE + _legend_height(legend) + 2 * EDGE


def _top_legend(figure: Figure, **kwargs) -> Legend:
    """A legend across the top of the figure, above the axes (`_legend_room`)."""
    height = figure.get_figheight()
    return figure.legend(loc="upper center", bbox_to_anchor=(0.5, 1 - EDGE / height),
                         bbox_transform=figure.transFigure, borderaxespad=0, **kwargs)  # fmt: skip


def _overhang(ticks: list[str], top: float, height: float) -> float:
    """How far the top tick's label stands above axes `height` inches high that end at `top`."""
    if not ticks:
        return 0.0
    below = (top - int(ticks[-1])) / top * height
    return max(0.0, _size(ticks[-1])[1] / 2 - below)


def _place(
    figure: Figure, ax: Axes, *, left: float, bottom: float, top: float, right: float = EDGE
) -> None:
    """Put the axes so many inches in from the figure's edges."""
    width, height = figure.get_size_inches()
    ax.set_position(
        [left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height]
    )


def _y_margin(labels: list[str], axis_label: str = "") -> float:
    """Room at the left for the y tick labels and the y axis label."""
    room = EDGE + _widest(labels) + TICKS
    return room + (_size(axis_label)[1] + LABEL_PAD if axis_label else 0.0)


def _x_margin(labels: list[str], axis_label: str = "") -> float:
    """Room at the bottom for the x tick labels and the x axis label."""
    room = EDGE + _highest(labels or ["0"]) + TICKS
    return room + (_size(axis_label)[1] + LABEL_PAD if axis_label else 0.0)


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
        labels = [_wrap(grade.label, 12) for grade, _ in grades]
        ax.set_xticks(list(xs), labels)
        top = max(1, max(counts.values())) * 1.18
        ax.set_ylim(0, top)
        ax.yaxis.set_major_locator(locator := MaxNLocator(integer=True))
        ax.set_ylabel("Cases")
        if not ratified:
            _empty_note(ax, "No cases ratified yet")
        ticks = _tick_labels(locator, 0, top)
        bottom = _x_margin(labels)
        overhang = _overhang(ticks, top, figure.get_figheight() - bottom - EDGE)
        _place(figure, ax, left=_y_margin(ticks, "Cases"), bottom=bottom, top=EDGE + overhang)

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
        top = max(1, max((n for c in by_area.values() for n in c.values()), default=0)) * 1.18
        ax.set_ylim(0, top)
        ax.yaxis.set_major_locator(locator := MaxNLocator(integer=True))
        ax.set_ylabel("Cases")
        legend = _top_legend(figure, ncols=5, fontsize=8, frameon=False, handlelength=1.6,
                             columnspacing=1.0)  # fmt: skip
        if not ratified:
            _empty_note(ax, "No cases ratified yet" if areas else "No areas")
        ticks = _tick_labels(locator, 0, top)
        # The first and last areas' names may be wider than their groups: room for them.
        left, right = _y_margin(ticks, "Cases"), EDGE
        span = len(areas) - 1 + 0.82  # the bars' extent; matplotlib adds 5% each side
        for _ in range(3) if areas else ():  # widening a margin narrows the axes: again
            beside = (0.41 + 0.05 * span) / (1.1 * span) * (WIDTH - left - right)
            left = max(left, EDGE + _size(areas[0])[0] / 2 - beside)
            right = max(right, EDGE + _size(areas[-1])[0] / 2 - beside)
        _place(figure, ax, left=left, bottom=_x_margin(areas), top=_legend_room(legend),
               right=right)  # fmt: skip

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
        labels = [_wrap(a, 24) for a in agencies]
        ax.set_yticks(range(len(agencies)), labels)
        ax.invert_yaxis()
        top = max(1, max((n for row in table.values() for n in row.values()), default=0)) * 1.12
        ax.set_xlim(0, top)
        ax.xaxis.set_major_locator(locator := MaxNLocator(integer=True))
        ax.set_xlabel("Returns")
        room = EDGE
        if agencies:  # an empty bar set would give the legend default-coloured keys
            legend = _top_legend(figure, ncols=3, fontsize=9, frameon=False)
            room = _legend_room(legend)
        note = _wrap(HIGHER_NOTE, 90)
        figure.supxlabel(note, fontsize=8.5, y=EDGE / figure.get_figheight(), va="bottom")
        if not compared:
            _empty_note(ax, "No grades to compare yet")
        ticks = _tick_labels(locator, 0, top)
        # Without labels, the first x tick's label stands half out of the axes at the left.
        left = _y_margin(labels) if labels else EDGE + _widest(ticks[:1]) / 2
        bottom = _x_margin(ticks, "Returns") + _size(note, 8.5)[1] + 2 * EDGE
        _place(figure, ax, left=left, bottom=bottom, top=room)

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
        legend = _top_legend(figure, ncols=2, fontsize=9, frameon=False)
        # No y labels: room for half the first x tick's label. The words after the bar start
        # at 1.02 / 1.45 of the axes' width: if they would run past the edge, narrow the axes.
        left, at = EDGE + _widest(["0"]) / 2, 1.02 / 1.45
        right = max(EDGE, WIDTH - left - (WIDTH - EDGE - _size(label)[0] - left) / at)
        _place(figure, ax, left=left, bottom=_x_margin(["0"], "Returns"),
               top=_legend_room(legend), right=right)  # fmt: skip

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
    """The report's charts for `summary`, the same objects (and so the same drawn pictures)
    for the same figures while they are among the last few asked for."""
    return list(_charts_of(json.dumps(summary, sort_keys=True, default=str)))


@functools.lru_cache(maxsize=32)
def _charts_of(summary_json: str) -> tuple[Chart, ...]:
    summary = json.loads(summary_json)
    return (
        overall_grades(summary),
        grades_by_area(summary),
        agency_vs_ratified(summary),
        return_rate(summary),
    )
