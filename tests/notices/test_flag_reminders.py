"""An immediate-action flag nobody has handled within a working day is escalated again, once,
by the daily `maca send-reminders`: to the flagging agency's leads and every coordinator.
The clock is frozen on a Friday the flag is raised, then on the days after it."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from maca.audits.models import AuditStatus
from maca.notices.models import Notice, NoticeKind
from maca.notices.reminders import flag_reminders_send
from maca.returns.services import immediate_action_handle
from tests import factories as f
from tests.flagging import DESCRIPTION, at, next_weekday, raise_flag

AGAIN = NoticeKind.IMMEDIATE_ACTION_OVERDUE
DAY = datetime.timedelta(days=1)


@pytest.fixture
def friday():
    return next_weekday(4)


@pytest.fixture
def flag(csc_request, csc_auditor, agency_lead, coordinator, police_auditor, friday):
    """Children's Social Care's auditor flags immediate action on a Friday morning; its lead and
    the coordinator are told at once."""
    return raise_flag(csc_request, csc_auditor, friday)


def _run(day: datetime.date, django_capture_on_commit_callbacks) -> list[Notice]:
    mail.outbox.clear()
    with (
        time_machine.travel(at(day, 7), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return flag_reminders_send(today=day)


def test_a_friday_flag_is_not_escalated_again_on_monday_but_is_on_tuesday(
    flag, friday, django_capture_on_commit_callbacks
):
    assert Notice.objects.filter(kind=NoticeKind.IMMEDIATE_ACTION).count() == 1
    for day in (friday, friday + DAY, friday + 2 * DAY, friday + 3 * DAY):  # to Monday
        assert _run(day, django_capture_on_commit_callbacks) == []

    tuesday = _run(friday + 4 * DAY, django_capture_on_commit_callbacks)

    assert [(n.kind, n.request_id) for n in tuesday] == [(AGAIN, flag.request_id)]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "coordinator@example.org",
        "csc.lead@example.org",
    ]


def test_the_second_escalation_goes_once(flag, friday, django_capture_on_commit_callbacks):
    _run(friday + 4 * DAY, django_capture_on_commit_callbacks)

    assert _run(friday + 5 * DAY, django_capture_on_commit_callbacks) == []
    assert _run(friday + 30 * DAY, django_capture_on_commit_callbacks) == []
    assert Notice.objects.filter(kind=AGAIN).count() == 1


def test_the_message_names_the_case_and_the_day_but_carries_no_case_text(
    flag, friday, django_capture_on_commit_callbacks
):
    _run(friday + 4 * DAY, django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    assert message.subject == (
        f"Not yet handled: immediate action on case T-E-01, {flag.request.audit.title}"
    )
    assert f"flagged on Friday {friday.day} {friday:%B %Y}" in message.body
    assert "working day" in message.body
    assert flag.request.get_absolute_url() in message.body
    assert DESCRIPTION not in message.body and "harmed" not in message.body


def test_a_flag_handled_in_time_is_not_escalated_again(
    flag, coordinator, friday, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(friday + 3 * DAY, 9), tick=False):
        immediate_action_handle(return_=flag, by=coordinator, note="Child seen at school.")

    assert _run(friday + 4 * DAY, django_capture_on_commit_callbacks) == []


def test_a_flag_in_an_audit_past_its_meeting_is_history_and_not_escalated(
    flag, friday, django_capture_on_commit_callbacks
):
    # A closed audit loaded from a bundle keeps the flags its returns carried.
    audit = flag.request.audit
    audit.status = AuditStatus.CLOSED
    audit.save()

    assert _run(friday + 4 * DAY, django_capture_on_commit_callbacks) == []


def test_each_partnerships_flag_goes_to_its_own_people(
    flag, other_audit, other_partnership_coordinator, friday, django_capture_on_commit_callbacks
):
    request = other_audit.requests.get()
    request.status = "draft"
    request.save()
    request.agency_return.delete()
    auditor = f.MembershipFactory(
        partnership=other_audit.partnership, role="agency_auditor", agency=request.agency
    ).user
    raise_flag(request, auditor, friday)

    _run(friday + 4 * DAY, django_capture_on_commit_callbacks)

    subjects = {}
    for message in mail.outbox:
        subjects.setdefault(message.to[0], []).append(message.subject)
    assert [other_audit.title in s for s in subjects["elsewhere@example.org"]] == [True]
    assert [other_audit.title in s for s in subjects["coordinator@example.org"]] == [False]


def test_send_reminders_escalates_it_and_says_so(flag, friday):
    out = io.StringIO()
    with time_machine.travel(at(friday + 4 * DAY, 7), tick=False):
        call_command("send_reminders", stdout=out)

    assert (
        f"Reminder (immediate action not handled) to Children's Social Care for audit "
        f"{flag.request.audit_id}: flag on case T-E-01"
    ) in out.getvalue()
    assert Notice.objects.filter(kind=AGAIN, request=flag.request).exists()
