"""Bundles with the audit tool's richer questions: options, scale labels, "not applicable" and
guidance go out and come back; an answer that does not fit its question's kind is refused at
its path; a bundle without the new fields still imports."""

import pytest

from maca.audits.models import Audit
from maca.bundles.services import bundle_export, bundle_import
from maca.bundles.validation import validate_bundle
from tests.support.bundles import counts, errors_of

from .samples import small_bundle

pytestmark = pytest.mark.django_db

RICHER = [
    {
        "key": "q3",
        "text": "Who led the plan?",
        "kind": "choice",
        "options": ["Children's social care", "Health", "Education"],
        "allows_not_applicable": True,
        "guidance": "The agency that chaired the planning meetings",
    },
    {
        "key": "q4",
        "text": "How well was the plan followed?",
        "kind": "scale",
        "scale_labels": {"1": "Not at all", "5": "Fully"},
    },
    {"key": "q5", "text": "When was the plan made?", "kind": "date"},
]


def richer_bundle() -> dict:
    bundle = small_bundle()
    bundle["questions"] += RICHER
    bundle["cases"][0]["returns"][0]["answers"] |= {
        "q3": "Health",
        "q4": "4",
        "q5": "2017-06-30",
    }
    bundle["cases"][0]["returns"][1]["answers"] |= {"q3": "not_applicable", "q4": "1"}
    return bundle


def test_the_new_fields_go_out_and_come_back():
    bundle = richer_bundle()

    audit = bundle_import(data=bundle)

    choice = audit.questions.get(key="q3")
    assert choice.options == RICHER[0]["options"] and choice.allows_not_applicable
    assert choice.guidance == "The agency that chaired the planning meetings"
    assert audit.questions.get(key="q4").scale_labels == {"1": "Not at all", "5": "Fully"}
    exported = bundle_export(audit)
    assert exported == bundle
    assert validate_bundle(exported) == []


def test_a_bundle_without_the_new_fields_exports_without_them():
    audit = bundle_import(data=small_bundle())

    questions = bundle_export(audit)["questions"]

    assert all(set(question) == {"key", "text", "kind"} for question in questions)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"q3": "Police"}, "answers.q3: 'Police': Choose one of the answers"),
        ({"q4": "6"}, "answers.q4: '6': The answer to “How well was the plan followed?” must be"),
        ({"q4": "not_applicable"}, "cannot be answered not applicable"),
        ({"q5": "2017-02-30"}, "answers.q5: '2017-02-30': The answer to “When was the plan made?”"),
    ],
)
def test_an_answer_that_does_not_fit_its_kind_is_named_by_its_path(answers, expected):
    bundle = richer_bundle()
    bundle["cases"][0]["returns"][0]["answers"] |= answers
    before = counts()

    errors = errors_of(bundle)

    assert any(e.startswith("cases[0].returns[0].") and expected in e for e in errors), errors
    assert counts() == before
    assert not Audit.objects.exists()


def test_a_choice_question_needs_options_of_its_own():
    bundle = small_bundle()
    bundle["questions"] += [
        {"key": "q3", "text": "Who?", "kind": "choice", "options": ["A", "a"]},
        {"key": "q4", "text": "When?", "kind": "date", "options": ["A", "B"]},
        {"key": "q5", "text": "Which?", "kind": "choice"},
    ]

    errors = errors_of(bundle)

    assert "questions[2].options: “a” is listed twice: each option must be different" in errors
    assert "questions[3].options: only a question of kind 'choice' has options" in errors
    assert "questions[4].options: Enter at least 2 options, one per line" in errors


def test_the_schema_refuses_an_unknown_field_or_a_long_guidance():
    bundle = small_bundle()
    bundle["questions"][0]["guidance"] = "x" * 1001
    bundle["questions"][1]["scale_labels"] = {"3": "Middling"}

    errors = errors_of(bundle)

    assert any(e.startswith("questions[0].guidance") for e in errors), errors
    assert any(e.startswith("questions[1].scale_labels") for e in errors), errors
