"""The agency's return: drafts that save as people type, conflicts refused, submission checked,
sign-off, clarification, immediate-action escalation, typed text kept across sign-in."""

from django.core import mail
from django.urls import reverse

from maca.audits.models import RequestStatus
from maca.history.models import ChangeRecord
from maca.returns.models import Return
from tests.pages import text_of
from tests.signing_in import sign_in

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(request_, name="audits:return"):
    return reverse(name, args=[request_.audit_id, request_.case_id, request_.agency_id])


def complete(**extra):
    return {
        "answer_q1": "Yes: the young person's wishes were recorded at each review.",
        "grade": "requires_improvement",
        "good_practice": "Visits were on time.",
        "areas_for_development": "Transition planning started late.",
        "learning": "Start transition plans at 16.",
        **extra,
    }


def test_my_requests_lists_only_my_agencys_requests(audit, police_auditor, client_for):
    page = client_for(police_auditor).get(reverse("requests:mine")).content.decode()

    assert "T-E-01" in page
    assert "T-N-01" not in page  # Children's Social Care's alone


def test_a_plain_save_creates_the_draft(csc_request, csc_auditor, client_for):
    client = client_for(csc_auditor)

    response = client.post(url(csc_request), {"answer_q1": "Seen twice", "action": "save"})

    assert response.status_code == 302
    return_ = Return.objects.get(request=csc_request)
    assert return_.answers == {"q1": "Seen twice"} and return_.version == 1
    csc_request.refresh_from_db()
    assert csc_request.status == RequestStatus.DRAFT
    assert "Seen twice" in client.get(url(csc_request)).content.decode()


def test_autosave_answers_with_the_new_version(csc_request, csc_auditor, client_for):
    client = client_for(csc_auditor)
    client.post(url(csc_request), {"answer_q1": "First words"})

    response = client.post(
        url(csc_request, "audits:return_autosave"),
        {"answer_q1": "First words, and more", "version": "1"},
        **HTMX,
    )

    assert response.status_code == 200
    assert 'name="version" value="2"' in response.content.decode()
    assert Return.objects.get(request=csc_request).answers["q1"] == "First words, and more"


def test_a_save_from_an_older_version_is_refused_and_shows_what_changed(
    csc_request, csc_auditor, agency_lead, client_for
):
    auditor, lead = client_for(csc_auditor), client_for(agency_lead)
    auditor.post(url(csc_request), {"answer_q1": "Auditor's first draft"})
    lead.post(url(csc_request), {"answer_q1": "The lead rewrote this", "version": "1"})

    response = auditor.post(url(csc_request), {"answer_q1": "Auditor carries on", "version": "1"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Your changes have not been saved" in page
    assert "The lead rewrote this" in page  # what changed, shown
    assert "Auditor carries on" in page  # and what they typed, still on the page
    assert Return.objects.get(request=csc_request).answers["q1"] == "The lead rewrote this"


def test_autosave_from_an_older_version_is_refused(csc_request, csc_auditor, client_for):
    client = client_for(csc_auditor)
    client.post(url(csc_request), {"answer_q1": "One"})
    client.post(url(csc_request), {"answer_q1": "Two", "version": "1"})

    response = client.post(
        url(csc_request, "audits:return_autosave"), {"answer_q1": "Old tab", "version": "1"}, **HTMX
    )

    assert response.status_code == 409
    assert "Not saved" in response.content.decode()
    assert Return.objects.get(request=csc_request).answers["q1"] == "Two"


def test_submit_names_each_missing_part_and_keeps_the_draft(csc_request, csc_auditor, client_for):
    response = client_for(csc_auditor).post(
        url(csc_request), {"answer_q1": "Only this so far", "action": "submit"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    for message in [
        "Grade your agency&#x27;s involvement",
        "Enter the good practice",
        "Enter the areas for development",
        "Enter the single-agency learning",
    ]:
        assert message in page
    assert Return.objects.get(request=csc_request).answers == {"q1": "Only this so far"}
    csc_request.refresh_from_db()
    assert csc_request.status == RequestStatus.DRAFT


def test_not_scored_needs_a_reason(csc_request, csc_auditor, client_for):
    response = client_for(csc_auditor).post(
        url(csc_request), complete(grade="not_scored", action="submit")
    )

    assert response.status_code == 400
    assert "Say why your agency" in response.content.decode()


def test_a_complete_return_is_submitted_and_then_cannot_change(
    csc_request, csc_auditor, client_for
):
    client = client_for(csc_auditor)

    checking = client.post(url(csc_request), complete(action="submit"))

    # First "Check your answers": the draft is saved, nothing is submitted yet.
    assert checking.status_code == 200
    assert "Check your answers before submitting your return" in text_of(checking)
    csc_request.refresh_from_db()
    assert csc_request.status == RequestStatus.DRAFT
    version = Return.objects.get(request=csc_request).version
    response = client.post(url(csc_request), {"action": "confirm", "version": str(version)})

    assert response.status_code == 302
    csc_request.refresh_from_db()
    assert csc_request.status == RequestStatus.SUBMITTED
    return_ = Return.objects.get(request=csc_request)
    assert return_.submitted_by == csc_auditor and return_.grade == "requires_improvement"
    client.post(url(csc_request), complete(answer_q1="Changed after", version="1"), follow=True)
    assert Return.objects.get(request=csc_request).answers["q1"] != "Changed after"


def test_where_the_agency_signs_off_the_auditor_asks_and_the_lead_submits(
    csc, csc_request, csc_auditor, agency_lead, client_for, django_capture_on_commit_callbacks
):
    csc.requires_sign_off = True
    csc.save()
    auditor = client_for(csc_auditor)

    refused = auditor.post(url(csc_request), complete(action="submit"), follow=True)
    assert "ask your agency lead to sign it off" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        auditor.post(url(csc_request), complete(action="sign_off", version="1"))
    assert [m.to for m in mail.outbox] == [["csc.lead@example.org"]]
    assert "waiting for your sign-off" in mail.outbox[0].body

    lead = client_for(agency_lead)
    checking = lead.post(url(csc_request), complete(action="submit", version="1"))
    assert "Sign off, submit and lock" in text_of(checking)
    version = Return.objects.get(request=csc_request).version
    lead.post(url(csc_request), {"action": "confirm", "version": str(version)})

    csc_request.refresh_from_db()
    assert csc_request.status == RequestStatus.SUBMITTED
    assert Return.objects.get(request=csc_request).signed_off_by == agency_lead


def test_immediate_action_mails_the_lead_and_coordinator_once(
    csc_request,
    csc_auditor,
    agency_lead,
    coordinator,
    client_for,
    django_capture_on_commit_callbacks,
):
    client = client_for(csc_auditor)
    flagged = {"immediate_action": "on", "immediate_action_description": "Child home alone"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(csc_request), {"answer_q1": "Seen", **flagged})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(csc_request), {"answer_q1": "Seen again", "version": "1", **flagged})

    assert sorted(m.to[0] for m in mail.outbox) == [
        "coordinator@example.org",
        "csc.lead@example.org",
    ]
    message = mail.outbox[0]
    assert "Immediate action required: case T-E-01" in message.subject
    assert "Child home alone" not in message.body  # case text stays in maca
    assert url(csc_request) in message.body


def test_an_undescribed_immediate_action_is_held_back_until_described(
    csc_request, csc_auditor, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(csc_auditor).post(
            url(csc_request), {"answer_q1": "Seen", "immediate_action": "on"}, follow=True
        )

    assert "recorded and escalated once described" in response.content.decode()
    assert Return.objects.get(request=csc_request).immediate_action is False
    assert mail.outbox == []


def test_typing_survives_a_session_that_ended(csc_request, csc_auditor, client_for):
    client = client_for(csc_auditor)
    owner = client.get(url(csc_request)).context["form"]["owner"].value()
    client.logout()  # the session ends while the page is open

    response = client.post(
        url(csc_request), {"answer_q1": "Typed while signed out", "owner": owner}
    )

    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not Return.objects.filter(request=csc_request).exists()
    sign_in(client, csc_auditor)
    page = client.get(url(csc_request)).content.decode()
    assert "Typed while signed out" in page
    assert "before your session ended" in page


def test_kept_typing_goes_only_to_the_person_who_typed_it(
    csc_request, csc_auditor, agency_lead, client_for
):
    client = client_for(csc_auditor)
    owner = client.get(url(csc_request)).context["form"]["owner"].value()
    client.logout()
    client.post(url(csc_request), {"answer_q1": "Sam's private words", "owner": owner})

    sign_in(client, agency_lead)

    assert "Sam&#x27;s private words" not in client.get(url(csc_request)).content.decode()


def test_autosave_after_the_session_ended_says_so(csc_request, client):
    response = client.post(
        url(csc_request, "audits:return_autosave"), {"answer_q1": "Lost?"}, **HTMX
    )

    assert response.status_code == 401
    assert "Your session has ended" in response.content.decode()


def test_coordinator_reads_a_return_but_never_the_agency_record_number(
    audit, coordinator, agencies, client_for
):
    police_request = audit.requests.get(agency=agencies["Police"])
    police_request.agency_record_number = "POL-55012"
    police_request.save()

    page = client_for(coordinator).get(url(police_request)).content.decode()

    assert "Police shared the missing episode at once." in page
    assert "POL-55012" not in page


def test_the_agency_sees_its_own_record_number(audit, police_auditor, agencies, client_for):
    police_request = audit.requests.get(agency=agencies["Police"])
    police_request.agency_record_number = "POL-55012"
    police_request.save()

    assert "POL-55012" in client_for(police_auditor).get(reverse("requests:mine")).content.decode()


def test_coordinator_returns_for_clarification_and_the_agency_sees_why(
    audit, coordinator, police_auditor, agencies, client_for, django_capture_on_commit_callbacks
):
    police_request = audit.requests.get(agency=agencies["Police"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            url(police_request, "audits:return_send_back"),
            {"comment": "Which missing episode? Please give the month."},
        )

    assert response.status_code == 302
    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.RETURNED
    assert mail.outbox and mail.outbox[0].to == ["police@example.org"]
    page = client_for(police_auditor).get(url(police_request)).content.decode()
    assert "Which missing episode? Please give the month." in page
    record = ChangeRecord.objects.filter(object_type="returns.return").last()
    assert record.reason == "Which missing episode? Please give the month."


def test_sending_back_needs_a_comment(audit, coordinator, agencies, client_for):
    police_request = audit.requests.get(agency=agencies["Police"])

    response = client_for(coordinator).post(
        url(police_request, "audits:return_send_back"), {"comment": " "}
    )

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_coordinator_records_how_an_immediate_action_was_handled(
    audit, coordinator, agencies, client_for
):
    police_request = audit.requests.get(agency=agencies["Police"])
    Return.objects.filter(request=police_request).update(
        immediate_action=True, immediate_action_description="Strategy discussion needed"
    )

    response = client_for(coordinator).post(
        url(police_request, "audits:immediate_action_handle"),
        {"note": "Strategy discussion held on 24 November."},
    )

    assert response.status_code == 302
    return_ = Return.objects.get(request=police_request)
    assert return_.immediate_action_handled_by == coordinator
    assert return_.immediate_action_handling == "Strategy discussion held on 24 November."


def test_an_escalated_flag_cannot_be_taken_down_by_the_agency(csc_request, csc_auditor, client_for):
    client = client_for(csc_auditor)
    client.post(
        url(csc_request),
        {"immediate_action": "on", "immediate_action_description": "Unsafe at home"},
    )

    client.post(url(csc_request), {"answer_q1": "Unticked", "version": "1"})

    return_ = Return.objects.get(request=csc_request)
    assert return_.immediate_action and return_.immediate_action_description == "Unsafe at home"


def test_each_save_is_recorded_with_who_made_it(csc_request, csc_auditor, client_for):
    client = client_for(csc_auditor)
    client.post(url(csc_request), {"answer_q1": "One"})
    client.post(url(csc_request), {"answer_q1": "Two", "version": "1"})

    return_ = Return.objects.get(request=csc_request)
    records = ChangeRecord.objects.filter(object_type="returns.return", object_id=str(return_.pk))
    assert [(r.action, r.user) for r in records.order_by("id")] == [
        ("create", csc_auditor),
        ("update", csc_auditor),
    ]
    assert records.order_by("id").last().after["answers"] == {"q1": "Two"}


def test_health_cannot_open_a_police_return(audit, health_auditor, agencies, client_for):
    police_request = audit.requests.get(agency=agencies["Police"])

    assert client_for(health_auditor).get(url(police_request)).status_code == 404


def test_check_your_answers_lists_them_with_change_links(csc_request, csc_auditor, client_for):
    page = client_for(csc_auditor).post(url(csc_request), complete(action="submit"))
    html = page.content.decode()
    assert 'class="govuk-summary-list"' in html
    assert f'href="{url(csc_request)}#id_answer_q1">Change' in html
    assert f'href="{url(csc_request)}#id_good_practice">Change' in html
    assert "Submit and lock" in text_of(page)


def test_a_return_changed_after_it_was_checked_is_not_submitted(
    csc_request, csc_auditor, client_for
):
    client = client_for(csc_auditor)
    client.post(url(csc_request), complete(action="submit"))
    checked = Return.objects.get(request=csc_request).version
    client.post(url(csc_request), complete(answer_q1="Changed in another tab", version=checked))

    response = client.post(
        url(csc_request), {"action": "confirm", "version": str(checked)}, follow=True
    )

    assert "has changed since you checked your answers" in text_of(response)
    csc_request.refresh_from_db()
    assert csc_request.status == RequestStatus.DRAFT


def test_a_confirmation_without_a_version_is_refused(csc_request, csc_auditor, client_for):
    client = client_for(csc_auditor)
    client.post(url(csc_request), complete(action="submit"))
    client.post(url(csc_request), {"action": "confirm", "version": "²"})
    csc_request.refresh_from_db()
    assert csc_request.status == RequestStatus.DRAFT
    assert Return.objects.get(request=csc_request).answers["q1"]  # the draft is untouched


def test_the_reasons_are_revealed_under_their_choices_and_shown_without_javascript(
    csc_request, csc_auditor, client_for
):
    html = client_for(csc_auditor).get(url(csc_request)).content.decode()
    # "If not scored, why?" sits in the conditional part under "Not scored"; the hiding class
    # hides it only where GOV.UK Frontend's JavaScript runs (.govuk-frontend-supported).
    not_scored = html.index('value="not_scored" data-maca-reveals="conditional-grade-reason"')
    reason = html.index('id="conditional-grade-reason"')
    assert not_scored < reason < html.index('name="grade_reason"')
    assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden"' in html
    action = html.index('data-aria-controls="conditional-immediate-action"')
    assert action < html.index('id="conditional-immediate-action"')
    assert action < html.index('name="immediate_action_description"')
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">' in html


def test_a_routine_save_shows_no_success_banner(csc_request, csc_auditor, client_for):
    page = client_for(csc_auditor).post(
        url(csc_request), {"answer_q1": "A first answer", "action": "save"}, follow=True
    )
    assert "govuk-notification-banner--success" not in page.content.decode()
    assert Return.objects.get(request=csc_request).answers == {"q1": "A first answer"}
