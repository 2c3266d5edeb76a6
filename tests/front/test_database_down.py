"""When the database cannot be reached: a clear page (503) with nothing of the error or the
data on it, /healthz says 503, and service resumes by itself once the database is back.

No mock: the default connection is really pointed at a port nothing listens on (SQLite: a
file in a folder that does not exist), so the driver itself fails to connect.
"""

import socket
from contextlib import contextmanager

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.urls import include, path, reverse

from maca.api.services import token_create
from tests.signing_in import sign_in

UNAVAILABLE = "maca cannot use its database just now"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_down():
    real = connections[DEFAULT_DB_ALIAS]
    unreachable = dict(real.settings_dict)
    if real.vendor == "postgresql":
        unreachable.update(HOST="127.0.0.1", PORT=str(closed_port()))
    else:
        unreachable.update(NAME="/nonexistent-folder/maca.sqlite3")
    down = real.__class__(unreachable, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = down
    try:
        yield
    finally:
        down.close()
        connections[DEFAULT_DB_ALIAS] = real


def test_a_page_says_the_database_cannot_be_reached_and_nothing_else(audit, coordinator):
    client = Client(raise_request_exception=False)
    sign_in(client, coordinator)
    url = reverse("audits:detail", args=[audit.pk])
    assert client.get(url).status_code == 200

    with database_down():
        page = client.get(url)

    text = page.content.decode()
    assert page.status_code == 503
    assert page["Retry-After"] == "60"
    assert "Sorry, the service is unavailable" in text and UNAVAILABLE in text
    for leak in ("Traceback", "OperationalError", "connection", "sqlite3", "5432"):
        assert leak not in text
    for data in (audit.title, "T-E-01", coordinator.email, "Police"):
        assert data not in text
    assert client.get(url).status_code == 200  # and back, without a restart


def test_healthz_answers_503_while_the_database_is_down(db):
    client = Client(raise_request_exception=False)
    assert client.get("/healthz").status_code == 200

    with database_down():
        down = client.get("/healthz")

    assert down.status_code == 503
    assert down.content == b"database unavailable"
    assert client.get("/healthz").status_code == 200


def test_the_api_says_503_in_json_while_the_database_is_down(coordinator, partnership):
    _, secret = token_create(user=coordinator, partnership=partnership, name="Figures")
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/audits").status_code == 200

    with database_down():
        down = api.get("/api/v1/audits")

    assert down.status_code == 503
    assert down["Content-Type"] == "application/json; charset=utf-8"
    assert down["Retry-After"] == "60"
    assert down.json() == {"detail": "maca cannot use its database just now; try again later."}
    assert api.get("/api/v1/audits").status_code == 200


def boom(request):
    raise RuntimeError("a bug, with T-E-01 in its message")


urlpatterns = [path("boom/", boom), path("api/boom/", boom), path("", include("maca.urls"))]
handler500 = "maca.front.faults.server_error"


@pytest.mark.urls(__name__)
def test_any_other_failure_gets_the_500_page_without_its_message(db):
    page = Client(raise_request_exception=False).get("/boom/")

    text = page.content.decode()
    assert page.status_code == 500
    assert "Sorry, there is a problem with the service" in text
    assert "T-E-01" not in text and "RuntimeError" not in text and UNAVAILABLE not in text


@pytest.mark.urls(__name__)
def test_any_other_failure_under_the_api_is_a_json_500_without_its_message(db):
    answer = Client(raise_request_exception=False).get("/api/boom/")

    assert answer.status_code == 500
    assert answer.json() == {"detail": "Server error"}
    assert "Retry-After" not in answer
