"""Drawing charts the same way everywhere: the report's and the dashboard's.

The GOV.UK palette (fills that are close in greyscale also differ by hatching), the `Chart`
(a picture with a title, a full text alternative and its figures as a data table; SVG for the
web and PDF, PNG for Word, each drawn once), and the layout helpers.

Drawn on `matplotlib.figure.Figure` directly (no pyplot, no GUI backend). The SVG settings
matplotlib reads at save time live in its global rcParams, so drawing and saving happen under
one lock with the settings applied by `rc_context`.

Every text is drawn as it was typed. Names come from people (an area, an agency, an audit's
title), and matplotlib would read text between two dollar signs as mathematics: `$\\nope$`
fails to parse and the page drawing it fails. `text.parse_math` off, in `RC`, reaches every text
a chart holds (tick labels, legends, bar labels, notes, axis labels) and every text measured
(`text_size`), since all are made under `rc_context(RC)`; nothing needs escaping then, and a
backslash stays a backslash.

Each chart places its axes itself (`place`), from the sizes of its labels, measured once per
label: matplotlib's constrained layout gave the same margins but cost as much as the drawing
and saving together (it measures every artist twice), and a report draws four charts.
"""

import functools
import io
import re
import textwrap
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.ticker import Locator
from matplotlib.typing import RcKeyType

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
WIDTH = 6.3  # inches: the text width of an A4 page with 2.5 cm margins
RC: dict[RcKeyType, Any] = {
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
    "text.parse_math": False,  # names are text, never mathematics (see above)
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
            figure = Figure(figsize=(WIDTH, self.height))  # laid out by the chart (`place`)
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


def wrap(label: str, width: int) -> str:
    return textwrap.fill(label, width, break_long_words=False)


# Drawing helpers --------------------------------------------------------------------------------


def axes(figure: Figure) -> Axes:
    ax = figure.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def bar_style(fill: str, hatch: str) -> dict[str, Any]:
    # Hatching in white on the dark fills, so greyscale prints tell them apart.
    return {"color": fill, "edgecolor": BLACK, "linewidth": 0.6, "hatch": hatch,
            "hatchcolor": WHITE}  # fmt: skip


def empty_note(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center")


# Layout -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _measure() -> tuple[Figure, RendererSVG]:
    # A figure at 72 dpi, so that its pixels are points, and the renderer the charts are
    # saved with as SVG (their PNGs measure text the same way).
    return Figure(dpi=72), RendererSVG(1, 1, io.StringIO())


@functools.lru_cache(maxsize=1024)
def text_size(text: str, fontsize: float = 10) -> tuple[float, float]:
    """A label's width and height in inches, one line or several, measured as matplotlib
    measures it when it lays it out (called under the lock, like all drawing). The width has
    some to spare: a PNG (hinted, in whole pixels) sets text up to 4% wider than the SVG."""
    figure, renderer = _measure()
    with matplotlib.rc_context(RC):
        label = Text(0, 0, text, fontsize=fontsize)
        label.set_figure(figure)
        box = label.get_window_extent(renderer)
    return (box.width * 1.04 + 1) * PT, box.height * PT


def tick_labels(locator: Locator, low: float, high: float) -> list[str]:
    """The labels an integer axis from `low` to `high` will show."""
    return [f"{round(t)}" for t in locator.tick_values(low, high) if low <= t <= high]


def widest(labels, fontsize: float = 10) -> float:
    return max((text_size(label, fontsize)[0] for label in labels), default=0.0)


def highest(labels, fontsize: float = 10) -> float:
    return max((text_size(label, fontsize)[1] for label in labels), default=0.0)


def _legend_height(legend: Legend) -> float:
    """A one-row legend's height in inches: its text or its keys, and its border."""
    fontsize = legend.prop.get_size_in_points()
    row = max(highest([t.get_text() for t in legend.texts], fontsize), 0.7 * fontsize * PT)
    return row + 2 * legend.borderpad * fontsize * PT


def legend_room(legend: Legend) -> float:
    """Room at the top for a legend across it: the edge, the legend, and a gap below it."""
    return EDGE + _legend_height(legend) + 2 * EDGE


def top_legend(figure: Figure, **kwargs) -> Legend:
    """A legend across the top of the figure, above the axes (`legend_room`)."""
    height = figure.get_figheight()
    return figure.legend(loc="upper center", bbox_to_anchor=(0.5, 1 - EDGE / height),
                         bbox_transform=figure.transFigure, borderaxespad=0, **kwargs)  # fmt: skip


def overhang(ticks: list[str], top: float, height: float) -> float:
    """How far the top tick's label stands above axes `height` inches high that end at `top`."""
    if not ticks:
        return 0.0
    below = (top - int(ticks[-1])) / top * height
    return max(0.0, text_size(ticks[-1])[1] / 2 - below)


def place(
    figure: Figure, ax: Axes, *, left: float, bottom: float, top: float, right: float = EDGE
) -> None:
    """Put the axes so many inches in from the figure's edges."""
    width, height = figure.get_size_inches()
    ax.set_position(
        (left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height)
    )


def y_margin(labels: list[str], axis_label: str = "") -> float:
    """Room at the left for the y tick labels and the y axis label."""
    room = EDGE + widest(labels) + TICKS
    return room + (text_size(axis_label)[1] + LABEL_PAD if axis_label else 0.0)


def x_margin(labels: list[str], axis_label: str = "") -> float:
    """Room at the bottom for the x tick labels and the x axis label."""
    room = EDGE + highest(labels or ["0"]) + TICKS
    return room + (text_size(axis_label)[1] + LABEL_PAD if axis_label else 0.0)
