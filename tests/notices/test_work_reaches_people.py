"""People are told when work reaches them (issue 19): an action given to an agency (an
immediate action, due in days, included), a report approved or sent back (to its authors),
a report published (to the board). Each once, recorded, and in the coordinators' outbox.
Proved on the mail outbox after the delivery task has run (MACA_TASKS=immediate)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maca.actions.services import action_add, action_update
from maca.audits.models import AuditStatus
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from maca.meetings.services import immediate_action_add
from maca.notices.models import Notice, NoticeKind
from maca.partnerships.models import Role
from maca.reports.document import report_document
from maca.reports.selectors import report_state
from maca.reports.services import (
    report_approve,
    report_publish,
    report_send,
    report_send_back,
    section_save,
)
from tests import factories as f


def _to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Runs a service and the delivery its commit queues."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


# --- Actions ------------------------------------------------------------------------------------


@pytest.fixture
def recommendation(audit, coordinator):
    audit.status = AuditStatus.MONITORING
    audit.save()
    return f.RecommendationFactory(audit=audit)


def test_an_agency_given_an_action_is_emailed_once(
    recommendation, agencies, coordinator, police_auditor, agency_lead, told
):
    action = told(
        action_add,
        recommendation=recommendation,
        agency=agencies["Police"],
        owner="Inspector Rao",
        description="Brief every response team on sharing missing episodes.",
        due=_in_days(60),
        by=coordinator,
    )
    [message] = mail.outbox
    assert message.to == ["police@example.org"]
    assert message.subject == f"An action for Police: {recommendation.audit.title}"
    assert reverse("actions:detail", args=[action.pk]) in message.body
    assert "Brief every response team" not in message.body  # never the action's words
    assert Notice.objects.get(kind=NoticeKind.ACTION_ASSIGNED).action == action


def test_an_action_moved_to_another_agency_tells_that_agency_and_an_edit_tells_nobody(
    recommendation, agencies, coordinator, police_auditor, agency_lead, told
):
    action = f.ActionFactory(recommendation=recommendation, agency=agencies["Police"])
    fields = {"owner": action.owner, "description": action.description, "due": action.due}
    told(
        action_update,
        action=action,
        version=action.version,
        agency=agencies["Police"],
        by=coordinator,
        **{**fields, "owner": "Someone else"},
    )
    assert mail.outbox == []
    action.refresh_from_db()
    told(
        action_update,
        action=action,
        version=action.version,
        agency=agencies["Children's Social Care"],
        by=coordinator,
        **fields,
    )
    assert _to() == ["csc.lead@example.org"]


def test_an_immediate_action_agreed_at_the_meeting_is_emailed_at_once(
    audit, agencies, coordinator, agency_lead, told
):
    audit.status = AuditStatus.MODERATION
    audit.save()
    case = audit.cases.get(reference="T-N-01")
    told(
        immediate_action_add,
        case=case,
        agency=agencies["Children's Social Care"],
        owner="Sam Patel",
        description="Visit the child at home with the health visitor.",
        due=_in_days(2),
        by=coordinator,
    )
    [message] = mail.outbox
    assert message.to == ["csc.lead@example.org"]
    assert message.subject.startswith(
        "Immediate action for Children's Social Care: case T-N-01, due "
    )
    assert "Visit the child" not in message.body


# --- The report ---------------------------------------------------------------------------------


@pytest.fixture
def reporting(audit):
    audit.status = AuditStatus.REPORTING
    audit.save()
    return audit


@pytest.fixture
def second_coordinator(partnership):
    return f.MembershipFactory(
        user=f.UserFactory(email="second.coordinator@example.org"),
        partnership=partnership,
        role=Role.COORDINATOR,
    ).user


# The cast's audit makes no recommendations: publishing it says why (decision 44).
NO_RECOMMENDATIONS = "The meeting found nothing to recommend beyond the immediate actions."


def _digest(audit) -> str:
    return report_state(audit, report_document(audit)).digest


def _sent_for_approval(audit, coordinator):
    section_save(audit=audit, key="introduction", text="Why we looked.", version=0, by=coordinator)
    report_send(audit=audit, by=coordinator)


def test_the_author_is_emailed_when_the_report_is_approved_and_only_once(
    reporting, coordinator, second_coordinator, told
):
    _sent_for_approval(reporting, coordinator)
    digest = _digest(reporting)
    told(report_approve, audit=reporting, digest=digest, by=second_coordinator)
    told(report_approve, audit=reporting, digest=digest, by=second_coordinator)
    [message] = mail.outbox
    assert message.to == ["coordinator@example.org"]
    assert message.subject == f"Report approved: {reporting.title}"
    assert Notice.objects.filter(kind=NoticeKind.REPORT_APPROVED).count() == 1


def test_the_authors_are_emailed_when_the_report_is_sent_back_with_the_reason_kept(
    reporting, coordinator, second_coordinator, partnership, told, client_for
):
    writer = f.MembershipFactory(
        user=f.UserFactory(email="writer@example.org"),
        partnership=partnership,
        role=Role.COORDINATOR,
    ).user
    section_save(audit=reporting, key="themes", text="What we found.", version=0, by=writer)
    _sent_for_approval(reporting, coordinator)
    told(
        report_send_back,
        audit=reporting,
        reason="The themes need the meeting's words.",
        by=second_coordinator,
    )
    assert _to() == ["coordinator@example.org", "writer@example.org"]
    assert "meeting's words" not in mail.outbox[0].body  # read on the report's page
    record = ChangeRecord.objects.filter(object_type="reports.report").latest("id")
    assert record.reason == "The themes need the meeting's words." and record.user == (
        second_coordinator
    )
    page = client_for(coordinator).get(reverse("audits:report", args=[reporting.pk]))
    assert "The themes need the meeting&#x27;s words." in page.content.decode()
    assert "Draft" in page.content.decode()


def test_sending_back_needs_a_reason_and_a_second_coordinator(
    reporting, coordinator, second_coordinator
):
    _sent_for_approval(reporting, coordinator)
    with pytest.raises(DomainError) as refused:
        report_send_back(audit=reporting, reason="  ", by=second_coordinator)
    assert refused.value.field == "reason"
    with pytest.raises(DomainError, match="You wrote or sent this report"):
        report_send_back(audit=reporting, reason="Mine.", by=coordinator)
    assert not Notice.objects.filter(kind=NoticeKind.REPORT_SENT_BACK).exists()


def test_the_send_back_form_names_the_missing_reason(
    reporting, coordinator, second_coordinator, client_for
):
    _sent_for_approval(reporting, coordinator)
    client = client_for(second_coordinator)
    page = client.get(reverse("audits:report", args=[reporting.pk])).content.decode()
    assert "Send it back to its authors" in page
    response = client.post(reverse("audits:report_send_back", args=[reporting.pk]))
    assert response.status_code == 400
    assert "Say what needs changing before it can be approved" in response.content.decode()


def test_the_board_is_emailed_when_the_report_is_published(
    reporting, coordinator, second_coordinator, board_member, police_auditor, told
):
    _sent_for_approval(reporting, coordinator)
    digest = _digest(reporting)
    report_approve(audit=reporting, digest=digest, by=second_coordinator)
    mail.outbox.clear()
    told(
        report_publish,
        audit=reporting,
        digest=digest,
        by=second_coordinator,
        no_recommendations_reason=NO_RECOMMENDATIONS,
    )
    [message] = [m for m in mail.outbox if m.subject.startswith("Report published")]
    assert message.to == ["board@example.org"]
    assert "edition 1" in message.body
    assert reverse("audits:report", args=[reporting.pk]) in message.body


def test_sending_for_approval_with_no_other_coordinator_says_nobody_was_emailed(
    reporting, coordinator, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            reverse("audits:report_send", args=[reporting.pk]), follow=True
        )
    assert "Sent for approval, but nobody was e-mailed" in response.content.decode()


# --- Every one in the outbox --------------------------------------------------------------------


def test_each_of_them_is_in_the_coordinators_outbox(
    reporting, agencies, coordinator, second_coordinator, board_member, told, client_for
):
    _sent_for_approval(reporting, coordinator)
    digest = _digest(reporting)
    told(report_approve, audit=reporting, digest=digest, by=second_coordinator)
    told(
        report_publish,
        audit=reporting,
        digest=digest,
        by=second_coordinator,
        no_recommendations_reason=NO_RECOMMENDATIONS,
    )
    told(
        action_add,
        recommendation=f.RecommendationFactory(audit=reporting),
        agency=agencies["Health Provider"],
        owner="Dr Jones",
        description="Audit GP notes.",
        due=_in_days(30),
        by=coordinator,
    )
    page = client_for(coordinator).get(reverse("notices:outbox")).content.decode()
    for label in ("Report approved", "Report published", "Action for the agency"):
        assert label in page
    # Health Provider has nobody in maca: its action's e-mail reached nobody, and says so.
    assert "Reached nobody</strong>" in page
