"""The audit tool's richer questions: one choice from a list, a 1–5 scale and a date; "not
applicable" where the coordinator allows it; guidance. The builder's checks, by service and on
the page, and what `maca.audits.answers` makes of each kind."""

import pytest
from django.urls import reverse

from maca.audits import planning
from maca.audits.answers import answer_label, answer_options, answer_problem
from maca.audits.models import Question
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from tests import factories as f
from tests.pages import text_of

LEADS = ["Children's social care", "Health", "Education"]


def _add(audit, by, **fields):
    return planning.question_add(audit=audit, by=by, **{"text": "Who led?", **fields})


# --- The builder's checks -------------------------------------------------------------------


def test_a_choice_question_keeps_its_options_in_order(planning_audit, coordinator):
    question = _add(planning_audit, coordinator, kind="choice", options=[" Health ", "", "Police"])

    question.refresh_from_db()
    assert question.options == ["Health", "Police"]
    assert ChangeRecord.objects.filter(object_type="audits.question", object_id=str(question.pk))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["Only one"], "Enter at least 2 options"),
        ([f"Option {i}" for i in range(21)], "Enter 20 options or fewer"),
        (["Health", "x" * 201], "200 characters or fewer"),
        (["Health", "health"], "“health” is listed twice"),
    ],
)
def test_a_choice_questions_options_are_checked(planning_audit, coordinator, options, message):
    with pytest.raises(DomainError) as refused:
        _add(planning_audit, coordinator, kind="choice", options=options)

    assert refused.value.field == "options" and message in refused.value.message
    assert planning_audit.questions.count() == 3  # nothing written


def test_options_belong_to_a_choice_question_and_scale_words_to_a_scale(
    planning_audit, coordinator
):
    text = _add(
        planning_audit, coordinator, kind="text", options=LEADS, scale_labels={"1": "Not at all"}
    )
    scale = _add(
        planning_audit,
        coordinator,
        kind="scale",
        options=LEADS,
        scale_labels={"1": " Not at all ", "5": ""},
    )

    assert text.options == [] and text.scale_labels == {}
    assert scale.options == [] and scale.scale_labels == {"1": "Not at all"}


def test_guidance_is_kept_up_to_a_thousand_characters(planning_audit, coordinator):
    question = _add(planning_audit, coordinator, kind="text", guidance="  Look at the plan.  ")
    assert question.guidance == "Look at the plan."

    with pytest.raises(DomainError) as refused:
        _add(planning_audit, coordinator, kind="text", guidance="x" * 1001)
    assert refused.value.field == "guidance"


def test_copying_keeps_options_guidance_and_not_applicable(
    planning_audit, partnership, coordinator
):
    _add(
        planning_audit,
        coordinator,
        kind="choice",
        options=LEADS,
        allows_not_applicable=True,
        guidance="The agency that held the plan",
    )
    other = f.AuditFactory(partnership=partnership, status="planning", title="Another")

    copies = planning.questions_copy(audit=other, source=planning_audit, by=coordinator)

    copy = copies[-1]
    assert (copy.options, copy.allows_not_applicable, copy.guidance) == (
        LEADS,
        True,
        "The agency that held the plan",
    )


# --- The builder's page ---------------------------------------------------------------------


def test_the_page_adds_a_choice_question_from_lines(planning_audit, coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("audits:questions", args=[planning_audit.pk])

    response = client.post(
        url,
        {
            "text": "Who led the plan?",
            "kind": "choice",
            "options": "Children's social care\r\nHealth\r\n\r\nEducation\r\n",
            "allows_not_applicable": "on",
            "guidance": "The agency that chaired the meetings",
        },
    )

    assert response.status_code == 302
    question = planning_audit.questions.get(text="Who led the plan?")
    assert question.options == LEADS and question.allows_not_applicable
    page = text_of(client.get(url))
    assert "Children's social care; Health; Education" in page
    assert "Guidance: The agency that chaired the meetings" in page


def test_the_page_names_the_options_field_when_they_will_not_do(
    planning_audit, coordinator, client_for
):
    response = client_for(coordinator).post(
        reverse("audits:questions", args=[planning_audit.pk]),
        {"text": "Who led the plan?", "kind": "choice", "options": "Health"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter at least 2 options, one per line" in page
    assert 'href="#id_options"' in page  # the error summary links to the field
    assert not planning_audit.questions.filter(text="Who led the plan?").exists()


def test_the_edit_page_shows_and_changes_the_scale_words(planning_audit, coordinator, client_for):
    question = _add(planning_audit, coordinator, kind="scale", scale_labels={"1": "Not at all"})
    client = client_for(coordinator)
    url = reverse("audits:question_edit", args=[planning_audit.pk, question.pk])
    assert 'value="Not at all"' in client.get(url).content.decode()

    response = client.post(
        url,
        {"text": "How well?", "kind": "scale", "scale_label_1": "Poorly", "scale_label_5": "Well"},
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.scale_labels == {"1": "Poorly", "5": "Well"}


# --- Options and labels ---------------------------------------------------------------------


def _question(kind, **fields):
    return Question(key="q1", text="Asked?", kind=kind, **fields)


def test_answer_options_for_every_countable_kind():
    assert answer_options(_question("yes_no_partly")) == [
        ("yes", "Yes"),
        ("no", "No"),
        ("partly", "Partly"),
    ]
    assert [value for value, _ in answer_options(_question("grade"))] == [
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
    ]
    assert answer_options(_question("choice", options=["A", "B"])) == [("A", "A"), ("B", "B")]
    scale = _question("scale", scale_labels={"1": "Not at all", "5": "Fully"})
    assert answer_options(scale) == [
        ("1", "1 (Not at all)"),
        ("2", "2"),
        ("3", "3"),
        ("4", "4"),
        ("5", "5 (Fully)"),
    ]
    assert answer_options(_question("text")) == answer_options(_question("date")) == []


def test_not_applicable_comes_last_only_where_allowed():
    allowed = _question("yes_no_partly", allows_not_applicable=True)
    assert answer_options(allowed)[-1] == ("not_applicable", "Not applicable")
    assert "not_applicable" not in dict(answer_options(_question("yes_no_partly")))
    assert answer_problem(_question("choice", options=["A", "B"]), "not_applicable")
    assert answer_problem(_question("date", allows_not_applicable=True), "not_applicable") is None


def test_labels_of_stored_answers():
    assert answer_label(_question("grade"), "requires_improvement") == "Requires improvement"
    assert answer_label(_question("date"), "2027-03-05") == "5 March 2027"
    assert answer_label(_question("scale", scale_labels={"5": "Fully"}), "5") == "5 (Fully)"
    assert answer_label(_question("text", allows_not_applicable=True), "not_applicable") == (
        "Not applicable"
    )
    assert answer_label(_question("text"), "As typed") == "As typed"
    assert answer_label(_question("yes_no_partly"), "") == ""


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        (_question("choice", options=["A", "B"]), "C", "Choose one of the answers to “Asked?”"),
        (_question("scale"), "6", "must be a number from 1 to 5"),
        (_question("scale"), "0", "must be a number from 1 to 5"),
        (_question("date"), "2027-02-30", "must be a real date"),
        (_question("date"), "yesterday", "must be a real date"),
    ],
)
def test_answers_that_do_not_fit_are_named(question, value, message):
    assert message in answer_problem(question, value)
