"""The demo as a module's tests read it: loaded once, with the 2015 audit uploaded from its
workbook by the coordinator (tests/learning's dashboard and board-derivation tests)."""

import io

from django.conf import settings
from django.core.management import call_command
from django.test import Client

from maca.accounts.models import User
from tests.pages import text_of
from tests.signing_in import sign_in

WORKBOOK = settings.BASE_DIR / "demo" / "past-audit-neglect-2015.xlsx"


def signed_in(email: str) -> Client:
    client = Client()
    sign_in(client, User.objects.get(email=email))
    return client


def demo_with_the_2015_upload() -> Client:
    """Load the demo and upload the 2015 workbook; the coordinator's client, signed in."""
    call_command("load_demo", "--without-feedback-packs", stdout=io.StringIO())
    coordinator = signed_in("coordinator@example.org")
    with WORKBOOK.open("rb") as upload:
        response = coordinator.post("/audits/history/", {"file": upload})
    assert response.status_code == 302, text_of(response)
    return coordinator
