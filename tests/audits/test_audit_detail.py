from django.urls import reverse

from tests.pages import text_of


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
