"""The meeting at the speed of the room: ratify and go on to the next case in one POST, the date
the meeting was held asked with the last case, the cases with no returns marked not scored at
once, and presenter mode."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.history.models import ChangeRecord
from maca.meetings.models import Meeting, Ratification
from maca.meetings.services import NO_RETURNS_REASON, case_ratify
from tests import factories as f
from tests.pages import text_of


@pytest.fixture
def cases(moderation):
    return {case.reference: case for case in moderation.cases.all()}


def _ratify(client, audit, case, **data):
    url = reverse("audits:case_ratify", args=[audit.pk, case.pk])
    return client.post(url, data)


def _case_url(audit, case) -> str:
    return reverse("audits:meeting_case", args=[audit.pk, case.pk])


def test_ratify_and_go_to_the_next_case_lands_on_the_next_case_to_ratify(
    moderation, cases, coordinator_client, coordinator, agencies
):
    third = f.CaseFactory(audit=moderation, reference="T-S-01", area=cases["T-E-01"].area)
    f.ReturnFactory(request=f.RequestFactory(case=third, agency=agencies["Police"]), grade="good")
    # The second is ratified already: the walk passes it by.
    case_ratify(
        case=cases["T-N-01"],
        by=coordinator,
        grade="not_scored",
        reason="Insufficient information to grade",
    )
    response = _ratify(coordinator_client, moderation, cases["T-E-01"], grade="good", then="next")
    assert response.status_code == 302
    assert response["Location"] == _case_url(moderation, third)
    assert Ratification.objects.get(case=cases["T-E-01"]).grade == "good"


def test_plain_ratify_stays_on_the_case(moderation, cases, coordinator_client):
    response = _ratify(coordinator_client, moderation, cases["T-E-01"], grade="good", then="stay")
    assert response["Location"] == _case_url(moderation, cases["T-E-01"])


def test_the_page_offers_both_buttons_the_primary_first(moderation, cases, coordinator_client):
    html = coordinator_client.get(_case_url(moderation, cases["T-E-01"])).content.decode()
    primary = html.index('value="next"')
    assert "Ratify and go to the next case" in html
    assert primary < html.index('value="stay"')


def test_the_last_case_asks_the_date_the_meeting_was_held_when_none_is_recorded(
    moderation, cases, coordinator_client, coordinator
):
    today = timezone.localdate()
    moderation.meeting_date = None
    moderation.returns_due = today - datetime.timedelta(days=14)
    moderation.save()
    case_ratify(case=cases["T-E-01"], by=coordinator, grade="good")
    last = cases["T-N-01"]
    page = text_of(coordinator_client.get(_case_url(moderation, last)))
    assert "Date the meeting was held" in page and "Ratify and go back to the meeting" in page

    data = {"grade": "not_scored", "reason": "No returns", "then": "next"}
    response = _ratify(coordinator_client, moderation, last, **data)
    assert response.status_code == 400
    assert "Enter the date the meeting was held" in text_of(response)
    assert 'href="#ratify-held_on"' in response.content.decode()
    assert not Ratification.objects.filter(case=last).exists()

    response = _ratify(
        coordinator_client, moderation, last, **data, **{"held_on-day": "3", "held_on-year": "2026"}
    )
    assert "Date the meeting was held must include a month" in text_of(response)

    response = _ratify(
        coordinator_client,
        moderation,
        last,
        **data,
        **{"held_on-day": "31", "held_on-month": "2", "held_on-year": str(today.year)},
    )
    assert "Date the meeting was held must be a real date" in text_of(response)

    # Before returns were due: the meeting's rule, on the field, and nothing ratified.
    early = moderation.returns_due - datetime.timedelta(days=1)
    parts = {"held_on-day": early.day, "held_on-month": early.month, "held_on-year": early.year}
    response = _ratify(coordinator_client, moderation, last, **data, **parts)
    assert response.status_code == 400
    assert "on or after the date returns are due" in text_of(response)
    assert not Ratification.objects.filter(case=last).exists()

    held = today - datetime.timedelta(days=1)
    parts = {"held_on-day": held.day, "held_on-month": held.month, "held_on-year": held.year}
    response = _ratify(coordinator_client, moderation, last, **data, **parts)
    assert response["Location"] == reverse("audits:meeting", args=[moderation.pk])
    moderation.refresh_from_db()
    assert moderation.meeting_date == held
    assert Meeting.objects.get(audit=moderation).held_on == held
    assert Ratification.objects.get(case=last).grade == "not_scored"
    assert ChangeRecord.objects.filter(object_type="meetings.meeting").exists()


def test_the_last_case_does_not_ask_when_the_meeting_date_is_recorded(
    moderation, cases, coordinator_client, coordinator
):
    case_ratify(case=cases["T-E-01"], by=coordinator, grade="good")
    page = text_of(coordinator_client.get(_case_url(moderation, cases["T-N-01"])))
    assert "Date the meeting was held" not in page
    data = {"grade": "not_scored", "reason": "No returns", "then": "next"}
    response = _ratify(coordinator_client, moderation, cases["T-N-01"], **data)
    assert response["Location"] == reverse("audits:meeting", args=[moderation.pk])


def test_the_cases_with_no_returns_are_checked_then_marked_not_scored_at_once(
    moderation, cases, coordinator_client
):
    meeting_page = text_of(coordinator_client.get(reverse("audits:meeting", args=[moderation.pk])))
    assert "Mark the 1 case with no returns as not scored: no returns received" in meeting_page
    assert "Start with the first case" in meeting_page

    url = reverse("audits:cases_without_returns", args=[moderation.pk])
    page = text_of(coordinator_client.get(url))
    assert "Case T-N-01" in page and "Case T-E-01" not in page

    response = coordinator_client.post(url)
    assert response["Location"] == reverse("audits:meeting", args=[moderation.pk])
    ratification = Ratification.objects.get(case=cases["T-N-01"])
    assert (ratification.grade, ratification.reason) == ("not_scored", NO_RETURNS_REASON)
    assert not Ratification.objects.filter(case=cases["T-E-01"]).exists()
    cases["T-N-01"].refresh_from_db()
    assert cases["T-N-01"].locked_at is not None
    assert ChangeRecord.objects.filter(
        object_type="meetings.ratification", object_id=str(ratification.pk)
    ).exists()

    # Nothing left to mark: the page says so, and a second POST is refused with a message.
    assert "Every case not yet ratified has at least one return" in text_of(
        coordinator_client.get(url)
    )
    response = coordinator_client.post(url)
    assert response.status_code == 400 and "No case is waiting" in text_of(response)


def test_marking_the_cases_with_no_returns_waits_for_moderation(audit, coordinator_client):
    response = coordinator_client.post(reverse("audits:cases_without_returns", args=[audit.pk]))
    assert response.status_code == 400
    assert "only while the audit is in moderation" in text_of(response)
    assert not Ratification.objects.exists()


def test_presenter_mode_is_kept_in_the_session_not_the_address(
    moderation, cases, coordinator_client
):
    url = _case_url(moderation, cases["T-E-01"])
    assert "maca-presenter" not in coordinator_client.get(url).content.decode()
    response = coordinator_client.get(url + "?presenter=on")
    assert response.status_code == 302 and response["Location"] == url
    html = coordinator_client.get(url).content.decode()
    assert "maca-presenter" in html and "govuk-template__header" not in html
    assert "Leave presenter mode" in html
    # It follows the meeting from case to case.
    next_url = _case_url(moderation, cases["T-N-01"])
    assert "maca-presenter" in coordinator_client.get(next_url).content.decode()
    coordinator_client.get(url + "?presenter=off")
    assert "govuk-template__header" in coordinator_client.get(url).content.decode()


def test_the_shortcuts_are_listed_on_the_page(moderation, cases, coordinator_client):
    page = text_of(coordinator_client.get(_case_url(moderation, cases["T-E-01"])))
    assert "Keyboard shortcuts" in page and "n next case, p previous case" in page
