"""The report's key measures: the answers to the questions the coordinator marked as key
(`Question.key_measure`), counted, as the board reads them.

The report goes to the board, so its key measures are protected by the board's small-count
rules (`maca.disclosure`, decision 38): a count of returns from 1 to N-1 reads "fewer
than N", and a count that would give one away reads "not shown". The tables of one report are
protected together, with the facts a reader knows: each option's count from all returns is the
sum of its counts by area, and "Answered" is the sum of the options.

`key_measure_tables` turns the report summary's `answers` into those tables (no database), so
the summary's `key_measures`, the report's tables and its chart (`charts.key_measures`) are the
same figures. No matplotlib here: the summary is computed where nothing is drawn.
"""

from maca import disclosure
from maca.tables import Column, Row, Table

ALL = "All returns"
ANSWERED = "Answered"
KEY = "key_measures"  # the chart's key


def key_measure_tables(answers: list[dict], threshold: int) -> list[dict]:
    """Each key question's counts as the board reads them: {"key", "text", "headers", "rows"},
    a row per option and one for how many answered, a column for all returns and one per area;
    a cell an int or the words that hide it ("fewer than 3", "not shown").

    By area, not by agency: a 15-case audit has three areas and ten agencies, and the report
    fits on six pages (the agencies' counts are on the coordinators' Answers page)."""
    measures = [question for question in answers if question["key_measure"]]
    tables, relations = [], []
    for question in measures:
        areas = list(question["by_area"])
        groups = [question, *(question["by_area"][area] for area in areas)]
        options = question["options"]
        table = Table(
            key=f"key-measure-{question['key']}",
            title=question["text"],
            row_header="Answer",
            columns=(Column(ALL, sum_of=tuple(areas)), *(Column(area) for area in areas)),
            rows=(
                *(
                    Row(option["label"], tuple(g["counts"][option["value"]] for g in groups))
                    for option in options
                ),
                Row(ANSWERED, tuple(g["answered"] for g in groups)),
            ),
        )
        tables.append(table)
        # How many answered is the sum of the options, in every column.
        for c in range(len(table.columns)):
            parts = [(table.key, r, c) for r in range(len(options))]
            relations.append(disclosure.same([(table.key, len(options), c)], parts))
    shown = disclosure.protect(tables, relations, threshold=threshold) if tables else ()
    return [
        {
            "key": question["key"],
            "text": question["text"],
            "headers": ["Answer", *(column.name for column in table.columns)],
            "rows": [[row.label, *(_cell(cell) for cell in row.cells)] for row in table.rows],
        }
        for question, table in zip(measures, shown, strict=True)
    ]


def key_measures_table(measures: list[dict]) -> dict | None:
    """The report's one key measures table (the key measures chart's data table): each key
    question's rows under it."""
    if not measures:
        return None
    headers = ["Key question", *measures[0]["headers"]]
    rows = []
    for measure in measures:
        for i, row in enumerate(measure["rows"]):
            cells = [*row, *([""] * (len(headers) - 1 - len(row)))]
            rows.append([measure["text"] if i == 0 else "", *cells])
    caption = (
        "Answers to the key questions, counting returns (one agency's return on one case); "
        "small counts as the board reads them"
    )
    return {"caption": caption, "headers": headers, "rows": rows}


def _cell(cell) -> int | str:
    return cell if isinstance(cell, int) else str(cell)
