"""Recommendations, actions, progress until done, dissemination and closing (services)."""

import datetime

import pytest
from django.utils import timezone

from maca.actions import services
from maca.actions.models import ActionStatus, ActionUpdate
from maca.actions.services import ActionInvalid
from maca.audits.models import AuditStatus
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitoring(audit):
    audit.status = AuditStatus.MONITORING
    audit.save()
    return audit


@pytest.fixture
def recommendation(monitoring, coordinator):
    theme = monitoring.themes.first()
    return services.recommendation_add(
        audit=monitoring, text="Share with GPs at every review.", themes=[theme], by=coordinator
    )


@pytest.fixture
def action(recommendation, agencies, coordinator):
    return services.action_add(
        recommendation=recommendation,
        agency=agencies["Police"],
        owner="Named GP lead",
        description="Add GP contact to the review template.",
        due=timezone.localdate() + datetime.timedelta(days=60),
        by=coordinator,
    )


def test_a_recommendation_answers_themes_of_its_own_audit(monitoring, coordinator, other_audit):
    foreign = f.AuditThemeFactory(audit=other_audit, title="Elsewhere")
    with pytest.raises(DomainError) as refused:
        services.recommendation_add(
            audit=monitoring, text="Text.", themes=[foreign], by=coordinator
        )
    assert refused.value.field == "themes"
    assert not monitoring.recommendations.exists()


def test_recommendations_wait_for_the_grades(audit, coordinator):
    with pytest.raises(DomainError, match="reporting or monitoring"):
        services.recommendation_add(audit=audit, text="Text.", themes=[], by=coordinator)


def test_an_action_needs_every_field(recommendation, coordinator):
    with pytest.raises(ActionInvalid) as refused:
        services.action_add(
            recommendation=recommendation,
            agency=None,
            owner=" ",
            description="",
            due=timezone.localdate() - datetime.timedelta(days=1),
            by=coordinator,
        )
    assert set(refused.value.errors) == {"agency", "owner", "description", "due"}


def test_an_agency_of_another_partnership_is_refused(recommendation, coordinator, other_audit):
    foreign = f.AgencyFactory(partnership=other_audit.partnership, name="Their police")
    with pytest.raises(ActionInvalid) as refused:
        services.action_add(
            recommendation=recommendation,
            agency=foreign,
            owner="A",
            description="B",
            due=timezone.localdate(),
            by=coordinator,
        )
    assert set(refused.value.errors) == {"agency"}


def test_an_action_goes_from_open_to_complete(action, police_auditor):
    services.action_progress(
        action=action, by=police_auditor, note="Template drafted.", status="in_progress", version=1
    )
    with pytest.raises(ActionInvalid) as refused:
        services.action_progress(
            action=action, by=police_auditor, note="Done.", status="complete", version=2
        )
    assert set(refused.value.errors) == {"impact"}

    services.action_progress(
        action=action,
        by=police_auditor,
        note="Template in use.",
        impact="GPs now attend 9 of 10 reviews.",
        status="complete",
        version=2,
    )

    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE and action.completed_at is not None
    assert list(action.updates.values_list("status", flat=True)) == ["in_progress", "complete"]
    assert ChangeRecord.objects.filter(object_type="actions.actionupdate").count() == 2


def test_progress_from_an_older_version_is_refused(action, police_auditor, agency_lead):
    services.action_progress(
        action=action, by=police_auditor, note="First.", status="in_progress", version=1
    )
    with pytest.raises(services.ActionConflict):
        services.action_progress(
            action=action, by=agency_lead, note="Second.", status="open", version=1
        )
    assert ActionUpdate.objects.count() == 1


def test_a_coordinator_moves_the_due_date(action, coordinator):
    later = action.due + datetime.timedelta(days=30)
    services.action_update(
        action=action,
        version=1,
        agency=action.agency,
        owner=action.owner,
        description=action.description,
        due=later,
        by=coordinator,
    )
    action.refresh_from_db()
    assert (action.due, action.version) == (later, 2)


def test_a_recommendation_with_progress_is_not_deleted(action, recommendation, coordinator):
    services.action_progress(
        action=action, by=coordinator, note="Begun.", status="in_progress", version=1
    )
    with pytest.raises(DomainError, match="cannot be deleted"):
        services.recommendation_delete(recommendation=recommendation, by=coordinator, reason="x")


def test_closing_is_refused_while_an_action_is_open(action, monitoring, coordinator):
    f.published_report(monitoring, with_pdf=False)

    with pytest.raises(services.ClosingNotReady) as refused:
        services.audit_close(audit=monitoring, by=coordinator)

    assert refused.value.missing == [
        f"Action of Police due {action.due:%-d %B %Y} is open",
    ]
    monitoring.refresh_from_db()
    assert monitoring.status == AuditStatus.MONITORING


def test_closing_needs_the_report_published(monitoring, coordinator):
    assert services.closing_checklist(monitoring) == ["The report has not been published"]


def test_the_audit_closes_once_every_action_is_complete(action, monitoring, coordinator):
    f.published_report(monitoring, with_pdf=False)
    services.action_progress(
        action=action, by=coordinator, note="Done.", impact="Better.", status="complete", version=1
    )

    services.audit_close(audit=monitoring, by=coordinator)

    monitoring.refresh_from_db()
    assert monitoring.status == AuditStatus.CLOSED
    with pytest.raises(DomainError, match="closed"):
        services.action_progress(
            action=action, by=coordinator, note="More.", status="open", version=2
        )
