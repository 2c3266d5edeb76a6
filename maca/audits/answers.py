"""The answers a question of the audit tool offers: the one place that knows a kind's options.

The return's form, the check of a return's answers, the pages that show them, a bundle's
validation and the counts of the answers (`maca.reports.answers`) all ask `answer_options`;
a new kind of question says its options here and nowhere else.
"""

from maca.grades import Grade

from .models import Question, QuestionKind, YesNoPartly


def answer_options(question: Question) -> list[tuple[str, str]]:
    """The answers the question offers, as (value, label), in the order they are offered and
    counted; empty for a question answered in free text."""
    if question.kind == QuestionKind.YES_NO_PARTLY:
        return list(YesNoPartly.choices)
    if question.kind == QuestionKind.GRADE:
        return [(grade.value, grade.label) for grade in Grade.scale()]
    return []


def countable(question: Question) -> bool:
    """Whether the question's answers can be counted (it offers a set of answers): only such a
    question can be a key measure."""
    return bool(answer_options(question))


def answer_label(question: Question, value: str) -> str:
    """An answer as a person reads it: the option's label, or what was typed."""
    return dict(answer_options(question)).get(value, value)
