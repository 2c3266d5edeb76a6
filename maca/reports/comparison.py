"""A re-audit compared with the audit it looks at again (`Audit.reaudit_of`): did it work?

Side by side, before (the earlier audit) and after (the re-audit): the grades, overall, by area
and by agency (the agencies' own grades); each key measure, for the questions with the same key
in both tools; the themes found again, no longer found and new; and the earlier audit's
recommendations with their actions and, where a recommendation has a success measure, whether
the re-audit met it.

Reads only, in a fixed number of queries, and returns plain JSON values: the report summary's
`comparison` (docs/bundle-format.md), which the report, the comparison page and the API draw.
The key measures' counts are those each audit's report prints (`key_measures`, protected by the
board's small-count rules, decision 38): a share or a success measure made of a count that is
not shown is not shown either.
"""

from typing import Any

from maca.actions.models import Recommendation
from maca.audits.models import Audit, Question, RequestStatus
from maca.grades import Grade
from maca.meetings.models import AuditTheme
from maca.partnerships.ordering import partnership_order
from maca.returns.models import Return

from .key_measures import ALL, ANSWERED

GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)


def grade_tally(counts: dict[str, int]) -> dict:
    """How many were graded (scored) and how many of them good or outstanding."""
    graded = sum(counts.get(grade, 0) for grade in Grade.scale())
    good = sum(counts.get(grade, 0) for grade in GOOD_OR_BETTER)
    return {"graded": graded, "good_or_better": good}


def audit_comparison(audit: Audit, earlier: Audit, *, before: dict, after: dict) -> dict:
    """The re-audit `audit` (whose report summary is `after`) beside its earlier audit (whose
    summary is `before`)."""
    return {
        "earlier": {
            "id": earlier.pk,
            "title": earlier.title,
            "meeting_date": earlier.meeting_date.isoformat() if earlier.meeting_date else None,
        },
        "grades": _grades(before, after, earlier, audit),
        "key_measures": _key_measures(before, after),
        "themes": _themes(earlier, audit),
        "recommendations": _recommendations(earlier, before, after),
    }


# Grades ----------------------------------------------------------------------------------------


def _grades(before: dict, after: dict, earlier: Audit, audit: Audit) -> list[dict]:
    """Rows of {"group", "by": "all" | "area" | "agency", "before", "after"}: the cases'
    ratified grades for all cases and by area, the agencies' own grades by agency; each side
    a `grade_tally` (null where the group had nothing on that side)."""
    rows: list[dict[str, Any]] = [
        {
            "group": "All cases",
            "by": "all",
            "before": grade_tally(before["grades"]),
            "after": grade_tally(after["grades"]),
        }
    ]
    areas = list(dict.fromkeys([*after["grades_by_area"], *before["grades_by_area"]]))
    for area in areas:
        sides = [summary["grades_by_area"].get(area) for summary in (before, after)]
        rows.append(
            {
                "group": area,
                "by": "area",
                **{
                    side: grade_tally(counts) if counts else None
                    for side, counts in zip(("before", "after"), sides, strict=True)
                },
            }
        )
    own_before, own_after = _own_grades(earlier), _own_grades(audit)
    for agency in dict.fromkeys([*own_after, *own_before]):
        rows.append(
            {
                "group": agency,
                "by": "agency",
                "before": own_before.get(agency),
                "after": own_after.get(agency),
            }
        )
    return rows


def _own_grades(audit: Audit) -> dict[str, dict]:
    """Each agency's own grades of its submitted returns, tallied, in the partnership's order."""
    counts: dict[str, dict[str, int]] = {}
    for agency, grade in (
        Return.objects.filter(
            request__audit=audit, request__status=RequestStatus.SUBMITTED, grade__in=Grade.values
        )
        .order_by(*partnership_order("request__agency__"), "pk")
        .values_list("request__agency__name", "grade")
    ):
        counts.setdefault(agency, {})
        counts[agency][grade] = counts[agency].get(grade, 0) + 1
    return {agency: grade_tally(tally) for agency, tally in counts.items()}


# Key measures ----------------------------------------------------------------------------------


def measure_cells(summary: dict, key: str) -> dict | None:
    """A key question's counts from all returns as its report prints them: {"answered",
    "counts": {label: cell}} (a cell an int or the words hiding it), or None."""
    for measure in summary.get("key_measures", []):
        if measure["key"] != key:
            continue
        column = measure["headers"].index(ALL)
        cells = {row[0]: row[column] for row in measure["rows"]}
        answered = cells.pop(ANSWERED, 0)
        return {"answered": answered, "counts": cells}
    return None


def _key_measures(before: dict, after: dict) -> list[dict]:
    """Each key question of the re-audit whose key the earlier audit's tool also has, with its
    answers from all returns before and after: {"key", "text", "options": [label],
    "before", "after"} (each side as `measure_cells`)."""
    rows = []
    for measure in after.get("key_measures", []):
        then = measure_cells(before, measure["key"])
        if then is None:
            continue
        now = measure_cells(after, measure["key"])
        assert now is not None
        options = list(dict.fromkeys([*now["counts"], *then["counts"]]))
        rows.append(
            {
                "key": measure["key"],
                "text": measure["text"],
                "options": options,
                "before": then,
                "after": now,
            }
        )
    return rows


def share(count, answered) -> int | None:
    """A whole percentage, or None when a count is not shown (or none answered)."""
    if not isinstance(count, int) or not isinstance(answered, int) or not answered:
        return None
    return round(100 * count / answered)


# Themes ----------------------------------------------------------------------------------------


def _themes(earlier: Audit, audit: Audit) -> dict:
    """The themes found again (the same library theme, else the same title), no longer found
    and new, each with how many cases evidenced it."""
    theirs = _themes_of(earlier)
    ours = _themes_of(audit)
    matched: dict[int, dict] = {}
    for mine in ours:
        for i, old in enumerate(theirs):
            if i not in matched and _same_theme(old, mine):
                matched[i] = mine
                break
    again = [
        {
            "title": mine["title"],
            "earlier_title": theirs[i]["title"],
            "before_cases": theirs[i]["cases"],
            "after_cases": mine["cases"],
        }
        for i, mine in sorted(matched.items(), key=lambda item: ours.index(item[1]))
    ]
    found = {id(mine) for mine in matched.values()}
    return {
        "found_again": again,
        "no_longer_found": [
            {"title": old["title"], "cases": old["cases"]}
            for i, old in enumerate(theirs)
            if i not in matched
        ],
        "new": [{"title": t["title"], "cases": t["cases"]} for t in ours if id(t) not in found],
    }


def _themes_of(audit: Audit) -> list[dict]:
    return [
        {"title": theme.title, "library": theme.library_theme_id, "cases": len(theme.cases.all())}
        for theme in AuditTheme.objects.filter(audit=audit)
        .prefetch_related("cases")
        .order_by("position", "pk")
    ]


def _same_theme(old: dict, new: dict) -> bool:
    if old["library"] and new["library"]:
        return bool(old["library"] == new["library"])
    return bool(old["title"].casefold().strip() == new["title"].casefold().strip())


# The earlier audit's recommendations -------------------------------------------------------


def _recommendations(earlier: Audit, before: dict, after: dict) -> list[dict]:
    """The earlier audit's recommendations, each with its actions (agency, due, status, the
    day completed) and its success measure checked against the re-audit."""
    questions = {q.key: q for q in Question.objects.filter(audit=earlier)}
    rows = []
    for recommendation in (
        Recommendation.objects.filter(audit=earlier)
        .prefetch_related("actions__agency")
        .order_by("position", "pk")
    ):
        actions = sorted(recommendation.actions.all(), key=lambda a: (a.due, a.position, a.pk))
        rows.append(
            {
                "text": " ".join(recommendation.text.split()),
                "success_measure": recommendation.success_measure,
                "success": _success(recommendation, questions, before, after),
                "actions": [
                    {
                        "agency": action.agency.name,
                        "description": " ".join(action.description.split()),
                        "due": action.due.isoformat(),
                        "status": action.status,
                        "completed_on": (
                            action.completed_at.date().isoformat() if action.completed_at else None
                        ),
                    }
                    for action in actions
                ],
            }
        )
    return rows


def _success(
    recommendation: Recommendation, questions: dict, before: dict, after: dict
) -> dict | None:
    """Whether the re-audit met the recommendation's success measure: {"question", "text",
    "options" (labels), "target", "before", "count", "answered", "share", "met"}; `met` null
    (and the figures with it) when a count it is made of is not shown, or no return answered
    the question. `before`: the earlier audit's own figures on the measure ({"count",
    "answered", "share"}, nulls likewise)."""
    key = recommendation.success_question
    if not key or recommendation.success_target is None:
        return None
    from maca.audits.answers import answer_options

    question = questions.get(key)
    labels = dict(answer_options(question)) if question else {}
    chosen = [labels.get(value, value) for value in recommendation.success_options]
    result = {
        "question": key,
        "text": question.text if question else key,
        "options": chosen,
        "target": recommendation.success_target,
        "before": _measured(before, key, chosen),
        **_measured(after, key, chosen),
        "met": None,
    }
    if result["share"] is not None:
        count, answered = result["count"], result["answered"]
        result["met"] = 100 * count >= recommendation.success_target * answered
    return result


def _measured(summary: dict, key: str, chosen: list[str]) -> dict:
    """How many returns gave one of the `chosen` answers, of those answering, and the share;
    nulls when the question is not a key measure there or a count is not shown."""
    figures: dict[str, int | None] = {"count": None, "answered": None, "share": None}
    cells = measure_cells(summary, key)
    if cells is None:
        return figures
    counted = [cells["counts"].get(label, 0) for label in chosen]
    answered = cells["answered"]
    if all(isinstance(c, int) for c in counted) and isinstance(answered, int) and answered:
        count = sum(counted)
        figures = {"count": count, "answered": answered, "share": share(count, answered)}
    return figures
