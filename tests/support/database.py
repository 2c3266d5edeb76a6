"""The connection as the application's PostgreSQL role (row-level security), and raw SQL.
Used by tests/security/test_row_level_security.py and test_row_level_security_attack.py."""

from contextlib import contextmanager

from django.db import connection

from maca import access_rls


def execute(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@contextmanager
def as_app(role: str, scope=access_rls.NO_PARTNERSHIP):
    """The connection as the application's role, working in `scope` (a fresh connection
    has none), then back to the owner."""
    execute(f"SET ROLE {connection.ops.quote_name(role)}")
    previous = access_rls.work_in(scope)
    try:
        yield
    finally:
        execute("RESET ROLE")
        access_rls.work_in(previous)
