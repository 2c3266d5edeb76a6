"""Ratifying a case: the proposed grade, reasons, immediate actions, the lock and unlocking."""

import datetime

import pytest
from django.utils import timezone

from maca.actions.services import ActionInvalid
from maca.audits.models import AuditStatus, RequestStatus
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from maca.meetings.models import Ratification
from maca.meetings.services import (
    INADEQUATE_NEEDS_ACTION,
    case_proposed_grade,
    case_ratify,
    case_unlock,
    immediate_action_add,
)
from maca.returns.services import LOCKED, ReturnContent, return_save
from tests import factories as f


@pytest.fixture
def case(moderation):
    """T-E-01: Police's return (good) is submitted; Children's Social Care's is outstanding."""
    return moderation.cases.get(reference="T-E-01")


@pytest.fixture
def graded(moderation, areas, agencies):
    """A case whose three agencies graded good, requires improvement and inadequate."""
    case = f.CaseFactory(audit=moderation, reference="T-C-01", area=areas["Central"])
    for name, grade in [
        ("Police", "good"),
        ("Children's Social Care", "requires_improvement"),
        ("Health Provider", "inadequate"),
    ]:
        f.ReturnFactory(
            request=f.RequestFactory(
                case=case, agency=agencies[name], status=RequestStatus.SUBMITTED
            ),
            grade=grade,
        )
    return case


def _refused(**kwargs) -> DomainError:
    with pytest.raises(DomainError) as refused:
        case_ratify(**kwargs)
    return refused.value


def _action(case, by, agency, **overrides):
    fields = {
        "owner": "Sam Patel, duty team manager",
        "description": "Visit the child today and agree a safety plan with the family",
        "due": timezone.localdate() + datetime.timedelta(days=1),
    } | overrides
    return immediate_action_add(case=case, by=by, agency=agency, **fields)


def test_the_proposed_grade_is_the_median(graded):
    assert case_proposed_grade(graded) == "requires_improvement"


def test_the_proposed_grade_takes_the_worse_on_a_tie(moderation, areas, agencies):
    case = f.CaseFactory(audit=moderation, reference="T-C-02", area=areas["Central"])
    for name, grade in [("Police", "good"), ("Children's Social Care", "inadequate")]:
        f.ReturnFactory(
            request=f.RequestFactory(
                case=case, agency=agencies[name], status=RequestStatus.SUBMITTED
            ),
            grade=grade,
        )
    assert case_proposed_grade(case) == "inadequate"


def test_the_proposed_grade_leaves_out_returns_not_submitted(case, agencies):
    draft = case.requests.get(agency=agencies["Children's Social Care"])
    draft.status = RequestStatus.DRAFT
    draft.save()
    f.ReturnFactory(request=draft, grade="inadequate")
    assert case_proposed_grade(case) == "good"


def test_it_keeps_the_proposed_grade(graded, coordinator):
    ratification = case_ratify(case=graded, by=coordinator, grade="requires_improvement")
    assert ratification.grade == ratification.proposed_grade == "requires_improvement"
    assert ratification.reason == ""
    graded.refresh_from_db()
    assert graded.locked_at is not None


def test_it_changes_the_grade_with_a_reason(graded, coordinator):
    reason = "Health's concerns were acted on the same day: a good multi-agency response"
    ratification = case_ratify(case=graded, by=coordinator, grade="good", reason=reason)
    assert ratification.grade == "good"
    assert ratification.proposed_grade == "requires_improvement"
    assert ratification.reason == reason


def test_it_refuses_a_change_without_a_reason_naming_the_field(graded, coordinator):
    error = _refused(case=graded, by=coordinator, grade="good", reason="  ")
    assert error.field == "reason"
    assert "rather than the proposed requires improvement" in error.message
    assert not Ratification.objects.filter(case=graded).exists()
    graded.refresh_from_db()
    assert graded.locked_at is None


def test_not_scored_needs_a_reason(graded, coordinator):
    error = _refused(case=graded, by=coordinator, grade="not_scored")
    assert (error.field, error.message) == ("reason", "Say why the case is not scored")
    ratification = case_ratify(
        case=graded, by=coordinator, grade="not_scored", reason="Insufficient information"
    )
    assert ratification.grade == "not_scored"


def test_a_grade_with_nothing_proposed_needs_a_reason(moderation, coordinator):
    case = moderation.cases.get(reference="T-N-01")  # its only return is outstanding
    error = _refused(case=case, by=coordinator, grade="good")
    assert error.field == "reason"
    assert "no grade was proposed" in error.message


def test_inadequate_is_refused_without_an_immediate_action(graded, coordinator, agencies):
    error = _refused(case=graded, by=coordinator, grade="inadequate", reason="Drift in the plan")
    assert error.message == INADEQUATE_NEEDS_ACTION
    assert not Ratification.objects.filter(case=graded).exists()

    action = _action(graded, coordinator, agencies["Children's Social Care"])
    assert action.immediate and action.case == graded and action.audit == graded.audit

    ratification = case_ratify(
        case=graded, by=coordinator, grade="inadequate", reason="Drift in the plan"
    )
    assert ratification.grade == "inadequate"


def test_an_immediate_action_names_each_missing_field(graded, coordinator):
    with pytest.raises(ActionInvalid) as refused:
        immediate_action_add(
            case=graded, by=coordinator, agency=None, owner=" ", description="", due=None
        )
    assert refused.value.errors == {
        "agency": "Choose the agency that will act",
        "owner": "Enter the name of the person who owns the action",
        "description": "Describe what will be done to make the child safe now",
        "due": "Enter the date the action is due",
    }


def test_an_immediate_action_is_owned_by_an_involved_agency_and_not_due_in_the_past(
    case, coordinator, agencies
):
    with pytest.raises(ActionInvalid) as refused:
        _action(
            case,
            coordinator,
            agencies["Health Provider"],  # not involved in T-E-01
            due=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert refused.value.errors == {
        "agency": "Choose one of the agencies involved in case T-E-01",
        "due": "The due date must be today or in the future",
    }
    assert not case.immediate_actions.exists()


def test_ratifying_locks_the_returns(case, coordinator, agency_lead, agencies):
    outstanding = case.requests.get(agency=agencies["Children's Social Care"])
    case_ratify(case=case, by=coordinator, grade="good")
    with pytest.raises(DomainError) as refused:
        return_save(
            agency_request=outstanding,
            by=agency_lead,
            content=ReturnContent(answers={"q1": "Yes, at every visit"}),
            version=None,
        )
    assert refused.value.message == LOCKED


def test_a_locked_case_is_ratified_again_only_after_unlocking(case, coordinator):
    case_ratify(case=case, by=coordinator, grade="good")
    error = _refused(case=case, by=coordinator, grade="good")
    assert "already ratified and locked" in error.message
    case_unlock(case=case, by=coordinator, reason="Children's Social Care's return is due")
    ratification = case_ratify(case=case, by=coordinator, grade="good")
    assert Ratification.objects.filter(case=case).count() == 1
    assert ratification.grade == "good"


def test_unlocking_needs_a_reason_and_is_recorded(case, coordinator, agency_lead, agencies):
    case_ratify(case=case, by=coordinator, grade="good")
    with pytest.raises(DomainError) as refused:
        case_unlock(case=case, by=coordinator, reason="")
    assert refused.value.field == "reason"
    case.refresh_from_db()
    assert case.locked_at is not None

    reason = "Children's Social Care found a missed referral"
    case_unlock(case=case, by=coordinator, reason=reason)
    case.refresh_from_db()
    assert case.locked_at is None
    assert Ratification.objects.filter(case=case).exists()  # it stays, to be ratified again
    record = ChangeRecord.objects.filter(object_type="audits.case", object_id=str(case.pk)).last()
    assert record.after["locked_at"] is None and record.before["locked_at"] is not None
    assert (record.reason, record.user) == (reason, coordinator)

    saved = return_save(
        agency_request=case.requests.get(agency=agencies["Children's Social Care"]),
        by=agency_lead,
        content=ReturnContent(answers={"q1": "Yes, at every visit"}),
        version=None,
    )
    assert saved.changed


def test_a_changed_grade_is_recorded_with_its_reason(graded, coordinator):
    case_ratify(case=graded, by=coordinator, grade="good", reason="Health graded too harshly")
    record = ChangeRecord.objects.get(object_type="meetings.ratification")
    assert record.reason == "Health graded too harshly" and record.user == coordinator


def test_it_is_refused_unless_the_audit_is_in_moderation(audit, coordinator):
    case = audit.cases.get(reference="T-E-01")
    assert audit.status == AuditStatus.COLLECTING
    error = _refused(case=case, by=coordinator, grade="good")
    assert "only while the audit is in moderation" in error.message
    assert not Ratification.objects.filter(case=case).exists()
