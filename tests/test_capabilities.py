"""Capabilities in `maca.access`: one predicate per decision about a role or an agency's own
things, and `can` in every template asking them."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from maca import access

TEMPLATES = Path(__file__).resolve().parents[1] / "maca" / "templates"

EXPECTED = {
    # role: the capabilities that hold, of Can.NAMES
    "coordinator": {
        "coordinate",
        "see_cases",
        "follow_actions",
        "see_dashboard",
        "see_action_progress",
        "see_programme",
        "read_yearly_reports",
        "use_api",
        "record_dissemination",
    },
    "police_auditor": {"see_cases", "follow_actions", "act_for_agency", "use_api"},
    "agency_lead": {
        "see_cases",
        "follow_actions",
        "act_for_agency",
        "sign_off",
        "use_api",
        "record_dissemination",
    },
    "board_member": {
        "see_dashboard",
        "see_action_progress",
        "see_programme",
        "read_yearly_reports",
        "use_api",
    },
    "outsider": set(),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_may_do_what_the_domain_says(role, request, partnership):
    user = request.getfixturevalue(role)
    can = access.Can(access.viewer_as(user, partnership))

    assert {name for name in access.Can.NAMES if getattr(can, name)} == EXPECTED[role]


def test_asking_costs_no_query_once_the_viewer_is_known(
    agency_lead, partnership, django_assert_num_queries
):
    viewer = access.viewer_as(agency_lead, partnership)
    viewer.agency  # noqa: B018  (the membership's agency, read once)

    with django_assert_num_queries(0):
        [getattr(access.Can(viewer), name) for name in access.Can.NAMES]


def test_an_unknown_capability_is_refused_not_false(coordinator, partnership):
    with pytest.raises(AttributeError, match="No capability 'coordinat'"):
        access.Can(access.viewer_as(coordinator, partnership)).coordinat  # noqa: B018


def test_every_capability_a_template_asks_for_exists():
    asked = set()
    for path in TEMPLATES.rglob("*.html"):
        asked |= set(re.findall(r"\bcan\.(\w+)", path.read_text()))
    assert asked
    assert asked <= set(access.Can.NAMES), asked - set(access.Can.NAMES)


def test_no_template_decides_by_role():
    decides = re.compile(r"viewer\.(is_\w+|role\s*==)|{% if viewer\.role %}")
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if decides.search(line)
    ]
    assert found == []


def test_the_menu_offers_what_each_may_do(client_for, coordinator, police_auditor, board_member):
    links = {
        user: set(
            re.findall(r'href="([^"]+)"', client_for(user).get(reverse("home")).content.decode())
        )
        for user in (coordinator, police_auditor, board_member)
    }
    outbox, mine = reverse("notices:outbox"), reverse("requests:mine")
    dashboard, actions = reverse("learning:dashboard"), reverse("actions:monitoring")

    assert outbox in links[coordinator] and mine not in links[coordinator]
    assert mine in links[police_auditor] and dashboard not in links[police_auditor]
    assert dashboard in links[board_member] and actions not in links[board_member]


def test_agency_users_read_summaries_from_the_meeting_on(audit, police_auditor, partnership):
    viewer = access.viewer_as(police_auditor, partnership)
    assert not access.may_read_summaries(viewer, audit)  # collecting

    audit.status = "moderation"
    assert access.may_read_summaries(viewer, audit)


def test_a_return_is_its_own_agencys_to_edit(csc_request, csc_auditor, police_auditor, partnership):
    assert access.may_edit_return(access.viewer_as(csc_auditor, partnership), csc_request)
    assert not access.may_edit_return(access.viewer_as(police_auditor, partnership), csc_request)
    assert access.may_read_record_number is access.may_edit_return
