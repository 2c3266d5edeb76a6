"""The report's cases by profile: how many cases of each profile value the sample holds, and
how they were graded, for the case profile fields the partnership records (`maca.profiles`,
decision 69), so that a partnership can see whether some children are served worse.

The report goes to the board, so these counts are protected by the board's small-count rules
(`maca.disclosure`, decision 38) as the key measures are: a count from 1 to N-1 reads "fewer
than N", one that would give a small count away "not shown". A reader knows how many cases the
audit has and how many were graded each way (the report prints both), so every field's column
adds up to a known total; the tables of all the fields are protected together.

Grades are put in two groups, good or outstanding and requires improvement or inadequate:
with about 15 cases, the four grades by each profile value would be nearly all small counts.
Not scored cases are in "Cases" only.
"""

from collections.abc import Sequence

from maca import disclosure
from maca.grades import Grade
from maca.profiles import CHOICES, ProfileField, label_of
from maca.tables import Column, Row, Table

CASES = "Cases"
GOOD = "Good or outstanding"
LESS = "Requires improvement or inadequate"
GROUPS = (
    (GOOD, (Grade.OUTSTANDING, Grade.GOOD)),
    (LESS, (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)),
)
CAPTION = "The cases by profile, and their ratified grades; small counts as the board reads them"


def profile_tables(
    profiles: Sequence[dict[str, str]],
    grades: Sequence[str],
    fields: Sequence[ProfileField],
    threshold: int,
) -> list[dict]:
    """For each field, in order, its table as the board reads it: {"field", "title",
    "headers", "rows"}, a row per value that some case has (in the field's order, then "Not
    recorded"), with how many cases, and how many graded good or outstanding and requires
    improvement or inadequate; a cell an int or the words that hide it.

    `profiles` and `grades` are the cases' (a grade "" while not ratified), in the same order.
    """
    if not profiles or not fields:
        return []
    groups = [
        sum(1 for grade in grades if grade in members) for _, members in GROUPS
    ]  # the known totals of the grade columns
    tables, relations = [], []
    for field in fields:
        rows = []
        for value in [*CHOICES[field].values, ""]:
            graded = [
                g for profile, g in zip(profiles, grades, strict=True) if profile[field] == value
            ]
            if graded:
                counts = (len(graded), *(sum(1 for g in graded if g in m) for _, m in GROUPS))
                rows.append(Row(label_of(field, value), counts))
        table = Table(
            key=f"profile-{field.value}",
            title=field.label,
            row_header=field.label,
            columns=(
                Column(CASES, at_least=tuple(name for name, _ in GROUPS)),
                *(Column(name) for name, _ in GROUPS),
            ),
            rows=tuple(rows),
        )
        tables.append(table)
        # Each column adds up to a figure the report prints.
        for c, total in enumerate((len(profiles), *groups)):
            terms = tuple(((table.key, r, c), 1) for r in range(len(rows)))
            relations.append(disclosure.Relation(terms, constant=-total))
    shown = disclosure.protect(tables, relations, threshold=threshold)
    return [
        {
            "field": field.value,
            "title": field.label,
            "headers": [field.label, *(column.name for column in table.columns)],
            "rows": [[row.label, *(_cell(cell) for cell in row.cells)] for row in table.rows],
        }
        for field, table in zip(fields, shown, strict=True)
    ]


def profiles_table(profiles: list[dict]) -> dict | None:
    """The report's one table of the cases by profile: each field's rows, "Field: value"."""
    if not profiles:
        return None
    rows = [
        [f"{profile['title']}: {row[0]}", *row[1:]]
        for profile in profiles
        for row in profile["rows"]
    ]
    return {"caption": CAPTION, "headers": ["Profile", CASES, GOOD, LESS], "rows": rows}


def _cell(cell) -> int | str:
    return cell if isinstance(cell, int) else str(cell)
