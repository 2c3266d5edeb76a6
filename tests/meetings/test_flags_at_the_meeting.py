"""An agency's immediate-action flag at the meeting: the case page shows it and how it was
handled; a handled flag, confirmed by the meeting as it ratifies, is recorded as the case's
immediate action (nothing retyped), which an inadequate case needs; and the audit moves to
reporting only once every flag is handled."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.actions.models import Action, ActionStatus
from maca.errors import DomainError
from maca.meetings.services import (
    INADEQUATE_NEEDS_ACTION,
    INADEQUATE_NEEDS_CONFIRMATION,
    ReportingNotReady,
    case_ratify,
    case_unlock,
    moderation_start,
    reporting_checklist,
    reporting_start,
)
from maca.returns.services import immediate_action_handle
from tests.flagging import DESCRIPTION, raise_flag
from tests.pages import text_of

HANDLING = "Referred to the front door the same day; both children seen at school."
WHY = "Children left alone at night: the meeting judges the response inadequate."


@pytest.fixture
def flag(csc_request, csc_auditor):
    """Children's Social Care flags immediate action on case T-E-01 while returns come in."""
    return raise_flag(csc_request, csc_auditor, timezone.localdate() - datetime.timedelta(days=1))


@pytest.fixture
def moderation(audit, flag, coordinator):
    moderation_start(audit=audit, by=coordinator)
    audit.refresh_from_db()
    return audit


@pytest.fixture
def case(moderation):
    return moderation.cases.get(reference="T-E-01")


@pytest.fixture
def handled(flag, coordinator):
    return immediate_action_handle(return_=flag, by=coordinator, note=HANDLING)


def _walk(client, case):
    return client.get(reverse("audits:meeting_case", args=[case.audit_id, case.pk]))


def _ratify_all(audit, coordinator, **first):
    for case in audit.cases.order_by("reference"):
        kwargs = {"grade": "not_scored", "reason": "Insufficient information to grade."}
        case_ratify(
            case=case, by=coordinator, **(kwargs | (first if case.reference == "T-E-01" else {}))
        )


# --- The case page --------------------------------------------------------------------------------


def test_the_case_page_shows_the_flag_waiting_to_be_handled(case, flag, coordinator, client_for):
    page = text_of(_walk(client_for(coordinator), case))

    assert "Immediate action flagged in the returns" in page
    assert "Flagged by Children's Social Care" in page and DESCRIPTION in page
    assert "Not yet handled" in page
    assert "Record how it was handled" in page
    assert "Immediate action already taken" not in page  # nothing to confirm yet


def test_the_case_page_shows_how_the_flag_was_handled_and_offers_it(
    case, handled, coordinator, client_for
):
    page = text_of(_walk(client_for(coordinator), case))

    assert f"by {coordinator.name}: {HANDLING}" in page
    assert "Not yet handled" not in page
    assert "Immediate action already taken" in page
    assert "What was done about Children's Social Care's flag (handled on" in page


# --- Ratifying --------------------------------------------------------------------------------


def test_an_inadequate_case_with_a_handled_flag_still_needs_the_meetings_confirmation(
    case, handled, coordinator
):
    with pytest.raises(DomainError) as refused:
        case_ratify(case=case, by=coordinator, grade="inadequate", reason=WHY)

    assert refused.value.message == INADEQUATE_NEEDS_CONFIRMATION
    assert not case.immediate_actions.exists()
    case.refresh_from_db()
    assert case.locked_at is None


def test_the_confirmed_flag_is_recorded_as_the_cases_immediate_action(
    case, handled, coordinator, agencies
):
    case_ratify(case=case, by=coordinator, grade="inadequate", reason=WHY, record_flags=[handled])

    action = case.immediate_actions.get()
    assert action.immediate and action.flag == handled
    assert action.agency == agencies["Children's Social Care"]
    assert action.description == HANDLING and action.owner == coordinator.name
    assert action.status == ActionStatus.COMPLETE
    assert action.completed_at == handled.immediate_action_handled_at
    assert action.due == timezone.localdate(handled.immediate_action_handled_at)
    case.refresh_from_db()
    assert case.ratification.grade == "inadequate" and case.locked_at is not None


def test_a_flag_not_yet_handled_cannot_be_confirmed(case, flag, coordinator):
    with pytest.raises(DomainError) as refused:
        case_ratify(case=case, by=coordinator, grade="inadequate", reason=WHY, record_flags=[flag])

    assert refused.value.field == "record_flags"
    assert not case.immediate_actions.exists()


def test_without_a_flag_an_inadequate_case_asks_for_an_action_as_before(moderation, coordinator):
    second = moderation.cases.get(reference="T-N-01")
    with pytest.raises(DomainError) as refused:
        case_ratify(case=second, by=coordinator, grade="inadequate", reason=WHY)
    assert refused.value.message == INADEQUATE_NEEDS_ACTION


def test_a_recorded_flag_is_not_offered_again_and_still_counts(case, handled, coordinator):
    case_ratify(case=case, by=coordinator, grade="inadequate", reason=WHY, record_flags=[handled])
    case_unlock(case=case, by=coordinator, reason="A late return arrived.")

    case_ratify(case=case, by=coordinator, grade="inadequate", reason=WHY)  # no retyping

    assert case.immediate_actions.count() == 1
    with pytest.raises(DomainError):
        case_ratify(
            case=case, by=coordinator, grade="inadequate", reason=WHY, record_flags=[handled]
        )


def test_a_handled_flag_may_be_recorded_on_a_case_that_is_not_inadequate(
    case, handled, coordinator
):
    case_ratify(case=case, by=coordinator, grade="good", record_flags=[handled])

    assert case.immediate_actions.get().flag == handled


def test_ratifying_on_the_page_records_the_confirmed_flag(case, handled, coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("audits:case_ratify", args=[case.audit_id, case.pk])

    refused = client.post(url, {"grade": "inadequate", "reason": WHY})
    assert refused.status_code == 400
    assert (
        "confirm the handled flag as the case&#x27;s immediate action" in refused.content.decode()
    )

    response = client.post(
        url, {"grade": "inadequate", "reason": WHY, "record_flags": [handled.pk]}, follow=True
    )
    page = text_of(response)
    assert "1 handled flag recorded as its immediate action" in page
    assert "What was done about Children's Social Care's flag, confirmed by the meeting" in page
    assert case.immediate_actions.get().flag == handled


# --- Reporting --------------------------------------------------------------------------------


def test_reporting_waits_until_every_flag_is_handled(moderation, flag, coordinator):
    _ratify_all(moderation, coordinator)

    assert reporting_checklist(moderation) == [
        "Case T-E-01: the immediate action Children's Social Care flagged is not yet recorded "
        "as handled"
    ]
    with pytest.raises(ReportingNotReady):
        reporting_start(audit=moderation, by=coordinator)

    immediate_action_handle(return_=flag, by=coordinator, note=HANDLING)
    reporting_start(audit=moderation, by=coordinator)
    moderation.refresh_from_db()
    assert moderation.status == "reporting"


def test_an_inadequate_case_whose_flag_was_confirmed_may_move_to_reporting(
    moderation, handled, coordinator
):
    _ratify_all(moderation, coordinator, grade="inadequate", reason=WHY, record_flags=[handled])

    assert reporting_checklist(moderation) == []
    assert Action.objects.filter(flag=handled, immediate=True).count() == 1
