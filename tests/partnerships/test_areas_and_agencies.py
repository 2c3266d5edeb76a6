"""The partnership's areas and agencies, renamed by its coordinators: a name someone mistyped,
or one a page or a chart could not show, can be mended. Each rename is in the change history;
a rename made meanwhile by someone else is refused, never overwritten."""

import pytest
from django.urls import reverse

from maca.history.models import ChangeRecord
from maca.partnerships.models import Agency, Area
from tests import factories as f
from tests.pages import text_of

pytestmark = pytest.mark.django_db

LIST = reverse("partnerships:areas_and_agencies")


def area_url(area) -> str:
    return reverse("partnerships:area_edit", args=[area.pk])


def agency_url(agency) -> str:
    return reverse("partnerships:agency_edit", args=[agency.pk])


@pytest.fixture
def client(coordinator, client_for):
    return client_for(coordinator)


def test_a_coordinator_sees_the_areas_and_agencies_in_order(areas, agencies, client):
    page = text_of(client.get(LIST))

    assert "Areas East Change the name East North Change the name North Central" in page
    assert "Agencies Children's Social Care Change the name Children's Social Care Police" in page


def test_the_home_page_links_to_it_for_coordinators_only(areas, client, board_member, client_for):
    assert LIST in client.get(reverse("home")).content.decode()
    assert LIST not in client_for(board_member).get(reverse("home")).content.decode()


def test_a_coordinator_renames_an_area_and_the_history_records_it(areas, coordinator, client):
    east = areas["East"]

    response = client.post(area_url(east), {"name": "  Eastern   villages ", "version": "1"})

    assert response.status_code == 302 and response["Location"] == LIST
    assert "Saved: the area is now called Eastern villages." in text_of(client.get(LIST))
    east.refresh_from_db()
    assert (east.name, east.version) == ("Eastern villages", 2)
    record = ChangeRecord.objects.filter(object_type="partnerships.area").latest("id")
    assert (record.before["name"], record.after["name"]) == ("East", "Eastern villages")
    assert (record.user, record.via, record.partnership_id) == (
        coordinator,
        "web",
        east.partnership_id,
    )


def test_a_coordinator_renames_an_agency(agencies, client):
    police = agencies["Police"]

    response = client.post(agency_url(police), {"name": "Northshire Police", "version": "1"})

    assert response.status_code == 302
    assert Agency.objects.get(pk=police.pk).name == "Northshire Police"
    assert ChangeRecord.objects.filter(
        object_type="partnerships.agency", object_id=str(police.pk), action="update"
    ).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the area's name"),
        ("   ", "Enter the area's name"),
        ("x" * 101, "The area's name must be 100 characters or fewer"),
        ("NORTH", "The partnership already has an area called “North”"),
    ],
    ids=["empty", "spaces", "too long", "another area's"],
)
def test_a_bad_name_is_refused_naming_the_field(areas, client, name, message):
    response = client.post(area_url(areas["East"]), {"name": name, "version": "1"})

    assert response.status_code == 400
    page = text_of(response)
    assert page.startswith("Error: Change the area's name")
    assert f"There is a problem {message}" in page
    assert Area.objects.get(pk=areas["East"].pk).name == "East"


def test_a_rename_made_meanwhile_is_not_overwritten(areas, client, partnership, client_for):
    second = f.MembershipFactory(partnership=partnership, role="coordinator").user
    east = areas["East"]
    client.get(area_url(east))  # both open the form at version 1
    client_for(second).post(area_url(east), {"name": "East Riding", "version": "1"})

    response = client.post(area_url(east), {"name": "Eastern", "version": "1"})

    assert response.status_code == 409
    page = text_of(response)
    assert "Someone else changed this area's name after you opened it" in page
    assert "The area's name as it is now East Riding" in page
    assert 'name="version" value="2"' in response.content.decode()  # a second save, knowingly
    assert Area.objects.get(pk=east.pk).name == "East Riding"
    again = client.post(area_url(east), {"name": "Eastern", "version": "2"})
    assert again.status_code == 302 and Area.objects.get(pk=east.pk).name == "Eastern"


def test_a_name_a_chart_could_not_draw_is_mended(partnership, areas, client):
    east = areas["East"]
    east.name = r"$\nope$"
    east.save()

    client.post(area_url(east), {"name": "East", "version": str(east.version)})

    assert client.get(reverse("learning:dashboard")).status_code == 200
    assert Area.objects.get(pk=east.pk).name == "East"


def test_another_partnerships_area_and_agency_are_not_found(
    areas, agencies, other_partnership, client_for
):
    theirs = f.AreaFactory(partnership=other_partnership, name="Far East")
    their_agency = f.AgencyFactory(partnership=other_partnership, name="Their Police")
    client = client_for(
        f.MembershipFactory(partnership=areas["East"].partnership, role="coordinator").user
    )
    for url in (area_url(theirs), agency_url(their_agency)):
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Mine now", "version": "1"}).status_code == 404
    assert Area.objects.get(pk=theirs.pk).name == "Far East"


def test_the_admin_renaming_an_area_moves_its_version_on(areas, admin_user, client_for):
    partnership = areas["East"].partnership
    rows = sorted(areas.values(), key=lambda area: area.position)
    data = {
        "name": partnership.name,
        "small_count_threshold": partnership.small_count_threshold,
        "retention_years": partnership.retention_years,
        "areas-TOTAL_FORMS": len(rows),
        "areas-INITIAL_FORMS": len(rows),
        "agencies-TOTAL_FORMS": 0,
        "agencies-INITIAL_FORMS": 0,
    }
    for index, area in enumerate(rows):
        name = "East (renamed by the admin)" if area.name == "East" else area.name
        data |= {
            f"areas-{index}-id": area.pk,
            f"areas-{index}-partnership": partnership.pk,
            f"areas-{index}-name": name,
            f"areas-{index}-position": area.position,
        }
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])

    response = client_for(admin_user).post(url, data)

    assert response.status_code == 302
    east = Area.objects.get(pk=areas["East"].pk)
    assert (east.name, east.version) == ("East (renamed by the admin)", 2)
    assert Area.objects.get(pk=areas["North"].pk).version == 1  # unchanged, not moved on
    record = ChangeRecord.objects.filter(object_type="partnerships.area").latest("id")
    assert (record.user, record.via) == (admin_user, "admin")
