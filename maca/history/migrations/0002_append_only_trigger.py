"""On PostgreSQL the database itself refuses to change or remove history entries.

TRUNCATE stays possible for the table's owner: tests reset tables with it; the application's
role is kept from it by privileges (docs/deployment.md).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION maca_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the change history is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER history_changerecord_append_only
    BEFORE UPDATE OR DELETE ON history_changerecord
    FOR EACH ROW EXECUTE FUNCTION maca_history_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS history_changerecord_append_only ON history_changerecord;
DROP FUNCTION IF EXISTS maca_history_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("history", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
