"""A published edition is kept as it was published, for ever (decision 41).

Its audit can no longer be deleted from under it (`PROTECT`, checked by Django before anything
is deleted), and on PostgreSQL the table refuses UPDATE and DELETE of an edition whatever asks
(a restrict violation, SQLSTATE 23001). TRUNCATE stays the owner's, as for the history: the
tests empty tables with it.
"""

import django.db.models.deletion
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION maca_edition_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'edition % of the report of audit % is published: it is never changed or '
        'deleted (% refused)', OLD.number, OLD.audit_id, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_reportedition_kept
    BEFORE UPDATE OR DELETE ON reports_reportedition
    FOR EACH ROW EXECUTE FUNCTION maca_edition_kept();
"""
DROP = """
DROP TRIGGER IF EXISTS reports_reportedition_kept ON reports_reportedition;
DROP FUNCTION IF EXISTS maca_edition_kept();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0008_legal_hold_kept"),
        ("reports", "0005_report_sent_back"),
    ]
    operations = [
        migrations.AlterField(
            model_name="reportedition",
            name="audit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="report_editions",
                to="audits.audit",
            ),
        ),
        migrations.RunPython(create, drop),
    ]
