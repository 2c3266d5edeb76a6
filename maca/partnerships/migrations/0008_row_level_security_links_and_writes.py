"""Row-level security where migration 0003 left gaps (found by an attack on it, decision 41).

- The tables that link two of a partnership's rows (a theme's cases, a recommendation's themes)
  have no partnership column, so 0003 left them open: the application's role, working in one
  partnership, could read another's links and delete them. Each is now held to the rows it
  links: a link is seen and written only when both its rows are in the session's partnership
  (the policy reads them through their own tables, so their own policies decide).
- Memberships and API tokens stay readable whatever the session works in (a request reads them
  to learn its partnership), but are added, changed and removed only in the partnership they
  belong to: no membership or token of another partnership can be planted or altered.
- Partnerships (the list of them is no one's data) are changed only by a session working in
  that partnership, and added only by one working in all of them (the admin).

ENABLE, not FORCE, as in 0003: the owner is not held to it.
"""

from django.db import migrations

RULE = "maca_all_partnerships() OR partnership_id = maca_partnership()"
# table -> its two foreign keys and the tables they point to
LINKS = {
    "meetings_audittheme_cases": [
        ("audittheme_id", "meetings_audittheme"),
        ("case_id", "audits_case"),
    ],
    "actions_recommendation_themes": [
        ("recommendation_id", "actions_recommendation"),
        ("audittheme_id", "meetings_audittheme"),
    ],
}
WRITTEN_IN_SCOPE = {
    "partnerships_membership": (RULE, RULE),
    "api_apitoken": (RULE, RULE),
    "partnerships_partnership": (
        "maca_all_partnerships() OR id = maca_partnership()",
        "maca_all_partnerships()",
    ),
}


def _link_rule(table: str) -> str:
    both = " AND ".join(
        f"EXISTS (SELECT 1 FROM {target} t WHERE t.id = {table}.{column})"
        for column, target in LINKS[table]
    )
    return f"maca_all_partnerships() OR ({both})"


def enable(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in LINKS:
        rule = _link_rule(table)
        schema_editor.execute(
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; "
            f"CREATE POLICY maca_partnership ON {table} USING ({rule}) WITH CHECK ({rule});",
            params=None,
        )
    for table, (change, add) in WRITTEN_IN_SCOPE.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; "
            f"CREATE POLICY maca_read ON {table} FOR SELECT USING (true); "
            f"CREATE POLICY maca_add ON {table} FOR INSERT WITH CHECK ({add}); "
            f"CREATE POLICY maca_change ON {table} FOR UPDATE USING ({change}) "
            f"WITH CHECK ({change}); "
            f"CREATE POLICY maca_remove ON {table} FOR DELETE USING ({change});",
            params=None,
        )


def disable(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in LINKS:
        schema_editor.execute(
            f"DROP POLICY IF EXISTS maca_partnership ON {table}; "
            f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;",
            params=None,
        )
    for table in WRITTEN_IN_SCOPE:
        schema_editor.execute(
            "".join(
                f"DROP POLICY IF EXISTS {policy} ON {table}; "
                for policy in ("maca_read", "maca_add", "maca_change", "maca_remove")
            )
            + f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;",
            params=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0007_area_agency_version"),
        ("meetings", "0001_initial"),
        ("actions", "0002_action_progress_dissemination"),
        ("api", "0002_revoked_because"),
    ]
    operations = [migrations.RunPython(enable, disable)]
