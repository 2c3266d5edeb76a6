"""A re-audit's report, compared with the earlier audit: the blocks its Scoring section ends
with, drawn from the summary's `comparison` (`maca.reports.comparison`) and nothing else, so the
web page, the PDF and the Word file print the same figures as the JSON.

Compact, because a 15-case report fits on six pages: one table (grades overall and by area,
each key measure, each success measure), a paragraph on the themes and one on the earlier
audit's actions (which moves with time: volatile, left out of the digest). The agencies' own
grades and each action's row are on the comparison page.
"""

import datetime

from .comparison import share


def _data(kind: str, **fields) -> dict:
    return {"kind": kind, **fields, "source": "data"}


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def tally_text(tally: dict | None) -> str:
    """ "5 of 9 (56%)": cases (or returns) graded good or better, of those graded."""
    if not tally or not tally["graded"]:
        return "None graded"
    good, graded = tally["good_or_better"], tally["graded"]
    return f"{good} of {graded} ({share(good, graded)}%)"


def measure_text(options: list[str], side: dict) -> str:
    """ "Yes 40%, Partly 33%, No 27% of 30": each answer's share of those answering, or the
    words hiding its count."""
    answered = side["answered"]
    parts = []
    for label in options:
        count = side["counts"].get(label, 0)
        percent = share(count, answered)
        parts.append(f"{label} {percent}%" if percent is not None else f"{label} {count}")
    return f"{', '.join(parts)} of {answered}"


def success_text(figures: dict) -> str:
    if figures.get("share") is None:
        return "Not shown"
    return f"{figures['share']}% ({figures['count']} of {figures['answered']})"


def success_result(success: dict) -> str:
    if success["met"] is None:
        return f"{success_text(success)}; target {success['target']}%"
    met = "met" if success["met"] else "not met"
    return f"{success_text(success)}: {met} (target {success['target']}%)"


def comparison_table(comparison: dict) -> dict:
    """The one table: a row per measure, its figure before (the earlier audit) and after."""
    rows = []
    for row in comparison["grades"]:
        if row["by"] == "agency":
            continue
        label = "All cases" if row["by"] == "all" else row["group"]
        rows.append(
            [f"Good or better: {label}", tally_text(row["before"]), tally_text(row["after"])]
        )
    for measure in comparison["key_measures"]:
        options = measure["options"]
        rows.append(
            [
                measure["text"],
                measure_text(options, measure["before"]),
                measure_text(options, measure["after"]),
            ]
        )
    for n, recommendation in enumerate(comparison["recommendations"], start=1):
        success = recommendation["success"]
        if success is None:
            continue
        rows.append(
            [
                f"Recommendation {n}: {recommendation['success_measure']}",
                success_text(success["before"]),
                success_result(success),
            ]
        )
    caption = (
        f"Compared with the earlier audit, ‘{comparison['earlier']['title']}’: cases graded good "
        "or better, the key questions' answers (returns) and the success measures"
    )
    return {"caption": caption, "headers": ["Measure", "Before", "After"], "rows": rows}


def themes_sentence(themes: dict) -> str:
    parts = []
    for key, words in (
        ("found_again", "Themes found again"),
        ("no_longer_found", "no longer found"),
        ("new", "new"),
    ):
        titles = [f"‘{theme['title']}’" for theme in themes[key]]
        parts.append(f"{words}: {_join(titles) if titles else 'none'}")
    first, *rest = parts
    return f"{first}; {'; '.join(rest)}."


def actions_sentence(recommendations: list[dict]) -> str:
    """How far each of the earlier audit's recommendations' actions went."""
    if not recommendations:
        return "The earlier audit made no recommendations."
    said = []
    for n, recommendation in enumerate(recommendations, start=1):
        actions = recommendation["actions"]
        done = [a for a in actions if a["status"] == "complete"]
        text = f"recommendation {n}: {len(done)} of {len(actions)} actions complete"
        days = sorted(a["completed_on"] for a in done if a["completed_on"])
        if days and len(done) == len(actions):
            text += f", the last on {_long_date(days[-1])}"
        said.append(text)
    return "The earlier audit's actions: " + "; ".join(said) + "."


def _long_date(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def comparison_figures(summary: dict) -> list[dict]:
    """The blocks a re-audit's report prints after its scoring (none for another audit)."""
    comparison = summary.get("comparison")
    if not comparison:
        return []
    return [
        _data("table", **comparison_table(comparison)),
        _data("paragraph", text=themes_sentence(comparison["themes"])),
        _data("paragraph", text=actions_sentence(comparison["recommendations"]), volatile=True),
    ]
