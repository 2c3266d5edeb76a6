"""An audit's next steps, a field of the audit until now, become the words of its report's
"Next steps" section (the field is removed by audits 0004)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Audit = apps.get_model("audits", "Audit")
    ReportSection = apps.get_model("reports", "ReportSection")
    for audit in Audit.objects.exclude(next_steps=""):
        ReportSection.objects.create(
            partnership_id=audit.partnership_id,
            audit=audit,
            key="next_steps",
            custom=True,
            text=audit.next_steps,
            version=1,
        )


def backwards(apps, schema_editor):
    Audit = apps.get_model("audits", "Audit")
    ReportSection = apps.get_model("reports", "ReportSection")
    for section in ReportSection.objects.filter(key="next_steps", custom=True):
        Audit.objects.filter(pk=section.audit_id).update(next_steps=section.text)


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_case_locked_at"),
        ("reports", "0002_report_editions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
