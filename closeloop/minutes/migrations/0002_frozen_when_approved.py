"""The database refuses to change or delete approved minutes, whatever code path tries.

State and the distribution/sign-off timestamps may still move on (approved → distributed →
signed off); the content, the version number and the approval itself may not.
"""

from django.db import migrations

FROZEN = ["meeting_id", "number", "content", "approved_at", "approved_by_id", "previous_id", "created_at"]

SQLITE = [
    "CREATE TRIGGER minutes_frozen_update BEFORE UPDATE ON minutes_minutes "
    "WHEN OLD.approved_at IS NOT NULL AND ("
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
    + ") BEGIN SELECT RAISE(ABORT, 'approved minutes are immutable'); END",
    "CREATE TRIGGER minutes_frozen_delete BEFORE DELETE ON minutes_minutes "
    "WHEN OLD.approved_at IS NOT NULL "
    "BEGIN SELECT RAISE(ABORT, 'approved minutes are immutable'); END",
]
SQLITE_REVERSE = ["DROP TRIGGER minutes_frozen_update", "DROP TRIGGER minutes_frozen_delete"]

POSTGRES = [
    "CREATE FUNCTION minutes_refuse_change() RETURNS trigger AS $$ BEGIN "
    "IF OLD.approved_at IS NOT NULL AND (TG_OP = 'DELETE' OR "
    + " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)
    + ") THEN RAISE EXCEPTION 'approved minutes are immutable'; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER minutes_frozen BEFORE UPDATE OR DELETE ON minutes_minutes "
    "FOR EACH ROW EXECUTE FUNCTION minutes_refuse_change()",
]
POSTGRES_REVERSE = ["DROP TRIGGER minutes_frozen ON minutes_minutes", "DROP FUNCTION minutes_refuse_change()"]


def forwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("minutes", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
