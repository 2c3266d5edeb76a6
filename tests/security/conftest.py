"""The application's database role, for the tests of the database's own walls (PostgreSQL)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.fixture
def app_role(db) -> str:
    """A role like the application's: it can log in to nothing, owns nothing. Named after the
    test database, so parallel runs never share one; rolled back with the test's transaction."""
    role = f"maca_app_{connection.settings_dict['NAME']}"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {connection.ops.quote_name(role)} NOLOGIN")
    call_command("grant_app_role", role, stdout=StringIO())
    return role
