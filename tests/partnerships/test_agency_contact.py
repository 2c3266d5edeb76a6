"""An agency's contact address: a shared inbox that gets every e-mail maca sends the agency,
set by a coordinator (the agencies page, or from sending the requests and tracking)."""

from django.urls import reverse

from maca.history.models import ChangeRecord
from maca.partnerships.models import Agency
from tests import factories as f


def _contact(agency) -> str:
    return reverse("agencies:contact", args=[agency.pk])


def test_the_agencies_page_says_who_hears_at_each_agency(
    coordinator, agency_lead, police_auditor, agencies, client_for
):
    agencies["Health Provider"].contact_email = "inbox@health.example.org"
    agencies["Health Provider"].save()
    page = client_for(coordinator).get(reverse("agencies:list")).content.decode()
    assert "csc.lead@example.org" in page and "police@example.org" in page
    assert "inbox@health.example.org" in page
    # Nobody hears at an agency whose only auditor was disabled.
    police_auditor.is_active = False
    police_auditor.save()
    page = client_for(coordinator).get(reverse("agencies:list")).content.decode()
    assert "Its one auditor or lead has been disabled, and it has no contact address." in page


def test_a_coordinator_sets_the_contact_address_and_the_history_records_it(
    coordinator, agencies, client_for
):
    police = agencies["Police"]
    response = client_for(coordinator).post(
        _contact(police), {"contact_email": " safeguarding@police.example.org ", "was": ""}
    )
    assert response.status_code == 302 and response["Location"] == reverse("agencies:list")
    police.refresh_from_db()
    assert police.contact_email == "safeguarding@police.example.org"
    record = ChangeRecord.objects.filter(
        object_type="partnerships.agency", object_id=str(police.pk)
    )
    change = record.latest("id")
    assert change.user == coordinator and change.after["contact_email"] == police.contact_email


def test_an_address_in_the_wrong_format_is_refused_naming_the_field(
    coordinator, agencies, client_for
):
    response = client_for(coordinator).post(
        _contact(agencies["Police"]), {"contact_email": "police at example", "was": ""}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert 'href="#id_contact_email"' in text and "in the right format" in text
    assert Agency.objects.get(pk=agencies["Police"].pk).contact_email == ""


def test_a_change_made_meanwhile_by_another_coordinator_is_not_overwritten(
    coordinator, agencies, client_for
):
    police = agencies["Police"]
    police.contact_email = "theirs@police.example.org"
    police.save()
    response = client_for(coordinator).post(
        _contact(police), {"contact_email": "mine@police.example.org", "was": ""}
    )
    assert response.status_code == 400
    assert "Another coordinator changed this" in response.content.decode()
    police.refresh_from_db()
    assert police.contact_email == "theirs@police.example.org"


def test_it_goes_back_to_the_page_it_came_from_but_never_off_site(
    coordinator, agencies, client_for
):
    client = client_for(coordinator)
    police = agencies["Police"]
    back = reverse("notices:outbox")
    response = client.post(_contact(police) + f"?next={back}", {"contact_email": "", "was": ""})
    assert response["Location"] == back
    response = client.post(
        _contact(police), {"contact_email": "", "was": "", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("agencies:list")


def test_another_partnerships_agency_is_not_found(coordinator, other_partnership, client_for):
    theirs = f.AgencyFactory(partnership=other_partnership, name="Police")
    assert client_for(coordinator).get(_contact(theirs)).status_code == 404
