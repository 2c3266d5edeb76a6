import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from maca.actions.models import ActionStatus
from maca.audits.models import AuditStatus
from maca.links import site_url
from maca.notices import reminders
from maca.notices.models import Notice, NoticeKind
from maca.notices.reminders import (
    ACTION_REMINDER_DAYS_BEFORE,
    action_reminders_send,
    reminders_send,
)
from tests import factories as f

DAY = datetime.timedelta(days=1)
DUE = datetime.date(2027, 3, 31)
# Planted in the action's description and owner: no e-mail may carry it.
SECRET = "Quillbrook"


@pytest.fixture
def audit(audit):
    """The cast's audit, its returns in and its report approved: monitoring its actions."""
    audit.status = AuditStatus.MONITORING
    audit.save()
    return audit


@pytest.fixture
def action(audit, agencies):
    """Police's action under a recommendation, due on 31 March 2027."""
    return f.ActionFactory(
        recommendation=f.RecommendationFactory(audit=audit),
        agency=agencies["Police"],
        owner=f"Sergeant {SECRET}",
        description=f"Brief the {SECRET} neighbourhood team on the child's missing episodes",
        due=DUE,
    )


@pytest.fixture
def people(coordinator, police_auditor, health_auditor, agency_lead, other_partnership_coordinator):
    """Everyone who could be mailed: only Police's people and the coordinator ever should."""


def _sent(notices) -> list[tuple[str, str]]:
    return [(notice.agency.name, notice.kind) for notice in notices]


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_nothing_is_sent_before_the_reminder_window(action):
    assert action_reminders_send(today=DUE - (ACTION_REMINDER_DAYS_BEFORE + 1) * DAY) == []
    assert reminders_send(today=DUE - (ACTION_REMINDER_DAYS_BEFORE + 1) * DAY) == []
    assert not Notice.objects.exists()


def test_an_action_is_reminded_once_in_the_days_before_it_is_due(action):
    first = reminders_send(today=DUE - ACTION_REMINDER_DAYS_BEFORE * DAY)
    assert _sent(first) == [("Police", NoticeKind.ACTION_DUE_SOON)]
    assert (first[0].action, first[0].due, first[0].audit) == (action, DUE, action.audit)
    for today in [DUE - ACTION_REMINDER_DAYS_BEFORE * DAY, DUE - DAY, DUE]:
        assert reminders_send(today=today) == []
    assert Notice.objects.filter(kind=NoticeKind.ACTION_DUE_SOON).count() == 1


def test_an_overdue_action_is_reminded_once_to_its_agency_and_the_coordinators(
    action, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        overdue = reminders_send(today=DUE + DAY)
        for today in [DUE + DAY, DUE + 2 * DAY, DUE + 30 * DAY, DUE + 400 * DAY]:
            assert reminders_send(today=today) == []
    assert _sent(overdue) == [("Police", NoticeKind.ACTION_OVERDUE)]
    assert Notice.objects.filter(kind=NoticeKind.ACTION_OVERDUE).count() == 1
    assert _recipients() == ["coordinator@example.org", "police@example.org"]
    subject = "Overdue: an action of Police for Transitions to adult services"
    assert {message.subject for message in mail.outbox} == {subject}


def test_the_due_soon_reminder_goes_to_the_actions_agency_only(
    action, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = reminders_send(today=DUE - DAY)
    assert notice.agency.name == "Police"
    assert _recipients() == ["police@example.org"]
    notice.refresh_from_db()
    assert notice.recipients == ["police@example.org"]


def test_each_action_is_reminded_to_its_own_agency(
    audit, action, agencies, people, django_capture_on_commit_callbacks
):
    f.ActionFactory(
        recommendation=action.recommendation, agency=agencies["Health Provider"], due=DUE
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders_send(today=DUE - DAY)
    assert _sent(sent) == [
        ("Police", NoticeKind.ACTION_DUE_SOON),
        ("Health Provider", NoticeKind.ACTION_DUE_SOON),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "health@example.org",
        "police@example.org",
    ]


def test_a_complete_action_is_not_reminded(action):
    action.status = ActionStatus.COMPLETE
    action.save()
    assert reminders_send(today=DUE - DAY) == []
    assert reminders_send(today=DUE + DAY) == []


def test_an_action_in_progress_is_still_reminded(action):
    action.status = ActionStatus.IN_PROGRESS
    action.save()
    assert _sent(reminders_send(today=DUE + DAY)) == [("Police", NoticeKind.ACTION_OVERDUE)]


def test_a_moved_due_date_earns_new_reminders(action):
    reminders_send(today=DUE - DAY)
    reminders_send(today=DUE + DAY)
    action.due = DUE + 14 * DAY
    action.save()
    assert _sent(reminders_send(today=DUE + 2 * DAY)) == []
    again = reminders_send(today=DUE + 13 * DAY)
    assert _sent(again) == [("Police", NoticeKind.ACTION_DUE_SOON)]
    assert again[0].due == DUE + 14 * DAY
    later = reminders_send(today=DUE + 15 * DAY)
    assert _sent(later) == [("Police", NoticeKind.ACTION_OVERDUE)]
    assert reminders_send(today=DUE + 16 * DAY) == []
    assert Notice.objects.filter(action=action).count() == 4


@pytest.mark.parametrize(
    "status",
    [AuditStatus.CLOSED, AuditStatus.COLLECTING, AuditStatus.MODERATION],
)
def test_only_actions_of_audits_reporting_or_monitoring_are_reminded(audit, action, status):
    audit.status = status
    audit.returns_due = None
    audit.save()
    assert action_reminders_send(today=DUE + DAY) == []
    assert reminders_send(today=DUE + DAY) == []


def test_actions_of_a_reporting_audit_are_reminded(audit, action):
    audit.status = AuditStatus.REPORTING
    audit.save()
    assert _sent(reminders_send(today=DUE + DAY)) == [("Police", NoticeKind.ACTION_OVERDUE)]


def test_every_partnerships_actions_are_reminded(action, other_audit):
    other_audit.status = AuditStatus.MONITORING
    other_audit.save()
    elsewhere = f.ActionFactory(recommendation=f.RecommendationFactory(audit=other_audit), due=DUE)
    sent = action_reminders_send(today=DUE + DAY)
    assert {notice.action for notice in sent} == {action, elsewhere}
    assert {notice.partnership_id for notice in sent} == {
        action.partnership_id,
        other_audit.partnership_id,
    }


def test_one_run_sends_the_returns_and_the_actions_reminders(audit, action, partnership, agencies):
    collecting = f.AuditFactory(partnership=partnership, returns_due=DUE)
    f.RequestFactory(
        case=f.CaseFactory(audit=collecting, area=audit.cases.first().area),
        agency=agencies["Children's Social Care"],
    )
    sent = reminders_send(today=DUE + DAY)
    assert _sent(sent) == [
        ("Children's Social Care", NoticeKind.REMINDER_OVERDUE),
        ("Police", NoticeKind.ACTION_OVERDUE),
    ]


def test_a_reminder_written_by_a_racing_run_is_not_written_again(action, monkeypatch):
    [first] = action_reminders_send(today=DUE + DAY)

    class Blind:
        """A run that looked before the other one wrote its reminder: it sees none."""

        class objects:
            @staticmethod
            def filter(**kwargs):
                return Notice.objects.none()

    monkeypatch.setattr(reminders, "Notice", Blind)
    assert action_reminders_send(today=DUE + DAY) == []
    assert list(Notice.objects.filter(action=action)) == [first]


def test_the_mail_names_the_audit_agency_and_date_but_not_the_action(
    action, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=DUE - DAY)
        reminders_send(today=DUE + DAY)
    assert len(mail.outbox) == 3
    soon = mail.outbox[0]
    assert soon.subject == "Reminder: action due 31 March: Transitions to adult services"
    for message in mail.outbox:
        assert SECRET not in message.subject and SECRET not in message.body
        assert "Police" in message.body
        assert '"Transitions to adult services"' in message.body
        assert "Wednesday 31 March 2027" in message.body
        assert site_url(reverse("actions:detail", args=[action.pk])) in message.body
        assert "immediate action" not in message.body


def test_an_immediate_actions_mail_says_so_without_the_case(
    audit, agencies, people, django_capture_on_commit_callbacks
):
    case = audit.cases.get(reference="T-N-01")
    f.ActionFactory(
        recommendation=None,
        case=case,
        immediate=True,
        audit=audit,
        agency=agencies["Police"],
        description=f"Visit the {SECRET} household today",
        due=DUE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=DUE + DAY)
    assert _recipients() == ["coordinator@example.org", "police@example.org"]
    for message in mail.outbox:
        assert "(an immediate action agreed for a case judged inadequate)" in message.body
        for text in (SECRET, "T-N-01", "Named GP lead"):
            assert text not in message.subject and text not in message.body


def test_the_command_prints_each_action_reminder(audit, action, police_auditor, capsys):
    call_command("send_reminders", "--date", (DUE - DAY).isoformat())
    out = capsys.readouterr().out
    assert (
        f"Reminder (action due soon) to Police for audit {audit.pk}: action due 31 March 2027"
        in out
    )
    assert out.strip().endswith("1 reminder sent.")
    call_command("send_reminders", "--date", (DUE + DAY).isoformat())
    out = capsys.readouterr().out
    assert (
        f"Reminder (action overdue) to Police for audit {audit.pk}: action due 31 March 2027" in out
    )
    call_command("send_reminders", "--date", (DUE + 2 * DAY).isoformat())
    assert capsys.readouterr().out.strip() == "0 reminders sent."


def test_the_command_says_when_only_the_coordinators_hear_of_an_overdue_action(
    audit, action, coordinator, capsys
):
    # Police has nobody in maca here: its overdue action reaches the coordinators alone.
    call_command("send_reminders", "--date", (DUE + DAY).isoformat())
    out = capsys.readouterr().out
    assert (
        "action due 31 March 2027; nobody there can be e-mailed (it has no auditor or lead in "
        "maca, and no contact address): the coordinators only"
    ) in out
    assert "reached nobody" not in out
