"""Areas and agencies are renamed by coordinators, with optimistic locking as for the other
forms: each carries the version a rename starts from. (Their changes are now recorded in the
change history too: the models derive from `Tracked`, which adds no column.)

On SQLite, adding a column rebuilds the agency's table, which the membership's triggers of
migration 0005 name: they are dropped first and made again after (as 0005 asks).
"""

from importlib import import_module

from django.db import migrations, models

membership_key = import_module("maca.partnerships.migrations.0005_membership_agency_in_its_partnership")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0006_agency_contact_email")]

    operations = [
        migrations.RunPython(
            _sqlite(membership_key.SQLITE_DROP), _sqlite(membership_key.SQLITE)
        ),
        migrations.AddField(
            model_name="agency", name="version", field=models.PositiveIntegerField(default=1)
        ),
        migrations.AddField(
            model_name="area", name="version", field=models.PositiveIntegerField(default=1)
        ),
        migrations.RunPython(
            _sqlite(membership_key.SQLITE), _sqlite(membership_key.SQLITE_DROP)
        ),
    ]
