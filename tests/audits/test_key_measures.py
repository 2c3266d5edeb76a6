"""Marking the audit tool's key measures: only questions with answers to choose from, while the
tool is being built, each change in the change history."""

import pytest
from django.urls import reverse

from maca.audits import planning
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_question_is_marked_a_key_measure_and_the_history_says_so(planning_audit, coordinator):
    question = planning_audit.questions.get(key="q2")  # yes, no or partly
    planning.question_update(
        question=question,
        by=coordinator,
        text=question.text,
        kind=question.kind,
        key_measure=True,
    )
    question.refresh_from_db()
    assert question.key_measure

    record = ChangeRecord.objects.filter(
        object_type="audits.question", object_id=str(question.pk), action="update"
    ).get()
    assert (record.before["key_measure"], record.after["key_measure"]) == (False, True)
    assert record.user == coordinator and record.audit_id == planning_audit.pk


def test_a_free_text_question_cannot_be_a_key_measure(planning_audit, coordinator):
    question = planning_audit.questions.get(key="q1")  # free text
    with pytest.raises(DomainError) as refused:
        planning.question_update(
            question=question, by=coordinator, text=question.text, kind="text", key_measure=True
        )
    assert refused.value.field == "key_measure"
    with pytest.raises(DomainError):
        planning.question_add(
            audit=planning_audit, by=coordinator, text="Why?", kind="text", key_measure=True
        )
    question.refresh_from_db()
    assert not question.key_measure
    assert not planning_audit.questions.filter(text="Why?").exists()


def test_the_key_measure_is_ticked_on_the_question_page(planning_audit, coordinator, client_for):
    client = client_for(coordinator)
    question = planning_audit.questions.get(key="q3")  # a grade
    url = reverse("audits:question_edit", args=[planning_audit.pk, question.pk])
    assert 'name="key_measure"' in client.get(url).content.decode()

    saved = client.post(url, {"text": question.text, "kind": "grade", "key_measure": "on"})
    assert saved.status_code == 302
    question.refresh_from_db()
    assert question.key_measure
    page = client.get(reverse("audits:questions", args=[planning_audit.pk])).content.decode()
    assert "a key measure" in page

    # Ticked on a free-text question: the field's own error, nothing saved.
    refused = client.post(url, {"text": question.text, "kind": "text", "key_measure": "on"})
    assert refused.status_code == 200
    assert "Only a question with answers to choose from can be a key measure" in (
        refused.content.decode()
    )
    question.refresh_from_db()
    assert (question.kind, question.key_measure) == ("grade", True)

    # Unticked: no longer a key measure.
    client.post(url, {"text": question.text, "kind": "grade"})
    question.refresh_from_db()
    assert not question.key_measure


def test_a_question_added_as_a_key_measure_and_copied_stays_one(
    planning_audit, partnership, coordinator, client_for
):
    client = client_for(coordinator)
    client.post(
        reverse("audits:questions", args=[planning_audit.pk]),
        {"text": "Was the child seen alone?", "kind": "yes_no_partly", "key_measure": "on"},
    )
    added = planning_audit.questions.get(text="Was the child seen alone?")
    assert added.key_measure

    later = f.AuditFactory(partnership=partnership, status="planning")
    planning.questions_copy(audit=later, source=planning_audit, by=coordinator)
    assert later.questions.get(text="Was the child seen alone?").key_measure
