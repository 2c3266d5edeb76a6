"""The summary report's charts, drawn from the report summary's figures (no database).

Each chart comes with a title, a full text alternative that states every figure, and the same
figures as a data table, so the report can print the table beside the picture (`maca.drawing`
draws them as the dashboard's are drawn).

Drawing the four takes 150 ms or more, so a report's charts are kept per summary (`all_charts`)
and each picture is drawn once (`Chart.svg`, `Chart.png`): the same figures give the same
charts, and changed figures are a new summary, so nothing stale can be shown.
"""

import functools
import json

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from maca.drawing import (
    BLACK,
    BLUE,
    COMPARISON,
    EDGE,
    GRADE_STYLE,
    GREEN,
    GREY,
    RED,
    WHITE,
    WIDTH,
    YELLOW,
    Chart,
    Table,
    axes,
    bar_style,
    empty_note,
    legend_room,
    overhang,
    place,
    text_size,
    tick_labels,
    top_legend,
    widest,
    wrap,
    x_margin,
    y_margin,
)
from maca.grades import Grade

from .key_measures import KEY as KEY_MEASURES
from .key_measures import key_measures_table

HIGHER_NOTE = (
    '"Higher" means the agency graded its own involvement better than the meeting did; '
    '"lower", worse.'
)


# Words ----------------------------------------------------------------------------------------


def _grade_words(counts: dict[str, int]) -> str:
    return ", ".join(f"{grade.label.lower()} {counts.get(grade, 0)}" for grade in Grade)


def _cases(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


def _grade_words(counts: dict[str, int]) -> str:
    return ", ".join(f"{grade.label.lower()} {counts.get(grade, 0)}" for grade in Grade)


def _cases(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


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
        ax = axes(figure)
        xs = range(len(grades))
        for x, (grade, count) in zip(xs, grades, strict=True):
            bar = ax.bar(x, count, width=0.65, **bar_style(*GRADE_STYLE[grade]))
            ax.bar_label(bar, labels=[str(count)], padding=3, fontsize=11, fontweight="bold")
        labels = [wrap(grade.label, 12) for grade, _ in grades]
        ax.set_xticks(list(xs), labels)
        top = max(1, max(counts.values())) * 1.18
        ax.set_ylim(0, top)
        ax.yaxis.set_major_locator(locator := MaxNLocator(integer=True))
        ax.set_ylabel("Cases")
        if not ratified:
            empty_note(ax, "No cases ratified yet")
        ticks = tick_labels(locator, 0, top)
        bottom = x_margin(labels)
        above = overhang(ticks, top, figure.get_figheight() - bottom - EDGE)
        place(figure, ax, left=y_margin(ticks, "Cases"), bottom=bottom, top=EDGE + above)

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
        ax = axes(figure)
        grades = list(Grade)
        width = 0.82 / len(grades)
        for i, grade in enumerate(grades):
            xs = [a + (i - (len(grades) - 1) / 2) * width for a in range(len(areas))]
            counts = [by_area[area].get(grade, 0) for area in areas]
            bars = ax.bar(xs, counts, width, label=grade.label, **bar_style(*GRADE_STYLE[grade]))
            ax.bar_label(bars, padding=2, fontsize=8)
        ax.set_xticks(range(len(areas)), areas)
        top = max(1, max((n for c in by_area.values() for n in c.values()), default=0)) * 1.18
        ax.set_ylim(0, top)
        ax.yaxis.set_major_locator(locator := MaxNLocator(integer=True))
        ax.set_ylabel("Cases")
        legend = top_legend(figure, ncols=5, fontsize=8, frameon=False, handlelength=1.6,
                             columnspacing=1.0)  # fmt: skip
        if not ratified:
            empty_note(ax, "No cases ratified yet" if areas else "No areas")
        ticks = tick_labels(locator, 0, top)
        # The first and last areas' names may be wider than their groups: room for them.
        left, right = y_margin(ticks, "Cases"), EDGE
        span = len(areas) - 1 + 0.82  # the bars' extent; matplotlib adds 5% each side
        for _ in range(3) if areas else ():  # widening a margin narrows the axes: again
            beside = (0.41 + 0.05 * span) / (1.1 * span) * (WIDTH - left - right)
            left = max(left, EDGE + text_size(areas[0])[0] / 2 - beside)
            right = max(right, EDGE + text_size(areas[-1])[0] / 2 - beside)
        place(figure, ax, left=left, bottom=x_margin(areas), top=legend_room(legend),
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
        "Stacked bar chart comparing each agency's own grade of its involvement in a case with the "
        "meeting's ratified grade, counting returns."
    )
    if not compared:
        lead += " No agency's grade can be compared with a ratified grade yet, so every count is 0."
    alt = " ".join([lead, *parts, HIGHER_NOTE])

    def draw(figure: Figure) -> None:
        ax = axes(figure)
        # One bar per agency, its returns split into same, higher and lower: a row per agency
        # (not three) keeps ten agencies and another chart on one printed page.
        ys = range(len(agencies))
        starts = [0] * len(agencies)
        for key in keys:
            label, fill, hatch = COMPARISON[key]
            counts = [table[agency].get(key, 0) for agency in agencies]
            bars = ax.barh(ys, counts, 0.62, left=starts, label=label, **bar_style(fill, hatch))
            # Each count on a white ground, readable on any fill and hatch; none for a 0.
            ax.bar_label(
                bars, labels=[str(n) if n else "" for n in counts], label_type="center",
                fontsize=8, bbox={"boxstyle": "square,pad=0.15", "fc": WHITE, "ec": "none"},
            )  # fmt: skip
            starts = [s + n for s, n in zip(starts, counts, strict=True)]
        labels = [wrap(a, 32) for a in agencies]
        ax.set_yticks(list(ys), labels)
        ax.invert_yaxis()
        top = max(1, max(starts, default=0)) * 1.05
        ax.set_xlim(0, top)
        ax.xaxis.set_major_locator(locator := MaxNLocator(integer=True))
        ax.set_xlabel("Returns")
        room = EDGE
        if agencies:  # an empty bar set would give the legend default-coloured keys
            legend = top_legend(figure, ncols=3, fontsize=9, frameon=False)
            room = legend_room(legend)
        note = wrap(HIGHER_NOTE, 90)
        figure.supxlabel(note, fontsize=8.5, y=EDGE / figure.get_figheight(), va="bottom")
        if not compared:
            empty_note(ax, "No grades to compare yet")
        ticks = tick_labels(locator, 0, top)
        # Without labels, the first x tick's label stands half out of the axes at the left.
        left = y_margin(labels) if labels else EDGE + widest(ticks[:1]) / 2
        bottom = x_margin(ticks, "Returns") + text_size(note, 8.5)[1] + 2 * EDGE
        place(figure, ax, left=left, bottom=bottom, top=room)

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
        height=max(2.2, 1.3 + 0.3 * len(agencies)),
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
        ax = axes(figure)
        ax.barh(0, requested, 0.5, color=WHITE, edgecolor=BLACK, linewidth=1, label="Requested")
        ax.barh(0, submitted, 0.5, label="Submitted", **bar_style(BLUE, ""))
        ax.text(max(requested, 1) * 1.02, 0, label, va="center", ha="left", fontsize=10)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_ylim(-0.6, 0.6)
        ticks = MaxNLocator(nbins=6, integer=True).tick_values(0, max(requested, 1))
        ax.set_xticks([t for t in ticks if 0 <= t <= max(requested, 1)])
        ax.set_xlim(0, max(requested, 1) * 1.45)
        ax.spines["bottom"].set_bounds(0, max(requested, 1))
        ax.set_xlabel("Returns")
        legend = top_legend(figure, ncols=2, fontsize=9, frameon=False)
        # No y labels: room for half the first x tick's label. The words after the bar start
        # at 1.02 / 1.45 of the axes' width: if they would run past the edge, narrow the axes.
        left, at = EDGE + widest(["0"]) / 2, 1.02 / 1.45
        right = max(EDGE, WIDTH - left - (WIDTH - EDGE - text_size(label)[0] - left) / at)
        place(figure, ax, left=left, bottom=x_margin(["0"], "Returns"),
               top=legend_room(legend), right=right)  # fmt: skip

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


# Segment fills in the options' order, each with its own hatch so greyscale still tells them
# apart (a question offers at most a handful of options).
KEY_MEASURE_STYLES = [
    (BLUE, ""),
    (YELLOW, "//"),
    (GREY, "\\\\"),
    (GREEN, "xx"),
    (RED, ".."),
    (WHITE, "--"),
]


def key_measures(measures: list[dict]) -> Chart:
    """One bar per key question: its answers from all returns (`key_measures`' first column),
    an option a segment; its data table is the key measures table. A count
    the board may not read is left out of the bar and named in the text alternative as the
    table names it."""
    bars = []
    for measure in measures:
        *rows, answered = measure["rows"]  # an option a row, then how many answered
        bars.append((measure["text"], [(row[0], row[1]) for row in rows], answered[1]))
    parts = []
    for text, options, answered in bars:
        said = ", ".join(f"{label} {count}" for label, count in options)
        parts.append(f"{text}: {said} (answered: {answered}).")
    alt = "Stacked bar chart of the answers to the key questions, counting returns. " + " ".join(
        parts
    )

    labels = [wrap(text, 40) for text, _, _ in bars]
    # Room for each question's wrapped lines.
    lines = sum(max(2, label.count("\n") + 1) for label in labels)

    def draw(figure) -> None:
        ax = axes(figure)
        ys = range(len(bars))
        longest = 1
        for y, (_, options, _) in zip(ys, bars, strict=True):
            start = 0
            for i, (label, count) in enumerate(options):
                if not isinstance(count, int) or not count:
                    continue
                fill, hatch = KEY_MEASURE_STYLES[i % len(KEY_MEASURE_STYLES)]
                bar = ax.barh(y, count, 0.6, left=start, **bar_style(fill, hatch))
                ax.bar_label(
                    bar, labels=[f"{label} {count}"], label_type="center", fontsize=8,
                    bbox={"boxstyle": "square,pad=0.15", "fc": WHITE, "ec": "none"},
                )  # fmt: skip
                start += count
            longest = max(longest, start)
        ax.set_yticks(list(ys), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, longest * 1.05)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Returns")
        place(figure, ax, left=y_margin(labels), bottom=x_margin(["0"], "Returns"), top=EDGE)

    # Its data table is the key measures table: by area as well as from all returns.
    table = key_measures_table(measures)
    return Chart(
        key=KEY_MEASURES,
        title="Key measures",
        alt=alt,
        table=Table(
            table["caption"],
            tuple(table["headers"]),
            tuple(tuple(row) for row in table["rows"]),
        ),
        draw=draw,
        height=max(1.3, 0.6 + 0.22 * lines),
    )


def all_charts(summary: dict) -> list[Chart]:
    """The report's charts for `summary`, the same objects (and so the same drawn pictures)
    for the same figures while they are among the last few asked for."""
    # Not sort_keys: the summary's areas and agencies are in the partnership's order, and
    # sorting the keys made the charts list them alphabetically (decision 56).
    return list(_charts_of(json.dumps(summary, default=str)))


@functools.lru_cache(maxsize=32)
def _charts_of(summary_json: str) -> tuple[Chart, ...]:
    summary = json.loads(summary_json)
    # Key measures only where the report has them (a summary before them has none).
    measures = summary.get("key_measures") or []
    return (
        overall_grades(summary),
        grades_by_area(summary),
        agency_vs_ratified(summary),
        return_rate(summary),
        *([key_measures(measures)] if measures else []),
    )
