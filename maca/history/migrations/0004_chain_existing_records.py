"""Chain the change history written before the chains existed, and make the access log
append-only in PostgreSQL as the change history is.

The records are linked in id order, one chain per partnership, exactly as new ones are linked
as they are written (`maca.history.chain`). On PostgreSQL the append-only trigger refuses the
UPDATEs this needs, so it is disabled for this migration's transaction and enabled again at
its end (ALTER TABLE needs the table's owner: the role that runs migrations).
"""

from django.db import migrations

from maca.history.chain import record_hash

CHANGES = "history_changerecord"
TRIGGER = "history_changerecord_append_only"

ACCESS_TRIGGER = """
CREATE OR REPLACE FUNCTION maca_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER history_accessrecord_append_only
    BEFORE UPDATE OR DELETE ON history_accessrecord
    FOR EACH ROW EXECUTE FUNCTION maca_append_only();
"""
DROP_ACCESS_TRIGGER = """
DROP TRIGGER IF EXISTS history_accessrecord_append_only ON history_accessrecord;
DROP FUNCTION IF EXISTS maca_append_only();
"""


def chain_existing(apps, schema_editor):
    ChangeRecord = apps.get_model("history", "ChangeRecord")
    ChainHead = apps.get_model("history", "ChainHead")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {CHANGES} DISABLE TRIGGER {TRIGGER}")
    names = [f.attname for f in ChangeRecord._meta.concrete_fields if f.attname != "hash"]
    heads: dict[int, tuple[int, str]] = {}
    batch = []
    for record in ChangeRecord.objects.order_by("id").iterator(chunk_size=2000):
        _, last_hash = heads.get(record.partnership_id, (None, ""))
        record.previous_hash = last_hash
        record.hash = record_hash({name: getattr(record, name) for name in names})
        heads[record.partnership_id] = (record.id, record.hash)
        batch.append(record)
        if len(batch) == 1000:
            ChangeRecord.objects.bulk_update(batch, ["previous_hash", "hash"])
            batch = []
    ChangeRecord.objects.bulk_update(batch, ["previous_hash", "hash"])
    for partnership_id, (last_id, last_hash) in heads.items():
        ChainHead.objects.update_or_create(
            partnership_id=partnership_id,
            table=CHANGES,
            defaults={"last_id": last_id, "last_hash": last_hash},
        )
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {CHANGES} ENABLE TRIGGER {TRIGGER}")


def unchain(apps, schema_editor):
    apps.get_model("history", "ChainHead").objects.filter(table=CHANGES).delete()


def access_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ACCESS_TRIGGER, params=None)


def drop_access_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_ACCESS_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [("history", "0003_chains_and_access_log")]
    operations = [
        migrations.RunPython(chain_existing, unchain),
        migrations.RunPython(access_trigger, drop_access_trigger),
    ]
