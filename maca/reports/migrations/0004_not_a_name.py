"""Passages marked not a person's name (decision 39), under row-level security by partnership
like every other partnership table (partnerships/0003)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


RULE = "maca_all_partnerships() OR partnership_id = maca_partnership()"


def enable(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE reports_notaname ENABLE ROW LEVEL SECURITY; "
        f"CREATE POLICY maca_partnership ON reports_notaname USING ({RULE}) WITH CHECK ({RULE});",
        params=None,
    )


def disable(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP POLICY IF EXISTS maca_partnership ON reports_notaname; "
        "ALTER TABLE reports_notaname DISABLE ROW LEVEL SECURITY;",
        params=None,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0005_retention'),
        ('partnerships', '0004_retention'),  # after the row-level security functions (0003)
        ('reports', '0003_next_steps_from_audits'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NotAName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('words', models.TextField()),
                ('passage', models.TextField()),
                ('marked_at', models.DateTimeField(auto_now_add=True)),
                ('audit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='not_names', to='audits.audit')),
                ('marked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnerships.partnership')),
            ],
            options={
                'ordering': ['audit', 'marked_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('audit', 'words', 'passage'), name='not_a_name_unique')],
            },
        ),
        migrations.RunPython(enable, disable),
    ]
