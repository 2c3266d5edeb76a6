"""A recommendation's success measure: words, a key question, the answers that count and a
target, checked with a message naming the field, and set where the recommendation is edited."""

import pytest
from django.urls import reverse

from maca.actions import services
from maca.audits.models import AuditStatus
from maca.errors import DomainError
from tests import factories as f
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporting(partnership):
    audit = f.AuditFactory(partnership=partnership, status=AuditStatus.REPORTING)
    f.QuestionFactory(audit=audit, key="seen", text="Seen alone?", kind="yes_no_partly",
                      key_measure=True, position=0)  # fmt: skip
    f.QuestionFactory(audit=audit, key="notes", text="What happened?", kind="text", position=1)
    return audit


MEASURE = {
    "success_measure": "Children seen alone in at least 80% of returns",
    "success_question": "seen",
    "success_options": ["yes"],
    "success_target": 80,
}


def test_a_recommendation_carries_its_success_measure(reporting, coordinator):
    recommendation = services.recommendation_add(
        audit=reporting, text="See children alone.", themes=[], by=coordinator, **MEASURE
    )
    recommendation.refresh_from_db()
    assert recommendation.success_question == "seen"
    assert recommendation.success_options == ["yes"]
    assert recommendation.success_target == 80


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"success_question": "notes"}, "success_question", "key question"),
        ({"success_question": "nope"}, "success_question", "key question"),
        ({"success_options": []}, "success_options", "answers that count"),
        ({"success_options": ["maybe"]}, "success_options", "Yes, No, Partly"),
        ({"success_target": 0}, "success_target", "from 1 to 100"),
        ({"success_target": 101}, "success_target", "from 1 to 100"),
        ({"success_target": None}, "success_target", "from 1 to 100"),
        ({"success_measure": " "}, "success_measure", "in words"),
    ],
)
def test_a_success_measure_is_checked_field_by_field(
    reporting, coordinator, change, field, message
):
    with pytest.raises(DomainError, match=message) as refused:
        services.recommendation_add(
            audit=reporting, text="See children alone.", themes=[], by=coordinator,
            **MEASURE | change,
        )  # fmt: skip
    assert refused.value.field == field
    assert not reporting.recommendations.exists()


def test_words_alone_are_kept_but_not_checked(reporting, coordinator):
    recommendation = services.recommendation_add(
        audit=reporting, text="Hear the child.", themes=[], by=coordinator,
        success_measure="Children's words in every plan",
    )  # fmt: skip
    assert recommendation.success_measure == "Children's words in every plan"
    assert recommendation.success_question == ""


def test_the_coordinator_sets_it_where_the_recommendation_is_changed(
    reporting, coordinator, client_for
):
    recommendation = f.RecommendationFactory(audit=reporting, text="See children alone.")
    url = reverse("audits:recommendation_edit", args=[reporting.pk, recommendation.pk])
    client = client_for(coordinator)
    assert "Success measure (optional)" in text_of(client.get(url))

    response = client.post(url, {"text": "See children alone.", **MEASURE})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.success_target == 80

    refused = client.post(url, {"text": "See children alone.", **MEASURE, "success_target": "0"})
    assert refused.status_code == 400
    assert "Enter the target as a percentage from 1 to 100" in text_of(refused)
