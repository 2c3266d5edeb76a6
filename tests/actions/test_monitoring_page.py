"""The monitoring page: who opens it, its filters (a plain GET form), and refusing bad input."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.pages import text_of

from . import monitoring_scene as scene

pytestmark = pytest.mark.django_db

URL = "/actions/"


@pytest.fixture
def actions(audit, agencies, other_audit):
    return scene.build(audit, agencies, other_audit)


def shown(response) -> list[str]:
    return [row.action.description for row in response.context["rows"]]


def test_the_page_is_at_actions(coordinator, client_for):
    assert reverse("actions:monitoring") == URL
    assert client_for(coordinator).get(URL).status_code == 200


def test_board_member_may_not_open_it(actions, board_member, client_for):
    assert client_for(board_member).get(URL).status_code == 403
    assert client_for(board_member).get(reverse("actions:monitoring_csv")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_police_auditor_sees_police_actions_and_never_healths(actions, police_auditor, client_for):
    page = text_of(client_for(police_auditor).get(URL, {"show": "all"}))
    for description in (scene.LATE, scene.LATER, scene.DONE, scene.ELSEWHERE_AUDIT):
        assert description in page
    assert scene.SOON not in page
    assert scene.IMMEDIATE not in page


def test_another_partnerships_coordinator_sees_none_of_ours(
    actions, other_partnership_coordinator, client_for
):
    response = client_for(other_partnership_coordinator).get(URL, {"show": "all"})
    assert shown(response) == [scene.OTHER_PARTNERSHIP]
    assert scene.LATE not in text_of(response)


def test_the_table_says_the_rag_in_words(actions, coordinator, client_for):
    response = client_for(coordinator).get(URL)
    page = text_of(response)
    assert "5 actions, of which 1 overdue" in page
    html = response.content.decode()
    assert re.search(r'govuk-tag--red">Overdue<', html)
    assert re.search(r'govuk-tag--yellow">At risk<', html)
    assert re.search(r'govuk-tag--green">On track<', html)
    assert "Overdue by 10 days" in page
    assert "Due within 4 weeks and not started" in page
    assert "Owner: Named GP lead" in page


def test_a_complete_action_shows_a_grey_tag(actions, coordinator, client_for):
    html = client_for(coordinator).get(URL, {"show": "all"}).content.decode()
    assert re.search(r'govuk-tag--grey">Complete<', html)


def test_each_action_links_to_its_page_and_audit(actions, coordinator, client_for):
    html = client_for(coordinator).get(URL).content.decode()
    late = actions[scene.LATE]
    assert f'href="{reverse("actions:detail", args=[late.pk])}"' in html
    assert f'href="{reverse("audits:detail", args=[late.audit_id])}"' in html


def test_an_audit_the_viewer_may_not_open_is_named_without_a_link(
    actions, health_auditor, client_for
):
    response = client_for(health_auditor).get(URL)
    assert "Transitions to adult services" in text_of(response)
    audit_id = actions[scene.SOON].audit_id
    assert reverse("audits:detail", args=[audit_id]) not in response.content.decode()


def test_filters_are_a_get_form_that_works_without_javascript(
    actions, coordinator, agencies, client_for
):
    client = client_for(coordinator)
    html = client.get(URL).content.decode()
    form = re.search(r'<form method="get" action="/actions/"[^>]*>.*?</form>', html, re.S).group()
    for name in ("audit", "agency", "theme", "immediate", "show"):
        assert f'name="{name}"' in form
    assert 'type="submit"' in form
    health = agencies["Health Provider"].pk
    assert shown(client.get(URL, {"agency": health})) == [scene.SOON]
    assert shown(client.get(URL, {"immediate": "yes"})) == [scene.IMMEDIATE]
    assert scene.IMMEDIATE not in shown(client.get(URL, {"immediate": "no"}))
    elsewhere = actions[scene.ELSEWHERE_AUDIT].audit_id
    assert shown(client.get(URL, {"audit": elsewhere})) == [scene.ELSEWHERE_AUDIT]
    assert sorted(shown(client.get(URL, {"theme": scene.NEGLECT}))) == sorted(
        [scene.SOON, scene.LATER]
    )
    assert scene.DONE in shown(client.get(URL, {"show": "all"}))
    assert scene.DONE not in shown(client.get(URL, {"show": "open"}))


def test_the_chosen_filters_stay_chosen(actions, coordinator, agencies, client_for):
    health = agencies["Health Provider"].pk
    html = client_for(coordinator).get(URL, {"agency": health, "show": "all"}).content.decode()
    assert f'<option value="{health}" selected>Health Provider</option>' in html
    assert re.search(r'value="all"\s+checked', html)


def test_downloads_keep_the_filters(actions, coordinator, agencies, client_for):
    health = agencies["Health Provider"].pk
    html = client_for(coordinator).get(URL, {"agency": health, "show": "all"}).content.decode()
    assert f'href="/actions/export.csv?agency={health}&amp;show=all"' in html
    assert f'href="/actions/export.docx?agency={health}&amp;show=all"' in html


def test_an_agency_user_has_no_agency_choice(actions, police_auditor, client_for):
    response = client_for(police_auditor).get(URL)
    assert '<select class="govuk-select" id="id_agency"' not in response.content.decode()
    assert "Agency Police" in text_of(response)


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"audit": "abc"}, "Choose an audit from the list"),
        ({"audit": "99999999999999999999"}, "Choose an audit from the list"),
        ({"theme": "No such theme"}, "Choose a theme from the list"),
        ({"immediate": "maybe"}, "Choose a kind of action from the list"),
        ({"show": "everything"}, "Choose open actions or all actions"),
        ({"agency": "abc"}, "Choose an agency from the list"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(params, message, actions, coordinator, client_for):
    for name in ("actions:monitoring", "actions:monitoring_csv", "actions:monitoring_docx"):
        response = client_for(coordinator).get(reverse(name), params)
        assert response.status_code == 400
        page = text_of(response)
        assert "There is a problem" in page
        assert message in page
        field = next(iter(params))
        assert f'href="#id_{field}' in response.content.decode()
        assert scene.LATE not in page  # no list at all


def test_another_partnerships_audit_is_refused(actions, coordinator, other_audit, client_for):
    response = client_for(coordinator).get(URL, {"audit": other_audit.pk})
    assert response.status_code == 400
    assert "Choose an audit from the list" in text_of(response)
    assert scene.OTHER_PARTNERSHIP not in text_of(response)


def test_another_partnerships_agency_is_refused(actions, coordinator, other_audit, client_for):
    theirs = actions[scene.OTHER_PARTNERSHIP].agency_id
    response = client_for(coordinator).get(URL, {"agency": theirs})
    assert response.status_code == 400
    assert scene.OTHER_PARTNERSHIP not in text_of(response)


def test_an_agency_user_may_not_choose_another_agency(
    actions, police_auditor, agencies, client_for
):
    health = agencies["Health Provider"].pk
    for name in ("actions:monitoring", "actions:monitoring_csv", "actions:monitoring_docx"):
        response = client_for(police_auditor).get(reverse(name), {"agency": health})
        assert response.status_code == 400
        page = text_of(response)
        assert "You can only see your own agency's actions" in page
        assert scene.SOON not in page
        assert 'id="id_agency"' in response.content.decode()  # the summary's link lands


def test_an_agency_user_may_name_their_own_agency(actions, police_auditor, agencies, client_for):
    response = client_for(police_auditor).get(URL, {"agency": agencies["Police"].pk})
    assert response.status_code == 200
    assert scene.LATE in shown(response)


def test_an_audit_whose_actions_are_all_anothers_agencys_is_refused(
    actions, health_auditor, client_for
):
    """Health has no action in the Neglect audit: it is not among Health's choices."""
    elsewhere = actions[scene.ELSEWHERE_AUDIT].audit_id
    response = client_for(health_auditor).get(URL, {"audit": elsewhere})
    assert response.status_code == 400


# --- Navigation and queries -----------------------------------------------------------------


def test_the_service_navigation_links_to_actions(actions, coordinator, police_auditor, client_for):
    for user in (coordinator, police_auditor):
        html = client_for(user).get(URL).content.decode()
        assert re.search(r'href="/actions/" aria-current="page">Actions</a>', html)
        home = client_for(user).get(reverse("home")).content.decode()
        assert re.search(r'href="/actions/">Actions</a>', home)


def test_board_members_have_no_actions_link(board_member, client_for):
    assert 'href="/actions/"' not in client_for(board_member).get(reverse("home")).content.decode()


def test_the_page_takes_the_same_queries_for_more_actions(
    actions, coordinator, agencies, client_for
):
    client = client_for(coordinator)
    client.get(URL)  # the session's first request settles its own queries

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    before = queries()
    recommendation = actions[scene.LATE].recommendation
    case = actions[scene.IMMEDIATE].case
    for i in range(20):
        f.ActionFactory(
            recommendation=recommendation,
            agency=agencies["Police"],
            description=f"More {i}",
            due=timezone.localdate(),
        )
        f.ActionFactory(
            recommendation=None,
            audit=case.audit,
            partnership=case.partnership,
            case=case,
            immediate=True,
            agency=agencies["Health Provider"],
            description=f"Immediate {i}",
            due=timezone.localdate(),
        )
    assert queries() == before
