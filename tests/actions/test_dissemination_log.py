"""The dissemination log (decision 71): where a published report or briefing went, when, and how
many people it reached; refusals naming their field; who records, changes and removes; and
`reached_between`, which the yearly report counts with."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.actions.dissemination import (
    DisseminationInvalid,
    dissemination_add,
    dissemination_change,
    dissemination_remove,
    reached_between,
)
from maca.actions.models import Channel, Dissemination
from maca.history.models import ChangeRecord
from tests import factories as f


@pytest.fixture
def briefing(audit):
    return f.published_briefing(f.published_report(audit, with_pdf=False))


def _add(audit, what, by, **changes):
    fields = {
        "channel": Channel.TEAM_MEETING,
        "recipient": "Duty team, East",
        "agency": None,
        "sent_on": timezone.localdate(),
        "people_reached": 12,
        **changes,
    }
    return dissemination_add(audit=audit, what=what, by=by, **fields)


def test_a_briefing_and_a_report_are_logged_with_the_people_they_reached(
    audit, briefing, coordinator
):
    _add(audit, briefing, coordinator, people_reached=12)
    _add(audit, briefing.report_edition, coordinator, channel=Channel.OTHER, people_reached=0)

    rows = Dissemination.objects.order_by("pk")
    assert [row.what for row in rows] == [
        "Learning briefing, edition 1",
        "Report, edition 1",
    ]
    assert [row.people_reached for row in rows] == [12, 0]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"people_reached": -3}, "people_reached", "cannot be negative"),
        ({"people_reached": None}, "people_reached", "whole number"),
        ({"channel": "carrier_pigeon"}, "channel", "Choose where it went"),
        ({"channel": Channel.OTHER, "recipient": "  "}, "recipient", "Say where it went"),
        ({"sent_on": None}, "sent_on", "Enter the date"),
        ({"sent_on": timezone.localdate() + datetime.timedelta(days=1)}, "sent_on", "future"),
        ({"sent_on": timezone.localdate() - datetime.timedelta(days=1)}, "sent_on", "before"),
    ],
)
def test_a_row_is_refused_naming_its_field(audit, briefing, coordinator, changes, field, words):
    with pytest.raises(DisseminationInvalid) as refused:
        _add(audit, briefing, coordinator, **changes)
    assert field in refused.value.errors
    assert words in refused.value.errors[field]
    assert not Dissemination.objects.exists()


def test_another_audits_briefing_is_refused(audit, briefing, coordinator, planning_audit):
    with pytest.raises(DisseminationInvalid) as refused:
        _add(planning_audit, briefing, coordinator)
    assert set(refused.value.errors) == {"what"}


def test_a_row_is_changed_and_removed_with_its_history(audit, briefing, coordinator):
    row = _add(audit, briefing, coordinator, people_reached=12)
    dissemination_change(
        dissemination=row,
        what=briefing,
        channel=Channel.TRAINING,
        recipient="Refresher course",
        agency=None,
        sent_on=timezone.localdate(),
        people_reached=30,
        by=coordinator,
    )
    row.refresh_from_db()
    assert (row.channel, row.people_reached) == (Channel.TRAINING, 30)
    dissemination_remove(dissemination=row, by=coordinator)
    assert not Dissemination.objects.exists()
    kept = ChangeRecord.objects.filter(object_type="actions.dissemination").values_list(
        "action", flat=True
    )
    assert sorted(kept) == ["create", "delete", "update"]


def test_reached_between_counts_the_people_in_the_period_only(
    audit, briefing, coordinator, partnership, other_audit
):
    today = timezone.localdate()
    in_period = [f.dissemination(briefing, people_reached=n) for n in (12, 30)]
    f.dissemination(briefing.report_edition, people_reached=5)
    before = f.dissemination(briefing, people_reached=100)
    Dissemination.objects.filter(pk=before.pk).update(sent_on=today - datetime.timedelta(days=400))
    f.dissemination(briefing, people_reached=None)  # from before the log counted people
    theirs = f.published_briefing(f.published_report(other_audit, with_pdf=False))
    f.dissemination(theirs, people_reached=1000)

    start, end = today - datetime.timedelta(days=365), today
    assert reached_between(partnership, start, end) == 12 + 30 + 5
    assert reached_between(partnership, start, end, what="briefings") == 42
    assert reached_between(partnership, start, end, what="reports") == 5
    assert reached_between(partnership, today - datetime.timedelta(days=500), end) == 147
    assert len(in_period) == 2


def test_the_log_page_lists_the_rows_with_their_total(audit, briefing, coordinator, client_for):
    f.dissemination(briefing, people_reached=12)
    f.dissemination(
        briefing.report_edition, channel="other", recipient="The board", people_reached=8
    )
    page = client_for(coordinator).get(reverse("audits:dissemination", args=[audit.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Recorded: 2, reaching 20 people" in text
    assert "Other: The board" in text


def test_a_negative_number_is_refused_on_the_page_naming_the_field(
    audit, briefing, coordinator, client_for
):
    today = timezone.localdate()
    response = client_for(coordinator).post(
        reverse("audits:dissemination", args=[audit.pk]),
        {
            "what": f"briefing-{briefing.pk}",
            "channel": "newsletter",
            "sent_on-day": today.day,
            "sent_on-month": today.month,
            "sent_on-year": today.year,
            "people_reached": "-4",
        },
    )
    assert response.status_code == 400
    assert "The number of people reached cannot be negative" in response.content.decode()
    assert not Dissemination.objects.exists()


def test_an_agency_lead_records_for_their_own_agency_and_changes_only_theirs(
    audit, briefing, agency_lead, agencies, client_for
):
    client = client_for(agency_lead)
    today = timezone.localdate()
    response = client.post(
        reverse("audits:dissemination", args=[audit.pk]),
        {
            "what": f"briefing-{briefing.pk}",
            "channel": "team_meeting",
            "recipient": "Assessment team",
            "sent_on-day": today.day,
            "sent_on-month": today.month,
            "sent_on-year": today.year,
            "people_reached": "7",
        },
    )
    assert response.status_code == 302
    theirs = Dissemination.objects.get()
    assert theirs.agency == agencies["Children's Social Care"]
    others = f.dissemination(briefing, agency=agencies["Police"])

    edit = "audits:dissemination_edit"
    assert client.get(reverse(edit, args=[audit.pk, theirs.pk])).status_code == 200
    assert client.get(reverse(edit, args=[audit.pk, others.pk])).status_code == 404
    gone = client.post(reverse("audits:dissemination_delete", args=[audit.pk, others.pk]))
    assert gone.status_code == 404
    assert Dissemination.objects.count() == 2


def test_agency_auditors_and_the_board_do_not_keep_the_log(
    audit, briefing, police_auditor, board_member, client_for
):
    for person in (police_auditor, board_member):
        page = client_for(person).get(reverse("audits:dissemination", args=[audit.pk]))
        assert page.status_code == 403
