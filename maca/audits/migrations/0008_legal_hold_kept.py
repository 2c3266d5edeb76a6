"""On PostgreSQL the database itself keeps an audit on legal hold (decision 41).

- An audit on hold is not deleted: its row refuses DELETE (a bundle's replace, a cascade, a
  command or raw SQL alike; the models refuse first, `maca.audits.models.audit_kept_on_hold`).
- Its change history is not redacted: the one UPDATE the history's trigger lets through (the
  retention policy's redaction, history/0005) is refused for a record of an audit on hold.

The error is a restrict violation (SQLSTATE 23001), as an ON DELETE RESTRICT would give.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION maca_audit_kept_on_hold() RETURNS trigger AS $$
BEGIN
    IF OLD.legal_hold THEN
        RAISE EXCEPTION 'audit % is on legal hold: it is not deleted while the hold lasts', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audits_audit_kept_on_hold
    BEFORE DELETE ON audits_audit
    FOR EACH ROW EXECUTE FUNCTION maca_audit_kept_on_hold();

CREATE OR REPLACE FUNCTION maca_history_kept_on_hold() RETURNS trigger AS $$
BEGIN
    IF OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND EXISTS (
        SELECT 1 FROM audits_audit WHERE id = OLD.audit_id AND legal_hold
    ) THEN
        RAISE EXCEPTION 'audit % is on legal hold: its history is not redacted while the hold lasts',
            OLD.audit_id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER history_changerecord_kept_on_hold
    BEFORE UPDATE ON history_changerecord
    FOR EACH ROW EXECUTE FUNCTION maca_history_kept_on_hold();
"""
DROP = """
DROP TRIGGER IF EXISTS history_changerecord_kept_on_hold ON history_changerecord;
DROP FUNCTION IF EXISTS maca_history_kept_on_hold();
DROP TRIGGER IF EXISTS audits_audit_kept_on_hold ON audits_audit;
DROP FUNCTION IF EXISTS maca_audit_kept_on_hold();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0007_rationale_link_web_address"),
        ("history", "0005_content_digest_and_redaction"),
    ]
    operations = [migrations.RunPython(create, drop)]
