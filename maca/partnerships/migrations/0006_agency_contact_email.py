"""An agency's contact address (decision 42).

On SQLite, adding the column rebuilds partnerships_agency, which the triggers of
0005_membership_agency_in_its_partnership name: they are dropped for the rebuild and created
again after it, as that migration asks of any later one that alters either table.
"""

import importlib

from django.db import migrations, models

KEEPING = importlib.import_module(
    "maca.partnerships.migrations.0005_membership_agency_in_its_partnership"
)


def _on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0005_membership_agency_in_its_partnership'),
    ]

    operations = [
        migrations.RunPython(_on_sqlite(KEEPING.SQLITE_DROP), _on_sqlite(KEEPING.SQLITE)),
        migrations.AddField(
            model_name='agency',
            name='contact_email',
            field=models.EmailField(blank=True, max_length=254, verbose_name='contact address'),
        ),
        migrations.RunPython(_on_sqlite(KEEPING.SQLITE), _on_sqlite(KEEPING.SQLITE_DROP)),
    ]
