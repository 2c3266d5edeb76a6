"""Change records hash their content through a digest, and may be redacted (decision 32).

Each change record gets `content_digest` (SHA-256 of its content: object_repr, before, after,
reason) and `redacted_at`. The chain now covers the digest instead of the content, so every
change record chain is linked again in id order, as migration 0004 did, with the new formula
(the access log's formula does not change). Heads printed by `verify-history --heads` before
this migration differ afterwards.

On PostgreSQL the append-only trigger of the change history now lets one UPDATE through: the
content fields set to the removal notice (each value kept or replaced whole by it), and
`redacted_at` set where it was empty; every other column unchanged. DELETE stays refused.
"""

from django.db import migrations, models

from maca.history.chain import content_digest, record_hash

CHANGES = "history_changerecord"
TRIGGER = "history_changerecord_append_only"
# Frozen here: the formula as this migration knows it.
CONTENT = ("object_repr", "before", "after", "reason")
LEFT_OUT = {"hash", "redacted_at", *CONTENT}

REDACTABLE = r"""
CREATE OR REPLACE FUNCTION maca_removed(value text) RETURNS boolean AS $$
    SELECT value ~ '^Removed under the retention policy on [0-9]{1,2} [A-Za-z]+ [0-9]{4}$';
$$ LANGUAGE sql IMMUTABLE;

-- Every key kept, each value kept or replaced whole by the removal notice.
CREATE OR REPLACE FUNCTION maca_redacted_json(old jsonb, new jsonb) RETURNS boolean AS $$
    SELECT old IS NOT DISTINCT FROM new OR (
        jsonb_typeof(old) = 'object' AND jsonb_typeof(new) = 'object'
        AND NOT EXISTS (
            SELECT 1 FROM jsonb_each(old) o FULL JOIN jsonb_each(new) n ON o.key = n.key
            WHERE o.key IS NULL OR n.key IS NULL OR (
                n.value IS DISTINCT FROM o.value
                AND NOT (jsonb_typeof(n.value) = 'string' AND maca_removed(n.value #>> '{}'))
            )
        )
    );
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION maca_history_append_only() RETURNS trigger AS $$
DECLARE
    content CONSTANT text[] := ARRAY['object_repr', 'before', 'after', 'reason', 'redacted_at'];
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
        AND to_jsonb(NEW) - content = to_jsonb(OLD) - content
        AND (NEW.object_repr = OLD.object_repr OR maca_removed(NEW.object_repr))
        AND (NEW.reason = OLD.reason OR maca_removed(NEW.reason))
        AND maca_redacted_json(OLD.before, NEW.before)
        AND maca_redacted_json(OLD.after, NEW.after)
    THEN
        RETURN NEW;  -- a redaction under the retention policy
    END IF;
    RAISE EXCEPTION 'the change history is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION maca_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the change history is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP FUNCTION IF EXISTS maca_redacted_json(jsonb, jsonb);
DROP FUNCTION IF EXISTS maca_removed(text);
"""


def _rechain(apps, schema_editor, *, digests: bool):
    ChangeRecord = apps.get_model("history", "ChangeRecord")
    ChainHead = apps.get_model("history", "ChainHead")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {CHANGES} DISABLE TRIGGER {TRIGGER}")
    # Without digests: the formula of 0004, every field but the hash (and these new ones).
    left_out = LEFT_OUT if digests else {"hash", "redacted_at", "content_digest"}
    names = [f.attname for f in ChangeRecord._meta.concrete_fields if f.attname not in left_out]
    heads: dict[int, tuple[int, str]] = {}
    batch = []
    for record in ChangeRecord.objects.order_by("id").iterator(chunk_size=2000):
        _, last_hash = heads.get(record.partnership_id, (None, ""))
        if digests:
            content = {name: getattr(record, name) for name in CONTENT}
            record.content_digest = content_digest(content)
        record.previous_hash = last_hash
        record.hash = record_hash({name: getattr(record, name) for name in names})
        heads[record.partnership_id] = (record.id, record.hash)
        batch.append(record)
        if len(batch) == 1000:
            ChangeRecord.objects.bulk_update(batch, ["content_digest", "previous_hash", "hash"])
            batch = []
    ChangeRecord.objects.bulk_update(batch, ["content_digest", "previous_hash", "hash"])
    for partnership_id, (last_id, last_hash) in heads.items():
        ChainHead.objects.update_or_create(
            partnership_id=partnership_id,
            table=CHANGES,
            defaults={"last_id": last_id, "last_hash": last_hash},
        )
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {CHANGES} ENABLE TRIGGER {TRIGGER}")


def rechain(apps, schema_editor):
    _rechain(apps, schema_editor, digests=True)


def unchain_digests(apps, schema_editor):
    _rechain(apps, schema_editor, digests=False)


def redactable(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REDACTABLE, params=None)


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [("history", "0004_chain_existing_records")]
    operations = [
        migrations.AddField(
            model_name="changerecord",
            name="content_digest",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="changerecord",
            name="redacted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        # Going back links the chains again as 0004 did (the content in the hash).
        migrations.RunPython(rechain, unchain_digests),
        migrations.RunPython(redactable, append_only),
    ]
