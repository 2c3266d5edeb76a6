"""Row-level security by partnership on PostgreSQL: a second wall behind `maca/access.py`.

Every table that holds a partnership's rows shows, and takes, only the rows of the partnership
the database session works in: the setting `maca.partnership`, which `maca.access` sets for
each request and task. It holds a partnership's id, or `all` for installation-wide work (the
admin's pages, the daily reminders); unset, empty or anything else matches nothing.

ENABLE, not FORCE: the tables' owner (migrations, backups, retention, the tests' own
connection) is not held to it; the application's role is (docs/deployment.md, "Database
roles"). Memberships and API tokens are left out: they are what a request reads to learn which
partnership it works in, and are scoped by user (`access.memberships_of`, `api.selectors`).

A new table with a `partnership` must get the same policy in its own migration:
tests/security/test_row_level_security.py names any table that has not.
"""

from django.db import migrations

TABLES = [
    "partnerships_area",
    "partnerships_agency",
    "partnerships_librarytheme",
    "audits_audit",
    "audits_sampleplanentry",
    "audits_question",
    "audits_case",
    "audits_candidate",
    "audits_request",
    "returns_return",
    "meetings_meeting",
    "meetings_attendee",
    "meetings_ratification",
    "meetings_audittheme",
    "meetings_casepoint",
    "actions_recommendation",
    "actions_action",
    "actions_actionupdate",
    "actions_dissemination",
    "reports_rendition",
    "reports_reportsection",
    "reports_report",
    "reports_reportedition",
    "reports_nametocatch",
    "history_changerecord",
    "history_accessrecord",
    "history_chainhead",
    "notices_notice",
]

# STABLE SQL functions, inlined by the planner: the setting is read once per query, and a
# partnership's id compares as a number (the partnership_id indexes still serve).
FUNCTIONS = """
CREATE OR REPLACE FUNCTION maca_partnership() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN current_setting('maca.partnership', true) ~ '^[0-9]{1,18}$'
        THEN current_setting('maca.partnership', true)::bigint END
$$;
CREATE OR REPLACE FUNCTION maca_all_partnerships() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('maca.partnership', true) = 'all', false)
$$;
"""
RULE = "maca_all_partnerships() OR partnership_id = maca_partnership()"
ENABLE = """
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY maca_partnership ON {table} USING ({rule}) WITH CHECK ({rule});
"""
DISABLE = """
DROP POLICY IF EXISTS maca_partnership ON {table};
ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
"""
DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS maca_partnership();
DROP FUNCTION IF EXISTS maca_all_partnerships();
"""


def enable(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, params=None)
    for table in TABLES:
        schema_editor.execute(ENABLE.format(table=table, rule=RULE), params=None)


def disable(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DISABLE.format(table=table), params=None)
    schema_editor.execute(DROP_FUNCTIONS, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_theme_merging_and_small_counts"),
        ("audits", "0004_remove_audit_next_steps"),
        ("returns", "0002_return_clarification_and_more"),
        ("meetings", "0001_initial"),
        ("actions", "0002_action_progress_dissemination"),
        ("reports", "0003_next_steps_from_audits"),
        ("history", "0004_chain_existing_records"),
        ("notices", "0003_action_reminders"),
    ]
    operations = [migrations.RunPython(enable, disable)]
