"""The sign-in page posts twice per sign-in (the address, then the password: decision 75), so
its rate limit counts two posts per person: thirty people signing in within a minute from one
address (a meeting room behind one proxy) are all let in."""

import pytest
from django.test import Client

from tests import factories as f
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"


def test_thirty_sign_ins_a_minute_from_one_address_are_not_refused(partnership):
    people = [
        f.MembershipFactory(partnership=partnership, role="board_member").user for _ in range(30)
    ]
    for person in people:
        client = Client()
        address = client.post(URL, {"login": person.email})
        assert address.status_code == 200, address.status_code
        signed = client.post(URL, {"login": person.email, "password": PASSWORD})
        assert signed.status_code == 302, signed.status_code
