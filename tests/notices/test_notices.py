import contextlib
import datetime

from django.core import mail
from django.db import transaction
from django.utils import timezone

from maca.notices.models import Notice, NoticeKind
from maca.notices.services import notice_deliver, notice_send, notices_deliver_pending
from maca.partnerships.models import Role
from tests import factories as f


def _csc_request(audit):
    return audit.requests.get(case__reference="T-N-01", agency__name="Children's Social Care")


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def _csc_auditor(partnership, agencies, **user):
    return f.MembershipFactory(
        user=f.UserFactory(email="csc.auditor@example.org", **user),
        partnership=partnership,
        role=Role.AGENCY_AUDITOR,
        agency=agencies["Children's Social Care"],
    ).user


def test_immediate_action_goes_to_the_agency_leads_and_the_coordinators(
    audit,
    partnership,
    agencies,
    coordinator,
    agency_lead,
    police_auditor,
    other_partnership_coordinator,
    django_capture_on_commit_callbacks,
):
    _csc_auditor(partnership, agencies)
    request = _csc_request(audit)
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(
            kind=NoticeKind.IMMEDIATE_ACTION,
            audit=audit,
            agency=request.agency,
            agency_request=request,
        )
    assert _recipients() == ["coordinator@example.org", "csc.lead@example.org"]
    assert "T-N-01" in mail.outbox[0].subject


def test_requests_sent_goes_to_the_agencys_auditors_and_leads_only(
    audit,
    partnership,
    agencies,
    coordinator,
    agency_lead,
    police_auditor,
    django_capture_on_commit_callbacks,
):
    _csc_auditor(partnership, agencies)
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(
            kind=NoticeKind.REQUESTS_SENT, audit=audit, agency=agencies["Children's Social Care"]
        )
    assert _recipients() == ["csc.auditor@example.org", "csc.lead@example.org"]


def test_each_recipient_gets_a_message_of_their_own(
    audit, partnership, agencies, agency_lead, django_capture_on_commit_callbacks
):
    _csc_auditor(partnership, agencies)
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(kind=NoticeKind.CHASE, audit=audit, agency=agencies["Children's Social Care"])
    assert [len(message.to) for message in mail.outbox] == [1, 1]


def test_inactive_people_are_not_mailed(
    audit, partnership, agencies, agency_lead, django_capture_on_commit_callbacks
):
    _csc_auditor(partnership, agencies, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_send(
            kind=NoticeKind.CHASE, audit=audit, agency=agencies["Children's Social Care"]
        )
    assert _recipients() == ["csc.lead@example.org"]
    notice.refresh_from_db()
    assert notice.recipients == ["csc.lead@example.org"]


def test_a_notice_is_delivered_once(audit, agencies, agency_lead):
    notice = notice_send(
        kind=NoticeKind.CHASE, audit=audit, agency=agencies["Children's Social Care"]
    )
    assert notice_deliver(notice=notice) == 1
    assert notice_deliver(notice=notice) == 0
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None


def test_a_rolled_back_change_mails_nobody(
    audit, agencies, agency_lead, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        notice_send(kind=NoticeKind.CHASE, audit=audit, agency=agencies["Children's Social Care"])
        raise RuntimeError("the change that caused the notice failed")
    assert callbacks == [] and mail.outbox == []
    assert not Notice.objects.exists()


def test_pending_delivery_picks_up_a_notice_whose_task_never_ran(audit, agencies, agency_lead):
    notice = Notice.objects.create(
        partnership=audit.partnership,
        audit=audit,
        agency=agencies["Children's Social Care"],
        kind=NoticeKind.CHASE,
    )
    Notice.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert notices_deliver_pending() == 1
    assert _recipients() == ["csc.lead@example.org"]
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert notices_deliver_pending() == 0


def test_pending_delivery_leaves_a_just_queued_notice_to_its_task(audit, agencies, agency_lead):
    Notice.objects.create(
        partnership=audit.partnership,
        audit=audit,
        agency=agencies["Children's Social Care"],
        kind=NoticeKind.CHASE,
    )
    assert notices_deliver_pending() == 0
    assert mail.outbox == []


def test_no_message_carries_case_text_or_record_numbers(
    audit, agencies, agency_lead, coordinator, django_capture_on_commit_callbacks
):
    request = _csc_request(audit)
    request.agency_record_number = "CSC-77812"
    request.save()
    f.ReturnFactory(
        request=request,
        immediate_action=True,
        immediate_action_description="Mother's partner has returned to the home.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        for kind in NoticeKind:
            notice_send(kind=kind, audit=audit, agency=request.agency, agency_request=request)
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + message.body
        assert "CSC-77812" not in text and "returned to the home" not in text
