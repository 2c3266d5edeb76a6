"""The meeting's pages: starting moderation, scheduling, attendees, walking the cases (points,
immediate actions, ratification) and moving to reporting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.actions.models import Action
from maca.audits.models import AuditStatus
from maca.history.models import ChangeRecord
from maca.meetings.models import Attendee, CasePoint, Meeting, Ratification
from maca.meetings.services import moderation_start
from tests import factories as f
from tests.pages import text_of


@pytest.fixture
def first(moderation):
    return moderation.cases.get(reference="T-E-01")


@pytest.fixture
def second(moderation):
    return moderation.cases.get(reference="T-N-01")


def _in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _immediate_action(case) -> Action:
    return Action.objects.create(
        partnership=case.partnership,
        audit=case.audit,
        case=case,
        immediate=True,
        agency=case.requests.first().agency,
        owner="Sam Patel",
        description="Visit today and agree a safety plan",
        due=timezone.localdate(),
    )


def _walk(audit, case) -> str:
    return reverse("audits:meeting_case", args=[audit.pk, case.pk])


def _post(client, name, audit, *args, data=None, follow=False):
    return client.post(reverse(name, args=[audit.pk, *args]), data or {}, follow=follow)


# --- Starting moderation ------------------------------------------------------------------------


def test_moderation_start_lists_the_returns_not_submitted(audit, coordinator_client):
    page = text_of(coordinator_client.get(reverse("audits:moderation_start", args=[audit.pk])))
    assert "2 returns not submitted" in page
    assert "T-E-01 Children's Social Care Not returned" in page
    assert "T-N-01 Children's Social Care Not returned" in page
    assert "T-E-01 Police" not in page  # submitted


def test_moderation_starts_with_returns_not_submitted(audit, coordinator_client):
    response = _post(coordinator_client, "audits:moderation_start", audit, follow=True)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.MODERATION
    assert "Moderation has started" in text_of(response)
    assert response.redirect_chain[-1][0] == reverse("audits:meeting", args=[audit.pk])


def test_moderation_cannot_start_twice(moderation, coordinator_client):
    response = _post(coordinator_client, "audits:moderation_start", moderation)
    assert response.status_code == 400
    assert "only start while the audit is collecting returns" in text_of(response)


def test_the_audit_page_offers_the_next_step(audit, coordinator, coordinator_client):
    detail = reverse("audits:detail", args=[audit.pk])
    # Returns are still due: the next step is chasing them, not the meeting.
    assert "Start moderation" not in text_of(coordinator_client.get(detail))
    audit.returns_due = timezone.localdate() - datetime.timedelta(days=1)
    audit.save()
    assert "Start moderation" in text_of(coordinator_client.get(detail))
    moderation_start(audit=audit, by=coordinator)
    page = text_of(coordinator_client.get(detail))
    assert "Start moderation" not in page and "The meeting" in page


# --- The meeting: date, place, attendees ---------------------------------------------------------


def test_the_coordinator_schedules_the_meeting(moderation, coordinator_client):
    held_on = moderation.returns_due + datetime.timedelta(days=5)
    response = _post(
        coordinator_client,
        "audits:meeting",
        moderation,
        data={"held_on": held_on.isoformat(), "location": "Room 2, the civic centre"},
        follow=True,
    )
    meeting = Meeting.objects.get(audit=moderation)
    assert (meeting.held_on, meeting.location) == (held_on, "Room 2, the civic centre")
    moderation.refresh_from_db()
    assert moderation.meeting_date == held_on
    assert f"Meeting scheduled: {held_on:%-d %B %Y}" in text_of(response)


def test_the_meeting_date_and_place_can_change(moderation, coordinator_client):
    meeting = f.MeetingFactory(audit=moderation)
    held_on = meeting.held_on + datetime.timedelta(days=7)
    _post(
        coordinator_client,
        "audits:meeting",
        moderation,
        data={"held_on": held_on.isoformat(), "location": "Online"},
    )
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.location) == (held_on, "Online")
    assert Meeting.objects.filter(audit=moderation).count() == 1


def test_a_meeting_before_returns_are_due_is_refused_on_its_field(moderation, coordinator_client):
    early = moderation.returns_due - datetime.timedelta(days=1)
    response = _post(
        coordinator_client, "audits:meeting", moderation, data={"held_on": early.isoformat()}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#meeting-held_on"' in page  # the error summary links to the field
    assert "on or after the date returns are due" in text_of(response)
    assert not Meeting.objects.exists()


def test_attendees_are_added_with_their_agency_and_removed(
    moderation, coordinator_client, agencies
):
    f.MeetingFactory(audit=moderation)
    response = _post(
        coordinator_client,
        "audits:attendee_add",
        moderation,
        data={"name": "Jo Brown", "agency": agencies["Police"].pk},
        follow=True,
    )
    assert "Added Jo Brown to the attendees" in text_of(response)
    assert "Jo Brown Police" in text_of(response)
    _post(coordinator_client, "audits:attendee_add", moderation, data={"name": "Ann Chair"})
    attendee = Attendee.objects.get(name="Jo Brown")
    assert attendee.agency == agencies["Police"]
    assert Attendee.objects.get(name="Ann Chair").agency is None

    response = _post(
        coordinator_client, "audits:attendee_remove", moderation, attendee.pk, follow=True
    )
    assert "Removed Jo Brown from the attendees" in text_of(response)
    assert list(Attendee.objects.values_list("name", flat=True)) == ["Ann Chair"]


def test_an_attendee_needs_a_name_and_a_meeting(moderation, coordinator_client):
    response = _post(coordinator_client, "audits:attendee_add", moderation, data={"name": "Jo"})
    assert response.status_code == 400
    assert "Schedule the meeting before recording who attends" in text_of(response)
    f.MeetingFactory(audit=moderation)
    response = _post(coordinator_client, "audits:attendee_add", moderation, data={"name": " "})
    assert response.status_code == 400
    assert "Enter the attendee's name" in text_of(response)
    assert not Attendee.objects.exists()


def test_the_meeting_lists_the_cases_in_reference_order(moderation, coordinator_client, areas):
    f.CaseFactory(audit=moderation, reference="T-C-01", area=areas["Central"])
    page = text_of(coordinator_client.get(reverse("audits:meeting", args=[moderation.pk])))
    assert "0 of 3 cases ratified" in page
    assert page.index("T-C-01") < page.index("T-E-01") < page.index("T-N-01")
    assert "T-E-01 East 1 of 2 Good Not ratified Consider case T-E-01" in page
    assert "T-N-01 North 0 of 1 None proposed Not ratified" in page


# --- Walking the cases ---------------------------------------------------------------------------


def test_the_walk_goes_from_case_to_case(moderation, first, second, coordinator_client):
    response = coordinator_client.get(_walk(moderation, first))
    page = text_of(response)
    assert "Case T-E-01" in page and "case 1 of 2" in page
    assert "Next case: T-N-01" in page and "Previous case" not in page
    assert _walk(moderation, second) in response.content.decode()
    summary = reverse("audits:case_summary", args=[moderation.pk, first.pk])
    assert summary in response.content.decode()

    page = text_of(coordinator_client.get(_walk(moderation, second)))
    assert "Previous case: T-E-01" in page and "Next case" not in page


def test_the_walk_shows_the_agency_grades_and_the_proposal(moderation, first, coordinator_client):
    response = coordinator_client.get(_walk(moderation, first))
    html, page = response.content.decode(), text_of(response)
    # Every agency side by side, in the partnership's order: its return's status, or its grade.
    assert (
        "Children's Social Care return on case T-E-01 Police return on case T-E-01 "
        "Agency's grade Not returned Good Good practice Not submitted "
        "Police shared the missing episode at once." in page
    )
    # Beside the grades, the returns' statuses are in colours no grade uses (decision 44).
    assert '<strong class="govuk-tag govuk-tag--purple">Not returned</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--teal">Good</strong>' in html
    assert "Proposed grade: Good" in page
    assert "it takes the worse of the two middle grades" in page
    assert "Needed when you change the proposed grade or do not score the case" in page


def test_points_are_recorded_and_removed(moderation, first, coordinator_client):
    response = _post(
        coordinator_client,
        "audits:case_point_add",
        moderation,
        first.pk,
        data={"kind": "concern", "text": "No one asked the child about school"},
        follow=True,
    )
    assert "Concern recorded" in text_of(response)
    assert "Concern No one asked the child about school" in text_of(response)
    point = CasePoint.objects.get(case=first)
    assert point.kind == "concern"

    response = _post(
        coordinator_client, "audits:case_point_remove", moderation, first.pk, point.pk, follow=True
    )
    assert "Concern removed" in text_of(response)
    assert not CasePoint.objects.exists()


def test_a_point_needs_its_kind_and_text(moderation, first, coordinator_client):
    response = _post(coordinator_client, "audits:case_point_add", moderation, first.pk)
    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page
    assert "Choose good practice, a concern or a note" in page and "Enter the point" in page


def test_an_immediate_action_names_each_missing_field(moderation, first, coordinator_client):
    response = _post(coordinator_client, "audits:immediate_action_add", moderation, first.pk)
    assert response.status_code == 400
    page = text_of(response)
    for message in (
        "Choose the agency that will act",
        "Enter the name of the person who owns the action",
        "Describe what will be done to make the child safe now",
        "Enter the date the action is due",
    ):
        assert message in page
    html = response.content.decode()
    for field in ("agency", "owner", "description", "due"):
        assert f'href="#action-{field}"' in html
    assert not Action.objects.exists()


def test_an_immediate_action_is_for_an_involved_agency_due_from_today(
    moderation, first, coordinator_client, agencies
):
    data = {
        "agency": agencies["Health Provider"].pk,  # not involved in T-E-01
        "owner": "Sam Patel",
        "description": "Visit today",
        "due": _in_days(-1),
    }
    response = _post(
        coordinator_client, "audits:immediate_action_add", moderation, first.pk, data=data
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Choose one of the agencies involved in the case" in page

    data["agency"] = agencies["Children's Social Care"].pk
    response = _post(
        coordinator_client, "audits:immediate_action_add", moderation, first.pk, data=data
    )
    assert response.status_code == 400
    assert "The due date must be today or in the future" in text_of(response)
    assert not Action.objects.exists()

    data["due"] = _in_days(1)
    response = _post(
        coordinator_client,
        "audits:immediate_action_add",
        moderation,
        first.pk,
        data=data,
        follow=True,
    )
    assert "Immediate action agreed with Children's Social Care" in text_of(response)
    action = Action.objects.get()
    assert (action.immediate, action.case, action.owner) == (True, first, "Sam Patel")


def test_the_coordinator_ratifies_a_case_keeping_the_proposed_grade(
    moderation, first, coordinator_client
):
    response = _post(
        coordinator_client,
        "audits:case_ratify",
        moderation,
        first.pk,
        data={"grade": "good"},
        follow=True,
    )
    page = text_of(response)
    assert "Case T-E-01 ratified (good): its returns are locked" in page
    assert "Unlock case T-E-01" in page
    first.refresh_from_db()
    assert first.locked_at is not None
    assert first.ratification.proposed_grade == "good"


def test_a_changed_grade_without_a_reason_is_refused_on_the_reason(
    moderation, first, coordinator_client
):
    response = _post(
        coordinator_client,
        "audits:case_ratify",
        moderation,
        first.pk,
        data={"grade": "outstanding"},
    )
    assert response.status_code == 400
    assert 'href="#ratify-reason"' in response.content.decode()
    assert "Say why the meeting grades the case outstanding rather than the proposed good" in (
        text_of(response)
    )
    assert not Ratification.objects.exists()


def test_an_inadequate_case_asks_for_its_immediate_action(moderation, first, coordinator_client):
    data = {"grade": "inadequate", "reason": "The plan drifted for months"}
    response = _post(coordinator_client, "audits:case_ratify", moderation, first.pk, data=data)
    assert response.status_code == 400
    assert (
        "An inadequate case needs at least one immediate action to make the child safe now: "
        "add it below, then ratify."
    ) in text_of(response)
    _immediate_action(first)
    response = _post(coordinator_client, "audits:case_ratify", moderation, first.pk, data=data)
    assert response.status_code == 302
    assert Ratification.objects.get(case=first).grade == "inadequate"


def test_unlocking_through_the_page_needs_a_reason(moderation, first, coordinator_client):
    _post(coordinator_client, "audits:case_ratify", moderation, first.pk, data={"grade": "good"})
    response = _post(coordinator_client, "audits:case_unlock", moderation, first.pk)
    assert response.status_code == 400
    assert "Say why the case is being unlocked" in text_of(response)

    reason = "Children's Social Care's return is on its way"
    response = _post(
        coordinator_client,
        "audits:case_unlock",
        moderation,
        first.pk,
        data={"reason": reason},
        follow=True,
    )
    assert "Case T-E-01 unlocked" in text_of(response)
    assert "Unlocked: re-ratify" in text_of(response)
    record = ChangeRecord.objects.filter(object_type="audits.case").last()
    assert record.reason == reason
    meeting = text_of(coordinator_client.get(reverse("audits:meeting", args=[moderation.pk])))
    assert "0 of 2 cases ratified" in meeting and "Unlocked: re-ratify" in meeting


# --- Moving to reporting -------------------------------------------------------------------------


def test_reporting_is_refused_listing_what_is_missing_then_allowed(
    moderation, first, second, coordinator, coordinator_client
):
    f.RatificationFactory(case=first, grade="inadequate")
    first.locked_at = timezone.now()
    first.save()
    response = _post(coordinator_client, "audits:reporting_start", moderation)
    assert response.status_code == 400
    page = text_of(response)
    assert "The audit has not moved to reporting" in page
    assert "Case T-E-01 is inadequate and has no immediate action" in page
    assert "Case T-N-01 is not ratified" in page
    moderation.refresh_from_db()
    assert moderation.status == AuditStatus.MODERATION

    _immediate_action(first)
    f.RatificationFactory(case=second, grade="not_scored", reason="Insufficient information")
    meeting = reverse("audits:meeting", args=[moderation.pk])
    page = text_of(coordinator_client.get(meeting))
    assert "Case T-N-01 was unlocked: ratify it again" in page  # ratified but never locked
    second.locked_at = timezone.now()
    second.save()
    page = text_of(coordinator_client.get(meeting))
    assert "2 of 2 cases ratified" in page and "Move to reporting" in page

    response = _post(coordinator_client, "audits:reporting_start", moderation, follow=True)
    assert "The audit has moved to reporting" in text_of(response)
    moderation.refresh_from_db()
    assert moderation.status == AuditStatus.REPORTING


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "with_case"),
    [
        ("audits:moderation_start", False),
        ("audits:meeting", False),
        ("audits:meeting_case", True),
        ("audits:case_ratify", True),
        ("audits:immediate_action_add", True),
        ("audits:reporting_start", False),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_police_auditor_may_not_open_the_meeting(
    name, with_case, method, moderation, first, police_auditor, client_for
):
    args = [moderation.pk, first.pk] if with_case else [moderation.pk]
    response = getattr(client_for(police_auditor), method)(reverse(name, args=args))
    assert response.status_code == 403
    assert not Ratification.objects.exists()
    moderation.refresh_from_db()
    assert moderation.status == AuditStatus.MODERATION
