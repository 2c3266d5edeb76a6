"""A membership's agency belongs to the membership's own partnership, and the database says so.

PostgreSQL: a foreign key on (agency_id, partnership_id) to the agency's (id, partnership_id),
deferred to the end of the transaction as Django's own foreign keys are (a partnership's
memberships and agencies are deleted together, in any order). With no agency (a coordinator,
a board member) there is nothing to check: MATCH SIMPLE. Moving an agency to another
partnership while memberships name it is refused by the same key.

SQLite cannot add a foreign key to a table that exists, so triggers refuse the same rows at
once. Django rebuilds an SQLite table to alter it, which drops its triggers: a later migration
that alters either table must create them again (tests/partnerships/test_memberships.py fails
if it does not, since the tests' database is built by the migrations).

Memberships that already break the rule stop the migration with their ids, rather than being
changed or removed unseen: an admin corrects them, then migrates again.
"""

from django.db import migrations, models

KEY = "membership_agency_in_its_partnership"
MESSAGE = "the agency belongs to another partnership"

POSTGRESQL = f"""
ALTER TABLE partnerships_membership ADD CONSTRAINT {KEY}
    FOREIGN KEY (agency_id, partnership_id)
    REFERENCES partnerships_agency (id, partnership_id)
    DEFERRABLE INITIALLY DEFERRED;
"""
POSTGRESQL_DROP = f"ALTER TABLE partnerships_membership DROP CONSTRAINT IF EXISTS {KEY};"

ELSEWHERE = """
NEW.agency_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM partnerships_agency
    WHERE id = NEW.agency_id AND partnership_id = NEW.partnership_id
)"""
SQLITE = [
    f"""CREATE TRIGGER {KEY}_insert BEFORE INSERT ON partnerships_membership
    FOR EACH ROW WHEN {ELSEWHERE}
    BEGIN SELECT RAISE(ABORT, '{KEY}: {MESSAGE}'); END;""",
    f"""CREATE TRIGGER {KEY}_update BEFORE UPDATE OF agency_id, partnership_id
    ON partnerships_membership
    FOR EACH ROW WHEN {ELSEWHERE}
    BEGIN SELECT RAISE(ABORT, '{KEY}: {MESSAGE}'); END;""",
    f"""CREATE TRIGGER {KEY}_agency_moved BEFORE UPDATE OF partnership_id
    ON partnerships_agency
    FOR EACH ROW WHEN EXISTS (
        SELECT 1 FROM partnerships_membership
        WHERE agency_id = NEW.id AND partnership_id != NEW.partnership_id
    )
    BEGIN SELECT RAISE(ABORT, '{KEY}: memberships name this agency'); END;""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {KEY}_insert;",
    f"DROP TRIGGER IF EXISTS {KEY}_update;",
    f"DROP TRIGGER IF EXISTS {KEY}_agency_moved;",
]


def refuse_elsewhere(apps, schema_editor):
    Membership = apps.get_model("partnerships", "Membership")
    wrong = Membership.objects.filter(agency__isnull=False).exclude(
        agency__partnership=models.F("partnership")
    )
    ids = sorted(wrong.values_list("pk", flat=True))
    if ids:
        raise RuntimeError(
            f"Memberships {ids} name an agency of another partnership: give each an agency "
            "of its own partnership (or another role) in the admin, then migrate again."
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    else:
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


def allow_elsewhere(apps, schema_editor):
    statements = [POSTGRESQL_DROP] if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0004_retention"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="agency",
            constraint=models.UniqueConstraint(
                fields=("id", "partnership"), name="agency_id_partnership"
            ),
        ),
        migrations.RunPython(refuse_elsewhere, allow_elsewhere),
    ]
