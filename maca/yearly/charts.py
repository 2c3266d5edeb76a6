"""The yearly report's charts, drawn from the tables its document holds (a published edition's
included), as the dashboard draws the same tables (`learning.charts.bar_chart`): the protected
counts, hidden ones as one dotted band. Each chart carries its data table as printed."""

import copy
from dataclasses import replace

from maca import drawing
from maca.drawing import Chart
from maca.learning.charts import bar_chart
from maca.tables import Column, Fewer, Row, Table, Withheld

from .document import CHARTED, printed


def _cell(cell, threshold: int):
    if cell == "not shown":
        return Withheld()
    if isinstance(cell, str) and cell.startswith("fewer than "):
        return Fewer(threshold)
    return cell


def table_of(table: dict, threshold: int) -> Table:
    """A table of the document as `maca.tables.Table` again, to draw."""
    return Table(
        key=table["key"],
        title=table["title"],
        row_header=table["row_header"],
        columns=tuple(
            Column(name, kind) for name, kind in zip(table["headers"], table["kinds"], strict=True)
        ),
        rows=tuple(
            Row(label, tuple(_cell(cell, threshold) for cell in cells))
            for label, *cells in table["rows"]
        ),
        note=table["note"],
        threshold=threshold,
    )


def yearly_charts(document: dict) -> list[Chart]:
    threshold = document["figures"]["threshold"]
    charts = []
    for table in document["figures"]["tables"]:
        if table["key"] not in CHARTED or not table["rows"]:
            continue
        chart = bar_chart(table_of(table, threshold))
        shown = printed(table)
        charts.append(
            replace(
                chart,
                table=drawing.Table(
                    shown["caption"], tuple(shown["headers"]), tuple(map(tuple, shown["rows"]))
                ),
            )
        )
    return charts


def presented(document: dict) -> dict:
    """A copy of the document whose chart blocks carry their chart, for the web page."""
    document = copy.deepcopy(document)
    charts = {chart.key: chart for chart in yearly_charts(document)}
    for section in document["sections"]:
        # A chart this version does not draw is left out, not guessed (as the print).
        section["blocks"] = [
            {**block, "chart": charts[block["key"]]} if block["kind"] == "chart" else block
            for block in section["blocks"]
            if block["kind"] != "chart" or block["key"] in charts
        ]
    return document
