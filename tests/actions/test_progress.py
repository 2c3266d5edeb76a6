"""Action progress across audits, counted: the board reads it for audits whose report is
published, coordinators for every audit the dashboard counts; immediate actions and every
action's words stay out."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maca.access import viewer_as
from maca.actions.models import ActionStatus
from maca.actions.progress import action_progress
from maca.audits.models import AuditStatus
from tests import factories as f
from tests.pages import text_of

pytestmark = pytest.mark.django_db

URL = "/actions/progress/"


def _action(audit, agency, *, due_in: int, status=ActionStatus.IN_PROGRESS, words="", **more):
    today = timezone.localdate()
    recommendation = f.RecommendationFactory(audit=audit)
    return f.ActionFactory(
        recommendation=recommendation,
        agency=agency,
        due=today + datetime.timedelta(days=due_in),
        status=status,
        description=words or f"Action of {agency.name} due in {due_in} days",
        **more,
    )


@pytest.fixture
def scene(partnership, areas, agencies):
    """A published audit in monitoring with one action of each status (and an immediate action),
    and an audit in reporting, not yet published, with one overdue action."""
    published = f.AuditFactory(
        partnership=partnership, title="Published audit", status=AuditStatus.MONITORING
    )
    police, csc = agencies["Police"], agencies["Children's Social Care"]
    _action(published, police, due_in=-10, words="Police's overdue action, in words")
    _action(published, police, due_in=10, status=ActionStatus.OPEN)  # at risk
    _action(published, csc, due_in=200)  # on track
    _action(published, csc, due_in=-30, status=ActionStatus.COMPLETE)
    case = f.CaseFactory(audit=published, reference="P-E-01", area=areas["East"])
    f.ActionFactory(
        recommendation=None,
        audit=published,
        case=case,
        immediate=True,
        agency=police,
        due=timezone.localdate() - datetime.timedelta(days=1),
    )
    f.published_report(published)
    unpublished = f.AuditFactory(
        partnership=partnership, title="Audit being reported", status=AuditStatus.REPORTING
    )
    _action(unpublished, csc, due_in=-5)
    return published, unpublished


def _counts(progress):
    return {
        "all": progress.everything.cells,
        "audits": {audit.title: tally.cells for audit, tally in progress.by_audit},
        "agencies": {agency.name: tally.cells for agency, tally in progress.by_agency},
    }


def test_the_board_counts_the_published_audits_actions_by_status(scene, board_member):
    progress = action_progress(viewer_as(board_member), timezone.localdate())
    # complete, on track, at risk, overdue: the immediate action is not counted.
    assert _counts(progress) == {
        "all": [1, 1, 1, 1],
        "audits": {"Published audit": [1, 1, 1, 1]},
        "agencies": {"Children's Social Care": [1, 1, 0, 0], "Police": [0, 0, 1, 1]},
    }
    assert progress.in_words == "4 actions: 1 complete, 1 on track, 1 at risk and 1 overdue."


def test_a_coordinator_counts_the_audit_not_yet_published_too(scene, coordinator):
    progress = action_progress(viewer_as(coordinator), timezone.localdate())
    assert _counts(progress)["audits"] == {
        "Published audit": [1, 1, 1, 1],
        "Audit being reported": [0, 0, 0, 1],
    }
    assert progress.everything.total == 5


def test_the_count_is_one_query_however_many_actions(scene, coordinator, agencies):
    viewer, today = viewer_as(coordinator), timezone.localdate()
    with CaptureQueriesContext(connection) as few:
        action_progress(viewer, today)
    for n in range(5):
        _action(scene[0], agencies["Police"], due_in=n)
    with CaptureQueriesContext(connection) as more:
        action_progress(viewer, today)
    assert len(more) == len(few) == 1


def test_the_board_reads_counts_never_an_actions_words(scene, board_member, client_for):
    response = client_for(board_member).get(URL)
    assert response.status_code == 200
    page = text_of(response)
    assert "4 actions: 1 complete, 1 on track, 1 at risk and 1 overdue." in page
    assert "Police's overdue action, in words" not in page
    published = scene[0]
    content = response.content.decode()
    assert f'href="{reverse("audits:detail", args=[published.pk])}">Published audit</a>' in content
    assert "Children's Social Care 1 1 0 0 2" in page  # the agency's row: its counts, no words
    assert "Audit being reported" not in page
    # The board's "Actions" leads here, not to the monitoring page it may not open.
    assert f'href="{URL}"' in response.content.decode()
    assert f'href="{reverse("actions:monitoring")}"' not in response.content.decode()


def test_an_agency_user_may_not_open_it(scene, police_auditor, client_for):
    assert client_for(police_auditor).get(URL).status_code == 403


def test_the_monitoring_page_links_coordinators_to_it(coordinator, client_for):
    response = client_for(coordinator).get(reverse("actions:monitoring"))
    assert f'href="{URL}"' in response.content.decode()
