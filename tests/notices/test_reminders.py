import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from maca.audits.models import AuditStatus, RequestStatus
from maca.notices.models import Notice, NoticeKind
from maca.notices.reminders import REMINDER_DAYS_BEFORE, reminders_send
from maca.notices.tasks import reminders_send_task
from tests import factories as f

DAY = datetime.timedelta(days=1)


@pytest.fixture
def due(audit):
    """The collecting audit's due date: Children's Social Care owes 2 returns, Police none."""
    return audit.returns_due


def _sent(notices) -> list[tuple[str, str]]:
    return [(notice.agency.name, notice.kind) for notice in notices]


def test_nothing_is_sent_before_the_reminder_window(audit, due):
    assert reminders_send(today=due - (REMINDER_DAYS_BEFORE + 1) * DAY) == []


def test_an_agency_owing_returns_is_reminded_once_before_the_due_date(audit, due):
    first = reminders_send(today=due - REMINDER_DAYS_BEFORE * DAY)
    assert _sent(first) == [("Children's Social Care", NoticeKind.REMINDER_DUE_SOON)]
    assert first[0].due == due
    assert reminders_send(today=due - REMINDER_DAYS_BEFORE * DAY) == []
    assert reminders_send(today=due) == []


def test_an_agency_owing_returns_is_reminded_once_when_overdue(audit, due):
    reminders_send(today=due - DAY)
    overdue = reminders_send(today=due + DAY)
    assert _sent(overdue) == [("Children's Social Care", NoticeKind.REMINDER_OVERDUE)]
    assert reminders_send(today=due + 2 * DAY) == []
    assert reminders_send(today=due + 30 * DAY) == []


def test_a_moved_due_date_earns_new_reminders(audit, due):
    reminders_send(today=due - DAY)
    audit.returns_due = due + 14 * DAY
    audit.save()
    again = reminders_send(today=audit.returns_due - DAY)
    assert _sent(again) == [("Children's Social Care", NoticeKind.REMINDER_DUE_SOON)]
    assert Notice.objects.filter(kind=NoticeKind.REMINDER_DUE_SOON).count() == 2


def test_an_agency_that_has_submitted_everything_is_not_reminded(audit, due):
    for request in audit.requests.exclude(status=RequestStatus.SUBMITTED):
        request.status = RequestStatus.SUBMITTED
        request.save()
    assert reminders_send(today=due + DAY) == []


def test_a_return_sent_back_for_clarification_is_still_owed(audit, due):
    for request in audit.requests.exclude(status=RequestStatus.SUBMITTED):
        request.status = RequestStatus.RETURNED
        request.save()
    assert len(reminders_send(today=due + DAY)) == 1


def test_in_moderation_returns_of_unratified_cases_are_still_reminded(audit, due):
    """Returns may still arrive until their case is ratified: the reminders go on until then."""
    audit.status = AuditStatus.MODERATION
    audit.save()
    [reminder] = reminders_send(today=due + DAY)
    assert _sent([reminder]) == [("Children's Social Care", NoticeKind.REMINDER_OVERDUE)]


def test_in_moderation_returns_of_ratified_cases_are_not_reminded(audit, due):
    audit.status = AuditStatus.MODERATION
    audit.save()
    for case in audit.cases.all():
        case.locked_at = timezone.now()
        case.save()
    assert reminders_send(today=due + DAY) == []


def test_the_reminder_in_moderation_counts_only_what_can_still_arrive(
    audit, due, agency_lead, django_capture_on_commit_callbacks
):
    audit.status = AuditStatus.MODERATION
    audit.save()
    ratified = audit.cases.get(reference="T-E-01")
    ratified.locked_at = timezone.now()
    ratified.save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=due + DAY)
    [message] = mail.outbox
    assert message.subject == f"Overdue: 1 return for {audit.title}"


@pytest.mark.parametrize("status", [AuditStatus.REPORTING, AuditStatus.MONITORING])
def test_audits_past_moderation_are_not_reminded(audit, due, status):
    audit.status = status
    audit.save()
    assert reminders_send(today=due + DAY) == []


def test_every_partnerships_audits_are_reminded(audit, other_audit, due):
    owing = f.RequestFactory(case=other_audit.cases.get(), status=RequestStatus.DRAFT)
    sent = reminders_send(today=due + DAY)
    assert {notice.audit for notice in sent} == {audit, other_audit}
    assert owing.agency in {notice.agency for notice in sent}


def test_the_reminder_is_mailed_to_the_agencys_people(
    audit, due, agency_lead, police_auditor, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=due + DAY)
    [message] = mail.outbox
    assert message.to == ["csc.lead@example.org"]
    assert message.subject == f"Overdue: 2 returns for {audit.title}"


def test_the_command_prints_each_reminder_and_the_total(audit, due, agency_lead, capsys):
    call_command("send_reminders", "--date", (due + DAY).isoformat())
    out = capsys.readouterr().out
    assert f"Reminder (overdue) to Children's Social Care for audit {audit.pk}: 2 returns\n" in out
    assert out.strip().endswith("1 reminder sent.")


def test_the_command_says_which_reminders_reached_nobody_and_why(audit, due, capsys):
    # Children's Social Care has nobody in maca here.
    call_command("send_reminders", "--date", (due + DAY).isoformat())
    out = capsys.readouterr().out
    assert (
        "Children's Social Care for audit "
        f"{audit.pk}: 2 returns; nobody there can be e-mailed: it has no auditor or lead"
    ) in out
    assert out.strip().endswith(
        "1 reminder sent.\n1 of them reached nobody: the coordinators' outbox lists it."
    )
    assert Notice.objects.get(kind=NoticeKind.REMINDER_OVERDUE).recipients == []


def test_the_command_sends_each_reminder_once(audit, due, capsys):
    # (`maca send-reminders` reaches this command: tests/test_settings.py proves the mapping.)
    call_command("send_reminders", "--date", (due - DAY).isoformat())
    out = capsys.readouterr().out
    assert "Reminder (due soon) to Children's Social Care" in out
    call_command("send_reminders", "--date", (due - DAY).isoformat())
    assert capsys.readouterr().out.strip() == "0 reminders sent."


def test_the_command_refuses_a_date_it_cannot_read(audit, capsys):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "18/12/2026")


def test_a_scheduler_can_enqueue_the_reminders(audit):
    audit.returns_due = timezone.localdate() + DAY
    audit.save()
    result = reminders_send_task.enqueue()
    assert result.return_value == 1
    assert Notice.objects.filter(kind=NoticeKind.REMINDER_DUE_SOON).count() == 1
