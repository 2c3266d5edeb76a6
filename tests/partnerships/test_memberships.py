"""A membership's agency belongs to the membership's own partnership: otherwise a person would
act in one partnership for another partnership's agency. Refused on every path that writes a
membership (the admin, `membership_grant`) with a message, and by the database whatever
writes the row."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from maca.partnerships.models import Agency, Membership, Role
from maca.partnerships.services import MembershipError, membership_grant
from tests import factories as f

ADD = reverse("admin:partnerships_membership_add")
ELSEWHERE = "Choose an agency of this partnership: that one belongs to another"


@pytest.fixture
def their_agency(other_partnership):
    return f.AgencyFactory(partnership=other_partnership, name="Their Police")


@pytest.fixture
def person(db):
    return f.UserFactory(email="new.auditor@example.org")


def _form(person, partnership, agency, role=Role.AGENCY_AUDITOR) -> dict:
    return {"user": person.pk, "partnership": partnership.pk, "role": role, "agency": agency.pk}


def _refused_by_the_database(write) -> bool:
    """Whether the database refuses what `write` does, by the end of its transaction (on
    PostgreSQL the key is checked at commit, as Django's own foreign keys are)."""
    try:
        with transaction.atomic():
            write()
            connection.check_constraints()
    except IntegrityError:
        return True
    return False


# --- The admin ---------------------------------------------------------------------------------


def test_the_admin_refuses_another_partnerships_agency(
    admin_user, client_for, person, partnership, their_agency
):
    response = client_for(admin_user).post(ADD, _form(person, partnership, their_agency))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["agency"] == [ELSEWHERE]
    assert ELSEWHERE in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()


def test_the_admin_refuses_changing_a_membership_to_another_partnerships_agency(
    admin_user, client_for, police_auditor, partnership, their_agency
):
    membership = Membership.objects.get(user=police_auditor)
    url = reverse("admin:partnerships_membership_change", args=[membership.pk])

    response = client_for(admin_user).post(url, _form(police_auditor, partnership, their_agency))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["agency"] == [ELSEWHERE]
    membership.refresh_from_db()
    assert membership.agency.name == "Police"


def test_the_admin_saves_an_agency_of_the_same_partnership(
    admin_user, client_for, person, partnership, agencies
):
    response = client_for(admin_user).post(ADD, _form(person, partnership, agencies["Police"]))

    assert response.status_code == 302
    assert Membership.objects.get(user=person).agency == agencies["Police"]


# --- The service -------------------------------------------------------------------------------


def test_granting_another_partnerships_agency_is_refused(person, partnership, their_agency):
    with pytest.raises(MembershipError, match="agency: the agency belongs to another partnership"):
        membership_grant(
            user=person, partnership=partnership, role=Role.AGENCY_LEAD, agency=their_agency
        )
    assert not Membership.objects.filter(user=person).exists()


def test_granting_an_agency_of_the_same_partnership_works(person, partnership, agencies):
    membership = membership_grant(
        user=person, partnership=partnership, role=Role.AGENCY_LEAD, agency=agencies["Police"]
    )
    assert (membership.partnership, membership.agency) == (partnership, agencies["Police"])


# --- The database ------------------------------------------------------------------------------


def test_the_database_refuses_a_new_membership_with_another_partnerships_agency(
    person, partnership, their_agency
):
    assert _refused_by_the_database(
        lambda: Membership.objects.create(
            user=person, partnership=partnership, role=Role.AGENCY_AUDITOR, agency=their_agency
        )
    )
    assert not Membership.objects.filter(user=person).exists()


def test_the_database_refuses_moving_a_membership_to_another_partnerships_agency(
    police_auditor, their_agency
):
    mine = Membership.objects.filter(user=police_auditor)
    assert _refused_by_the_database(lambda: mine.update(agency=their_agency))
    assert mine.get().agency.name == "Police"


def test_the_database_refuses_moving_a_membership_away_from_its_agencys_partnership(
    police_auditor, other_partnership
):
    mine = Membership.objects.filter(user=police_auditor)
    assert _refused_by_the_database(lambda: mine.update(partnership=other_partnership))


def test_the_database_refuses_moving_an_agency_its_members_name(
    police_auditor, agencies, other_partnership
):
    police = Agency.objects.filter(pk=agencies["Police"].pk)
    assert _refused_by_the_database(lambda: police.update(partnership=other_partnership))
    assert police.get().partnership_id != other_partnership.pk


def test_the_database_accepts_memberships_with_and_without_an_agency(person, partnership, agencies):
    assert not _refused_by_the_database(
        lambda: Membership.objects.create(
            user=person,
            partnership=partnership,
            role=Role.AGENCY_AUDITOR,
            agency=agencies["Police"],
        )
    )
    board = f.UserFactory()
    assert not _refused_by_the_database(
        lambda: Membership.objects.create(
            user=board, partnership=partnership, role=Role.BOARD_MEMBER
        )
    )


def test_an_agency_nobody_names_can_still_move(agencies, other_partnership):
    """The rule is about memberships: an agency without members is free to be corrected."""
    health = Agency.objects.filter(pk=agencies["Health Provider"].pk)
    assert not _refused_by_the_database(lambda: health.update(partnership=other_partnership))
