"""The case profile fields a partnership records (decision 69): chosen by its coordinators."""

import pytest
from django.urls import reverse

from maca.history.models import ChangeRecord

pytestmark = pytest.mark.django_db

URL = reverse("learning:profile_fields")


def test_a_coordinator_chooses_the_fields_kept_in_their_order(coordinator, partnership, client_for):
    client = client_for(coordinator)
    assert "Disability or SEND" in client.get(URL).text

    done = client.post(URL, {"chosen": ["ethnicity", "age_band"]})

    assert done.status_code == 302
    partnership.refresh_from_db()
    assert partnership.profile_fields == ["age_band", "ethnicity"]
    assert ChangeRecord.objects.filter(
        object_type="partnerships.partnership", action="update", after__profile_fields__isnull=False
    ).exists()


def test_a_field_not_on_the_list_is_refused_by_name(coordinator, partnership, client_for):
    page = client_for(coordinator).post(URL, {"chosen": ["religion"]})

    assert page.status_code == 400
    assert "Choose fields from the list" in page.text
    partnership.refresh_from_db()
    assert partnership.profile_fields == []


@pytest.mark.parametrize("who", ["board_member", "agency_lead"])
def test_nobody_else_chooses_them(who, request, partnership, client_for):
    page = client_for(request.getfixturevalue(who)).post(URL, {"chosen": ["gender"]})
    assert page.status_code == 403
    partnership.refresh_from_db()
    assert partnership.profile_fields == []
