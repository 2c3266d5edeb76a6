import datetime

import time_machine
from django.urls import reverse

from tests.flagging import at, next_weekday, raise_flag
from tests.pages import text_of

DAY = datetime.timedelta(days=1)


def test_the_coordinator_sees_every_case_and_agency(audit, coordinator, client_for):
    page = text_of(client_for(coordinator).get(reverse("audits:detail", args=[audit.pk])))
    assert "T-E-01" in page and "T-N-01" in page
    assert "Police on case T-E-01: Submitted" in page


def test_an_agency_auditor_sees_only_cases_their_agency_is_involved_in(
    audit, police_auditor, client_for
):
    page = client_for(police_auditor).get(reverse("audits:detail", args=[audit.pk]))
    text = page.content.decode()
    assert "T-E-01" in text and "T-N-01" not in text
    assert "Children&#x27;s Social Care" not in text  # other agencies' requests stay hidden


def test_an_agency_sees_its_own_record_number_and_no_other(
    audit, police_auditor, agency_lead, client_for
):
    police_request = audit.requests.get(agency__name="Police")
    police_request.agency_record_number = "PND-4471"
    police_request.save()
    assert (
        "PND-4471"
        in client_for(police_auditor)
        .get(reverse("audits:detail", args=[audit.pk]))
        .content.decode()
    )
    assert (
        "PND-4471"
        not in client_for(agency_lead)
        .get(reverse("audits:detail", args=[audit.pk]))
        .content.decode()
    )


def test_a_board_member_sees_no_case_level_data(audit, board_member, client_for):
    page = client_for(board_member).get(reverse("audits:detail", args=[audit.pk])).content.decode()
    assert audit.title in page
    assert "T-E-01" not in page and "missing episode" not in page


def _top(client, audit) -> str:
    """What the audit's page shows above its h1."""
    page = client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    return page[: page.index("<h1")]


def test_the_audit_page_carries_the_flag_banner_for_whoever_sees_the_case(
    audit,
    csc_request,
    csc_auditor,
    coordinator,
    agency_lead,
    police_auditor,
    board_member,
    client_for,
):
    friday = next_weekday(4)
    raise_flag(csc_request, csc_auditor, friday)

    with time_machine.travel(at(friday + 4 * DAY, 9), tick=False):
        coordinators = _top(client_for(coordinator), audit)
        leads = _top(client_for(agency_lead), audit)
        polices = _top(client_for(police_auditor), audit)
        boards = _top(client_for(board_member), audit)

    assert "Immediate action required" in coordinators
    assert "Case T-E-01, Children&#x27;s Social Care</a>, flagged 4 days ago" in coordinators
    assert 'govuk-tag--red">Overdue' in coordinators
    assert "Case T-E-01" in leads
    assert "Immediate action required" not in polices + boards
