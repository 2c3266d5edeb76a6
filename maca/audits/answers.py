"""What an answer to a question of the audit tool may be, and how it is shown.

One place for every kind: the return form's choices, the check of an answer (a return saved
on the web, through the API or in a bundle), and the label a page shows for a stored value.

Stored values (`Return.answers[key]`): free text as typed; `yes`/`no`/`partly`; a grade's value
(maca.grades); a choice question's option as the coordinator typed it; a scale's "1".."5"; a
date as YYYY-MM-DD; and `not_applicable` where the question allows it.
"""

import datetime

from maca.grades import Grade

from .models import Question, QuestionKind, YesNoPartly

NOT_APPLICABLE = "not_applicable"
NOT_APPLICABLE_LABEL = "Not applicable"
SCALE = [str(point) for point in range(1, 6)]
# A choice question's options: how many, and how long each.
FEWEST_OPTIONS, MOST_OPTIONS, LONGEST_OPTION = 2, 20, 200
LONGEST_SCALE_LABEL = 100
LONGEST_GUIDANCE = 1000

# The kinds whose answers can be counted (every answer is one of `answer_options`).
COUNTABLE = (
    QuestionKind.YES_NO_PARTLY,
    QuestionKind.GRADE,
    QuestionKind.CHOICE,
    QuestionKind.SCALE,
)


def answer_options(question: Question) -> list[tuple[str, str]]:
    """A countable question's possible answers, as (stored value, label), in the order they
    are offered; "not applicable" last where the question allows it. Free text and dates have
    none: an empty list."""
    kind = question.kind
    if kind == QuestionKind.YES_NO_PARTLY:
        options = list(YesNoPartly.choices)
    elif kind == QuestionKind.GRADE:
        options = [(grade.value, grade.label) for grade in Grade.scale()]
    elif kind == QuestionKind.CHOICE:
        options = [(option, option) for option in question.options or []]
    elif kind == QuestionKind.SCALE:
        options = [(point, scale_point_label(question, point)) for point in SCALE]
    else:
        return []
    if question.allows_not_applicable:
        options.append((NOT_APPLICABLE, NOT_APPLICABLE_LABEL))
    return options


def scale_point_label(question: Question, point: str) -> str:
    """ "1", or "1 (Not at all)" where the coordinator named the end of the scale."""
    words = (question.scale_labels or {}).get(point, "")
    return f"{point} ({words})" if words else point


def answer_label(question: Question, value: str) -> str:
    """The stored answer as a page shows it: the option's label, a date written out; free text
    (and anything not one of the options, such as an answer kept from an older tool) as is."""
    if not value:
        return ""
    if value == NOT_APPLICABLE and question.allows_not_applicable:
        return NOT_APPLICABLE_LABEL
    if question.kind == QuestionKind.DATE:
        date = parse_date(value)
        return f"{date.day} {date:%B %Y}" if date else value
    return dict(answer_options(question)).get(value, value)


def parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def answer_problem(question: Question, value: str) -> str | None:
    """Why `value` is not an answer to `question` (None when it is, or is empty), naming the
    question."""
    if not value:
        return None
    if value == NOT_APPLICABLE:
        if question.allows_not_applicable:
            return None
        return f"“{question.text}” cannot be answered not applicable"
    if question.kind == QuestionKind.DATE:
        if parse_date(value) is None or len(value) != 10:
            return f"The answer to “{question.text}” must be a real date"
        return None
    if question.kind == QuestionKind.SCALE and value not in SCALE:
        return f"The answer to “{question.text}” must be a number from 1 to 5"
    options = answer_options(question)
    if options and value not in dict(options):
        return f"Choose one of the answers to “{question.text}”"
    return None


def options_problem(options: list[str]) -> str | None:
    """Why a choice question's options will not do (None when they will)."""
    if len(options) < FEWEST_OPTIONS:
        return f"Enter at least {FEWEST_OPTIONS} options, one per line"
    if len(options) > MOST_OPTIONS:
        return f"Enter {MOST_OPTIONS} options or fewer"
    for option in options:
        if len(option) > LONGEST_OPTION:
            return f"Each option must be {LONGEST_OPTION} characters or fewer: “{option[:40]}…”"
        if option == NOT_APPLICABLE:
            return f"“{NOT_APPLICABLE}” cannot be an option: allow not applicable instead"
    seen: set[str] = set()
    for option in options:
        if option.casefold() in seen:
            return f"“{option}” is listed twice: each option must be different"
        seen.add(option.casefold())
    return None


def options_from_lines(text: str) -> list[str]:
    """The options typed one per line, without blank lines or surrounding spaces."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
