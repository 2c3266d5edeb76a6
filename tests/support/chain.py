"""The history's chain checked from the outside (`maca verify-history`), and stored values
changed by raw SQL as an attacker with the database could. Used by tests/history/test_chain.py
and tests/retention/test_history_after_purge.py."""

import io

from django.core.management import CommandError, call_command
from django.db import connection

POSTGRESQL = connection.vendor == "postgresql"


def verify() -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_history", stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


def names(output: str, model, record_id: int) -> bool:
    """Does the output name this record of this table as broken?"""
    table = model._meta.db_table
    return any(
        line.startswith(f"Broken: {table},") and f", record {record_id}:" in line
        for line in output.splitlines()
    )


def raw_execute(sql: str, params) -> list:
    with connection.cursor() as cursor:
        if POSTGRESQL:  # as a superuser could: no triggers (the append-only one, foreign keys)
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        rows = cursor.fetchall() if cursor.description else []
        if POSTGRESQL:
            cursor.execute("SET session_replication_role = origin")
    return rows
