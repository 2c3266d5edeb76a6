"""The application's database role on PostgreSQL: what it may do, granted by the owner.

Two roles (docs/deployment.md, "Database roles"; decision 31). The owner role owns the tables:
it runs `maca migrate`, backups, restores and retention. The application's role (the web
workers and the task worker) owns nothing and is not a superuser, so row-level security holds
it to one partnership (migration partnerships/0003), and it may read, add, change and remove
the application's rows but only read and add to the append-only history and to the published
editions of reports: it cannot change or delete a change record, an access record or an
edition, nor drop the triggers that also refuse it, nor TRUNCATE anything.
"""

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from maca.history.models import Chained


class RoleError(Exception):
    pass


def append_only_tables() -> list[str]:
    """The history's tables (every chained model's) and the published editions of reports
    and of yearly reports (kept as published, decisions 41 and 72): read and add only. The
    history's chain heads move on with every record, so those stay writable."""
    from maca.reports.models import ReportEdition
    from maca.yearly.models import YearlyEdition

    kept: list[type[models.Model]] = [m for m in apps.get_models() if issubclass(m, Chained)]
    kept += [ReportEdition, YearlyEdition]
    return sorted(m._meta.db_table for m in kept)


def application_tables() -> list[str]:
    """Every table of the application's models (Django's and the libraries' included), and
    the database cache's."""
    tables = set(connection.introspection.django_table_names(only_existing=True))
    tables |= {
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache["BACKEND"].endswith("DatabaseCache")
    }
    return sorted(tables)


def link_tables() -> list[str]:
    """The tables that link two rows of a partnership (a theme's cases): no partnership column
    of their own, held to the rows they link (migration partnerships/0008)."""
    tables = []
    for model in apps.get_models():
        if "partnership" not in {f.name for f in model._meta.concrete_fields}:
            continue
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            assert through is not None  # Django sets every many-to-many's once apps are ready
            if through._meta.auto_created:
                tables.append(through._meta.db_table)
    return sorted(tables)


def unprotected_tables() -> list[str]:
    """Tables holding partnerships' rows (a partnership column, or a link between two such
    rows) without row-level security: a migration forgot them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
            WHERE c.relkind = 'r' AND NOT c.relrowsecurity AND (
                c.relname = ANY(%s) OR EXISTS (
                    SELECT 1 FROM pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attname = 'partnership_id'
                )
            )
            ORDER BY c.relname
            """,
            [link_tables()],
        )
        return [name for (name,) in cursor.fetchall()]


def app_role_grant(role: str) -> dict[str, list[str]]:
    """Grant `role` exactly the application's rights, taking away any others it held on the
    application's tables first, so running it again changes nothing. Returns the tables by
    what the role may do with them."""
    if connection.vendor != "postgresql":
        raise RoleError("database roles are PostgreSQL's: SQLite has none")
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR rolbypassrls, rolname = current_user FROM pg_roles "
            "WHERE rolname = %s",
            [role],
        )
        found = cursor.fetchone()
        if found is None:
            raise RoleError(f"there is no role {role!r}: create it first (CREATE ROLE … LOGIN)")
        if found[0]:
            raise RoleError(f"{role!r} is a superuser or bypasses row-level security")
        if found[1]:
            raise RoleError(f"{role!r} is the role running this command, which owns the tables")
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        tables = application_tables()
        append_only = [t for t in append_only_tables() if t in tables]
        read_only = ["django_migrations"]  # read by Django's checks; only `migrate` writes it
        writable = [t for t in tables if t not in append_only and t not in read_only]
        who = quote(role)
        listed = ", ".join(quote(t) for t in tables + read_only)
        for statement in [
            f"GRANT CONNECT ON DATABASE {quote(database)} TO {who}",
            f"GRANT USAGE ON SCHEMA {quote(schema)} TO {who}",
            f"REVOKE ALL ON {listed} FROM {who}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {quote(schema)} FROM {who}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(map(quote, writable))} TO {who}",
            f"GRANT SELECT, INSERT ON {', '.join(map(quote, append_only))} TO {who}",
            f"GRANT SELECT ON {', '.join(map(quote, read_only))} TO {who}",
            # nextval() for new rows' ids; nothing else of a sequence.
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {who}",
        ]:
            cursor.execute(statement)
    return {"read, add, change, remove": writable, "read, add": append_only, "read": read_only}
