from django.urls import reverse

from maca.partnerships.models import Role
from tests import factories as f


def test_a_member_of_two_partnerships_switches_between_them(
    audit, other_audit, police_auditor, other_partnership, client_for
):
    f.MembershipFactory(
        user=police_auditor, partnership=other_partnership, role=Role.COORDINATOR, agency=None
    )
    client = client_for(police_auditor)

    first = client.get(reverse("home")).content.decode()
    assert 'id="switch-partnership"' in first

    client.post(reverse("switch_partnership"), {"partnership": other_partnership.pk})
    after = client.get(reverse("home")).content.decode()
    assert other_audit.title in after and audit.title not in after

    client.post(reverse("switch_partnership"), {"partnership": audit.partnership_id})
    back = client.get(reverse("home")).content.decode()
    assert audit.title in back and other_audit.title not in back


def test_switching_to_a_partnership_one_is_not_a_member_of_is_not_found(
    coordinator, other_partnership, client_for
):
    response = client_for(coordinator).post(
        reverse("switch_partnership"), {"partnership": other_partnership.pk}
    )
    assert response.status_code == 404


def test_one_partnership_shows_no_switcher(coordinator, client_for):
    page = client_for(coordinator).get(reverse("home")).content.decode()
    assert 'id="switch-partnership"' not in page
