"""The report's key measures: the answers to the questions the coordinator marked as key
(`Question.key_measure`), counted, as the board reads them.

The report goes to the board, so its key measures are protected by the board's small-count
rules (`maca.learning.disclosure`, decision 38): a count of returns from 1 to N-1 reads "fewer
than N", and a count that would give one away reads "not shown". The tables of one report are
protected together, with the facts a reader knows: each option's overall count is the sum of
its counts by agency, and of its counts by area; "Answered" is the sum of the options.

`key_measure_tables` turns the report summary's `answers` into those tables (no database), so
the summary's `key_measures`, the report's tables and its chart (`charts.key_measures`) are the
same figures. No matplotlib here: the summary is computed where nothing is drawn.
"""

from maca.learning import disclosure
from maca.learning.tables import Column, Row, Table

ALL = "All returns"
ANSWERED = "Answered"
KEY = "key_measures"  # the chart's key


def area_row(name: str) -> str:
    return f"Area: {name}"


def key_measure_tables(answers: list[dict], threshold: int) -> list[dict]:
    """Each key question's counts (overall, by agency, by area) as the board reads them:
    {"key", "text", "headers", "rows"}, a row per group, a cell an int or the words that hide
    it ("fewer than 3", "not shown")."""
    measures = [question for question in answers if question["key_measure"]]
    tables, relations = [], []
    for question in measures:
        labels = [option["label"] for option in question["options"]]
        values = [option["value"] for option in question["options"]]
        groups = [
            (ALL, question),
            *question["by_agency"].items(),
            *((area_row(name), tally) for name, tally in question["by_area"].items()),
        ]
        table = Table(
            key=f"key-measure-{question['key']}",
            title=question["text"],
            row_header="Returns",
            columns=(
                *(Column(label) for label in labels),
                Column(ANSWERED, sum_of=tuple(labels)),
            ),
            rows=tuple(
                Row(name, (*(tally["counts"][v] for v in values), tally["answered"]))
                for name, tally in groups
            ),
        )
        tables.append(table)
        agencies = range(1, 1 + len(question["by_agency"]))
        areas = range(1 + len(question["by_agency"]), len(groups))
        for c in range(len(labels) + 1):
            overall = [(table.key, 0, c)]
            for part in (agencies, areas):
                if part:
                    relations.append(disclosure.same(overall, [(table.key, r, c) for r in part]))
    shown = disclosure.protect(tables, relations, threshold=threshold) if tables else ()
    return [
        {
            "key": question["key"],
            "text": question["text"],
            "headers": ["Returns", *(column.name for column in table.columns)],
            "rows": [[row.label, *(_cell(cell) for cell in row.cells)] for row in table.rows],
        }
        for question, table in zip(measures, shown, strict=True)
    ]


def _cell(cell) -> int | str:
    return cell if isinstance(cell, int) else str(cell)
