"""Areas and agencies are renamed by coordinators, with optimistic locking as for the other
forms: each carries the version a rename starts from. (Their changes are now recorded in the
change history too: the models derive from `Tracked`, which adds no column.)"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0005_membership_agency_in_its_partnership")]

    operations = [
        migrations.AddField(
            model_name="agency", name="version", field=models.PositiveIntegerField(default=1)
        ),
        migrations.AddField(
            model_name="area", name="version", field=models.PositiveIntegerField(default=1)
        ),
    ]
