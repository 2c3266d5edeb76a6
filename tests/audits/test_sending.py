import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from maca.audits.models import AuditStatus, Candidate, Request
from maca.audits.sending import NobodyToTell, RequestsNotReady, requests_send, send_checklist
from maca.history.models import ChangeRecord
from maca.notices.models import Notice, NoticeKind
from maca.partnerships.models import Role
from tests import factories as f


def _draw(audit, area, agencies, count, start_line):
    """Cases drawn in `area`, each with a request to every agency in `agencies`."""
    for i in range(count):
        line = start_line + i
        case = f.CaseFactory(audit=audit, reference=f"N-{area.name[0]}-{i + 1:02d}", area=area)
        f.CandidateFactory(
            audit=audit,
            line=line,
            area=area,
            case=case,
            record_numbers={str(agency.pk): f"REC-{line}-{agency.pk}" for agency in agencies},
        )
        for agency in agencies:
            f.RequestFactory(
                case=case, agency=agency, agency_record_number=f"REC-{line}-{agency.pk}", due=None
            )


@pytest.fixture
def due():
    return timezone.localdate() + datetime.timedelta(days=28)


@pytest.fixture
def ready(planning_audit, areas, agencies, due):
    """The planning audit with its sample drawn (5 per area; Police and Children's Social Care
    involved in every case) and two candidates left undrawn."""
    planning_audit.returns_due = due
    planning_audit.save()
    involved = [agencies["Children's Social Care"], agencies["Police"]]
    for n, area in enumerate(areas.values()):
        _draw(planning_audit, area, involved, 5, start_line=2 + 5 * n)
    for line in (30, 31):
        f.CandidateFactory(
            audit=planning_audit,
            line=line,
            area=areas["East"],
            record_numbers={str(agencies["Police"].pk): f"UNDRAWN-{line}"},
        )
    return planning_audit


def _refusal(audit, by) -> list[str]:
    with pytest.raises(RequestsNotReady) as refused:
        requests_send(audit=audit, by=by)
    return refused.value.missing


# --- The service ------------------------------------------------------------------------------


def test_it_names_everything_missing_at_once(planning_audit, coordinator):
    planning_audit.returns_due = None
    planning_audit.questions.all().delete()
    planning_audit.save()
    missing = _refusal(planning_audit, coordinator)
    text = " / ".join(missing)
    assert "no questions" in text
    assert "no cases" in text
    assert "due is not set" in text
    assert "East: 0 of 5 cases" in text and "North: 0 of 5 cases" in text
    assert "Central: 0 of 5 cases" in text


def test_the_refusal_message_lists_every_problem(planning_audit, coordinator):
    planning_audit.returns_due = None
    planning_audit.save()
    with pytest.raises(RequestsNotReady) as refused:
        requests_send(audit=planning_audit, by=coordinator)
    assert "no cases" in refused.value.message and "not set" in refused.value.message


def test_it_names_the_area_whose_sample_plan_is_not_met(ready, coordinator):
    for case in ready.cases.filter(area__name="North").order_by("reference")[3:]:
        case.delete()
    assert _refusal(ready, coordinator) == ["The sample plan is not met in North: 3 of 5 cases"]


def test_it_names_a_case_with_no_involved_agency(ready, coordinator, areas):
    f.CaseFactory(audit=ready, reference="N-E-99", area=areas["East"])
    assert _refusal(ready, coordinator) == ["Case N-E-99 has no involved agency"]


def test_it_refuses_a_due_date_in_the_past(ready, coordinator):
    ready.returns_due = timezone.localdate() - datetime.timedelta(days=1)
    ready.save()
    [problem] = _refusal(ready, coordinator)
    assert "in the past" in problem


def test_it_refuses_an_audit_that_is_not_being_planned(audit, coordinator):
    assert any("only be sent while the audit is being planned" in m for m in send_checklist(audit))
    _refusal(audit, coordinator)


def test_a_refusal_changes_nothing(ready, coordinator, areas, django_capture_on_commit_callbacks):
    f.CaseFactory(audit=ready, reference="N-E-99", area=areas["East"])
    with django_capture_on_commit_callbacks(execute=True):
        _refusal(ready, coordinator)
    ready.refresh_from_db()
    assert ready.status == AuditStatus.PLANNING
    assert not Request.objects.filter(audit=ready, sent_at__isnull=False).exists()
    assert Candidate.objects.filter(audit=ready, case=None).count() == 2
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_it_moves_the_audit_to_collecting_and_stamps_every_request(ready, coordinator, people, due):
    assert requests_send(audit=ready, by=coordinator).requests == 30
    ready.refresh_from_db()
    assert ready.status == AuditStatus.COLLECTING
    requests = Request.objects.filter(audit=ready)
    assert not requests.filter(sent_at=None).exists()
    assert set(requests.values_list("due", flat=True)) == {due}


def test_it_deletes_the_undrawn_candidates_and_keeps_the_drawn(ready, coordinator, people):
    requests_send(audit=ready, by=coordinator)
    assert not Candidate.objects.filter(audit=ready, case=None).exists()
    assert Candidate.objects.filter(audit=ready).count() == 15


def test_the_change_is_recorded_as_the_coordinators(ready, coordinator, people):
    requests_send(audit=ready, by=coordinator)
    change = ChangeRecord.objects.filter(object_type="audits.audit", object_id=str(ready.pk)).last()
    assert change.after["status"] == AuditStatus.COLLECTING
    assert change.user == coordinator and change.via == "web"


def test_it_writes_one_notice_per_involved_agency(ready, coordinator, agencies, people):
    requests_send(audit=ready, by=coordinator)
    notices = Notice.objects.filter(audit=ready, kind=NoticeKind.REQUESTS_SENT)
    assert sorted(n.agency.name for n in notices) == ["Children's Social Care", "Police"]


@pytest.fixture
def people(partnership, agencies, other_partnership, police_auditor, health_auditor, agency_lead):
    """Besides the cast: a police lead here, and a Police auditor in another partnership."""
    f.MembershipFactory(
        user=f.UserFactory(email="police.lead@example.org"),
        partnership=partnership,
        role=Role.AGENCY_LEAD,
        agency=agencies["Police"],
    )
    elsewhere = f.AgencyFactory(partnership=other_partnership, name="Police")
    f.MembershipFactory(
        user=f.UserFactory(email="police.elsewhere@example.org"),
        partnership=other_partnership,
        role=Role.AGENCY_AUDITOR,
        agency=elsewhere,
    )


def test_each_involved_agencys_auditors_and_leads_are_mailed(
    ready, coordinator, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        requests_send(audit=ready, by=coordinator)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == [
        "csc.lead@example.org",
        "police.lead@example.org",
        "police@example.org",
    ]


def test_the_mail_has_the_link_and_due_date_and_no_record_number(
    ready, coordinator, people, due, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        requests_send(audit=ready, by=coordinator)
    [message] = [m for m in mail.outbox if m.to == ["police@example.org"]]
    assert ready.title in message.subject
    assert settings.MACA_BASE_URL.rstrip("/") + reverse("requests:mine") in message.body
    assert date_format(due, "l j F Y") in message.body
    assert "15 cases" in message.body
    assert "REC-" not in message.body and "UNDRAWN" not in message.body


# --- The pages --------------------------------------------------------------------------------


def test_the_confirmation_page_says_what_will_happen(ready, coordinator, client_for, due):
    page = client_for(coordinator).get(reverse("audits:send", args=[ready.pk]))
    assert page.status_code == 200
    assert f"30 requests to 2 agencies, due {date_format(due, 'j F Y')}" in page.content.decode()


def test_the_confirmation_page_lists_what_is_missing(planning_audit, coordinator, client_for):
    page = client_for(coordinator).get(reverse("audits:send", args=[planning_audit.pk]))
    text = page.content.decode()
    assert "cannot be sent yet" in text
    assert "North: 0 of 5 cases" in text
    assert "Send the requests</button>" not in text


def test_sending_redirects_to_tracking_saying_how_many_people_were_emailed(
    ready, coordinator, people, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            reverse("audits:send", args=[ready.pk]), follow=True
        )
    assert response.redirect_chain[-1][0] == reverse("audits:tracking", args=[ready.pk])
    assert "Requests sent: 3 people e-mailed at 2 agencies." in response.content.decode()
    assert len(mail.outbox) == 3


def test_a_refused_send_shows_the_problems_and_changes_nothing(ready, coordinator, client_for):
    ready.returns_due = None
    ready.save()
    response = client_for(coordinator).post(reverse("audits:send", args=[ready.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "The requests were not sent" in text and "not set" in text
    ready.refresh_from_db()
    assert ready.status == AuditStatus.PLANNING


def test_sending_again_is_refused_without_an_error(audit, coordinator, client_for):
    response = client_for(coordinator).post(reverse("audits:send", args=[audit.pk]))
    assert response.status_code == 200
    assert "only be sent while the audit is being planned" in response.content.decode()


def test_the_audit_page_offers_sending_then_tracking(ready, coordinator, people, client_for):
    client = client_for(coordinator)
    page = client.get(reverse("audits:detail", args=[ready.pk])).content.decode()
    assert reverse("audits:send", args=[ready.pk]) in page
    requests_send(audit=ready, by=coordinator)
    page = client.get(reverse("audits:detail", args=[ready.pk])).content.decode()
    assert reverse("audits:tracking", args=[ready.pk]) in page
    assert reverse("audits:send", args=[ready.pk]) not in page


# --- Nobody left unheard (issue 19) -------------------------------------------------------------


def _send(client, audit, **data):
    return client.post(reverse("audits:send", args=[audit.pk]), data, follow=True)


def test_the_page_names_each_agency_nobody_will_hear_from_and_why(
    ready, coordinator, agency_lead, client_for
):
    page = client_for(coordinator).get(reverse("audits:send", args=[ready.pk])).content.decode()
    assert "Agencies nobody will hear from" in page
    assert "Police</dt>" in page and "Children&#x27;s Social Care</dt>" not in page
    assert "It has no auditor or lead in maca, and no contact address." in page
    assert "Send anyway: I will tell Police another way" in page
    contact = reverse("agencies:contact", args=[ready.requests.first().agency_id])
    assert "/contact/?next=" in page and contact.rsplit("/", 3)[0] in page


def test_a_disabled_member_is_no_one_to_hear(ready, coordinator, agency_lead, client_for):
    agency_lead.is_active = False
    agency_lead.save()
    page = client_for(coordinator).get(reverse("audits:send", args=[ready.pk])).content.decode()
    assert "Children&#x27;s Social Care</dt>" in page
    assert "Its one auditor or lead has been disabled, and it has no contact address." in page


def test_the_requests_are_not_sent_while_nobody_at_an_agency_would_hear(
    ready, coordinator, agency_lead, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(reverse("audits:send", args=[ready.pk]))
    assert response.status_code == 400
    text = response.content.decode()
    assert "The requests were not sent" in text and "Nobody at Police would be e-mailed" in text
    ready.refresh_from_db()
    assert ready.status == AuditStatus.PLANNING
    assert not Notice.objects.exists() and mail.outbox == []


def test_sending_anyway_sends_and_says_who_was_not_emailed(
    ready, coordinator, agency_lead, agencies, client_for, django_capture_on_commit_callbacks
):
    police = agencies["Police"]
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, ready, send_anyway="on", silent=[police.pk])
    assert response.redirect_chain[-1][0] == reverse("audits:tracking", args=[ready.pk])
    text = response.content.decode()
    assert "Requests sent: 1 person e-mailed at 1 agency. Nobody was e-mailed at Police." in text
    assert [m.to for m in mail.outbox] == [["csc.lead@example.org"]]
    # The silent agency's notice is kept, and the tracking page shows it reached nobody.
    notice = Notice.objects.get(agency=police, kind=NoticeKind.REQUESTS_SENT)
    assert notice.sent_at is not None and notice.recipients == []
    page = client.get(reverse("audits:tracking", args=[ready.pk])).content.decode()
    assert "Reached nobody" in page and "reached csc.lead@example.org" in page


def test_sending_anyway_is_refused_for_an_agency_that_fell_silent_meanwhile(
    ready, coordinator, agency_lead, agencies
):
    agency_lead.is_active = False
    agency_lead.save()
    with pytest.raises(NobodyToTell) as refused:
        requests_send(audit=ready, by=coordinator, send_anyway_to={agencies["Police"].pk})
    assert [reach.agency.name for reach in refused.value.silences] == [
        "Children's Social Care",
        "Police",
    ]
    assert refused.value.field == "send_anyway"


def test_a_contact_address_added_from_the_page_lets_the_requests_go_to_it(
    ready, coordinator, agency_lead, agencies, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    police = agencies["Police"]
    send = reverse("audits:send", args=[ready.pk])
    contact = reverse("agencies:contact", args=[police.pk]) + f"?next={send}"
    response = client.post(
        contact, {"contact_email": "safeguarding@police.example.org", "was": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == send
    assert "Agencies nobody will hear from" not in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, ready)
    assert "Requests sent: 2 people e-mailed at 2 agencies." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "csc.lead@example.org",
        "safeguarding@police.example.org",
    ]
