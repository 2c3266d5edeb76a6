"""The pages of recommendations, actions and their progress, dissemination and closing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.actions.models import Action, ActionStatus, Dissemination
from maca.audits.models import AuditStatus
from tests import factories as f
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitoring(audit):
    audit.status = AuditStatus.MONITORING
    audit.save()
    return audit


@pytest.fixture
def police_action(monitoring, agencies):
    recommendation = f.RecommendationFactory(audit=monitoring)
    return f.ActionFactory(
        recommendation=recommendation,
        agency=agencies["Police"],
        description="Brief every response officer on sharing with GPs.",
        due=timezone.localdate() + datetime.timedelta(days=90),
    )


@pytest.fixture
def health_action(monitoring, agencies):
    return f.ActionFactory(
        recommendation=f.RecommendationFactory(audit=monitoring),
        agency=agencies["Health Provider"],
        description="Health's own work.",
    )


def test_the_coordinator_adds_a_recommendation_and_an_action(
    monitoring, agencies, coordinator, client_for
):
    client = client_for(coordinator)
    theme = monitoring.themes.first()
    response = client.post(
        reverse("audits:recommendations", args=[monitoring.pk]),
        {"text": "Share with GPs at every review.", "themes": [theme.pk]},
    )
    assert response.status_code == 302
    recommendation = monitoring.recommendations.get()

    response = client.post(
        reverse("audits:action_add", args=[monitoring.pk, recommendation.pk]),
        {
            "agency": agencies["Police"].pk,
            "owner": "DI Shaw",
            "description": "Add the GP to every strategy discussion.",
            "due": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    page = text_of(client.get(reverse("audits:recommendations", args=[monitoring.pk])))
    assert "Share with GPs at every review." in page
    assert "Add the GP to every strategy discussion." in page
    assert "Answers: Information sharing with GPs" in page


def test_a_bad_action_names_each_field(monitoring, coordinator, client_for):
    recommendation = f.RecommendationFactory(audit=monitoring)
    response = client_for(coordinator).post(
        reverse("audits:action_add", args=[monitoring.pk, recommendation.pk]),
        {"agency": "", "owner": "", "description": "", "due": "31/02/2027"},
    )
    assert response.status_code == 400
    page = text_of(response)
    for message in (
        "Choose the agency that owns the action",
        "Enter the name of the person who owns the action",
        "Describe what will be done",
        "Due date must be a real date",
    ):
        assert message in page
    assert not Action.objects.exists()


def test_the_police_auditor_records_progress_to_completion(
    police_action, police_auditor, client_for
):
    client = client_for(police_auditor)
    page_url = reverse("actions:detail", args=[police_action.pk])
    assert "Brief every response officer" in text_of(client.get(page_url))

    refused = client.post(page_url, {"note": "All briefed.", "status": "complete", "version": 1})
    assert refused.status_code == 400
    assert "Say what changed as a result" in text_of(refused)

    done = client.post(
        page_url,
        {
            "note": "All briefed.",
            "status": "complete",
            "impact": "Officers now call the GP in every case.",
            "version": 1,
        },
    )
    assert done.status_code == 302
    police_action.refresh_from_db()
    assert police_action.status == ActionStatus.COMPLETE
    assert "Officers now call the GP in every case." in text_of(client.get(page_url))


def test_an_agency_user_cannot_see_or_change_another_agencys_action(
    health_action, police_auditor, client_for
):
    client = client_for(police_auditor)
    page_url = reverse("actions:detail", args=[health_action.pk])
    assert client.get(page_url).status_code == 404
    response = client.post(page_url, {"note": "x", "status": "open", "version": 1})
    assert response.status_code == 404
    assert not health_action.updates.exists()


def test_a_stale_progress_form_is_refused_and_keeps_what_was_typed(
    police_action, police_auditor, agency_lead, coordinator, client_for
):
    url = reverse("actions:detail", args=[police_action.pk])
    client_for(coordinator).post(url, {"note": "Started.", "status": "in_progress", "version": 1})

    response = client_for(police_auditor).post(
        url, {"note": "My typed note.", "status": "open", "version": 1}
    )

    assert response.status_code == 409
    assert "My typed note." in response.content.decode()
    assert police_action.updates.count() == 1


def test_dissemination_is_recorded(monitoring, coordinator, client_for):
    edition = f.published_report(monitoring, with_pdf=False)
    today = timezone.localdate()
    response = client_for(coordinator).post(
        reverse("audits:dissemination", args=[monitoring.pk]),
        {
            "what": f"report-{edition.pk}",
            "channel": "other",
            "recipient": "Improvement board",
            "sent_on-day": today.day,
            "sent_on-month": today.month,
            "sent_on-year": today.year,
            "people_reached": "9",
        },
    )
    assert response.status_code == 302
    row = Dissemination.objects.get()
    assert (row.recipient, row.edition, row.people_reached) == ("Improvement board", edition, 9)


def test_the_close_page_says_what_blocks_closing(
    police_action, monitoring, coordinator, client_for
):
    client = client_for(coordinator)
    url = reverse("audits:close", args=[monitoring.pk])

    page = text_of(client.get(url))
    assert "The report has not been published" in page
    assert "Action of Police" in page

    response = client.post(url)
    assert response.status_code == 400
    monitoring.refresh_from_db()
    assert monitoring.status == AuditStatus.MONITORING


def test_a_stale_action_edit_is_refused_and_saves_when_sent_again(
    police_action, agencies, coordinator, client_for
):
    """The refused form keeps what was typed and carries the version now saved: sending it
    again, knowingly, saves it."""
    url = reverse("actions:edit", args=[police_action.pk])
    due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    fields = {"agency": agencies["Police"].pk, "due": due, "version": police_action.version}
    first = client_for(coordinator).post(
        url, fields | {"owner": "Inspector Hale", "description": "Brief every officer."}
    )
    assert first.status_code == 302

    typed = fields | {"owner": "Sergeant Okafor", "description": "My typed description."}
    refused = client_for(coordinator).post(url, typed)
    assert refused.status_code == 409
    assert "My typed description." in refused.content.decode()
    police_action.refresh_from_db()
    assert police_action.owner == "Inspector Hale"

    again = client_for(coordinator).post(url, typed | {"version": police_action.version})
    assert again.status_code == 302
    police_action.refresh_from_db()
    assert police_action.owner == "Sergeant Okafor"
    assert f'name="version" value="{police_action.version - 1}"' in refused.content.decode()
