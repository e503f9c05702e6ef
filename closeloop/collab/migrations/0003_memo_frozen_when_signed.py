"""The database refuses to change or delete a memo once every party signed it, whatever code path tries;
its signatures are frozen with it. An amendment is a new version (a new row)."""

from django.db import migrations

FROZEN = ["request_id", "number", "state", "content", "previous_id", "amendment_reason", "signed_at", "created_at"]
SIGNATURE_FROZEN = ["memo_id", "department_id", "head_id", "signed_at", "method", "comment"]
MESSAGE = "signed memos are immutable"
SIGNED_PARENT = "(SELECT signed_at FROM collab_memo WHERE id = OLD.memo_id) IS NOT NULL"

SQLITE = [
    "CREATE TRIGGER collab_memo_frozen_update BEFORE UPDATE ON collab_memo "
    "WHEN OLD.signed_at IS NOT NULL AND (" + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN) + ") "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    "CREATE TRIGGER collab_memo_frozen_delete BEFORE DELETE ON collab_memo WHEN OLD.signed_at IS NOT NULL "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER collab_memo_signature_frozen_update BEFORE UPDATE ON collab_memosignature WHEN {SIGNED_PARENT} "
    "AND (" + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in SIGNATURE_FROZEN) + ") "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER collab_memo_signature_frozen_delete BEFORE DELETE ON collab_memosignature WHEN {SIGNED_PARENT} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER collab_memo_frozen_update", "DROP TRIGGER collab_memo_frozen_delete",
    "DROP TRIGGER collab_memo_signature_frozen_update", "DROP TRIGGER collab_memo_signature_frozen_delete",
]

POSTGRES = [
    "CREATE FUNCTION collab_memo_refuse_change() RETURNS trigger AS $$ BEGIN "
    "IF OLD.signed_at IS NOT NULL AND (TG_OP = 'DELETE' OR "
    + " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)
    + f") THEN RAISE EXCEPTION '{MESSAGE}'; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER collab_memo_frozen BEFORE UPDATE OR DELETE ON collab_memo "
    "FOR EACH ROW EXECUTE FUNCTION collab_memo_refuse_change()",
    "CREATE FUNCTION collab_memo_signature_refuse_change() RETURNS trigger AS $$ BEGIN "
    f"IF {SIGNED_PARENT} AND (TG_OP = 'DELETE' OR "
    + " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in SIGNATURE_FROZEN)
    + f") THEN RAISE EXCEPTION '{MESSAGE}'; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER collab_memo_signature_frozen BEFORE UPDATE OR DELETE ON collab_memosignature "
    "FOR EACH ROW EXECUTE FUNCTION collab_memo_signature_refuse_change()",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER collab_memo_frozen ON collab_memo", "DROP FUNCTION collab_memo_refuse_change()",
    "DROP TRIGGER collab_memo_signature_frozen ON collab_memosignature",
    "DROP FUNCTION collab_memo_signature_refuse_change()",
]


def forwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("collab", "0002_memo")]
    operations = [migrations.RunPython(forwards, backwards)]
