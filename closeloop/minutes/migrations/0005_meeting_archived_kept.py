"""A meeting's `archived` flag is kept by the database: set when any version of its minutes is approved, and
never anything but that truth, whatever a save from an older copy of the meeting writes. Filled here for the
meetings approved before.
"""

from django.db import migrations

APPROVED = "SELECT 1 FROM minutes_minutes x WHERE x.meeting_id = {id} AND x.approved_at IS NOT NULL"

SQLITE = [
    # Minutes approved (written approved, or approved later): their meeting is archived.
    "CREATE TRIGGER minutes_archive_meeting_insert AFTER INSERT ON minutes_minutes "
    "WHEN NEW.approved_at IS NOT NULL "
    "BEGIN UPDATE meetings_meeting SET archived = 1 WHERE id = NEW.meeting_id AND archived = 0; END",
    "CREATE TRIGGER minutes_archive_meeting_update AFTER UPDATE OF approved_at ON minutes_minutes "
    "WHEN NEW.approved_at IS NOT NULL "
    "BEGIN UPDATE meetings_meeting SET archived = 1 WHERE id = NEW.meeting_id AND archived = 0; END",
    # A meeting written with any other value gets the truth back (recursive triggers are off: this runs once).
    "CREATE TRIGGER meeting_archived_insert AFTER INSERT ON meetings_meeting "
    f"WHEN NEW.archived IS NOT EXISTS ({APPROVED.format(id='NEW.id')}) "
    f"BEGIN UPDATE meetings_meeting SET archived = EXISTS ({APPROVED.format(id='NEW.id')}) WHERE id = NEW.id; END",
    "CREATE TRIGGER meeting_archived_update AFTER UPDATE OF archived ON meetings_meeting "
    f"WHEN NEW.archived IS NOT EXISTS ({APPROVED.format(id='NEW.id')}) "
    f"BEGIN UPDATE meetings_meeting SET archived = EXISTS ({APPROVED.format(id='NEW.id')}) WHERE id = NEW.id; END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS minutes_archive_meeting_insert",
               "DROP TRIGGER IF EXISTS minutes_archive_meeting_update",
               "DROP TRIGGER IF EXISTS meeting_archived_insert", "DROP TRIGGER IF EXISTS meeting_archived_update"]

POSTGRES = [
    "CREATE OR REPLACE FUNCTION minutes_archive_meeting() RETURNS trigger AS $$ BEGIN "
    "IF NEW.approved_at IS NOT NULL THEN "
    "UPDATE meetings_meeting SET archived = true WHERE id = NEW.meeting_id AND NOT archived; END IF; "
    "RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER minutes_archive_meeting AFTER INSERT OR UPDATE OF approved_at ON minutes_minutes "
    "FOR EACH ROW EXECUTE FUNCTION minutes_archive_meeting()",
    "CREATE OR REPLACE FUNCTION meeting_archived_truth() RETURNS trigger AS $$ BEGIN "
    f"NEW.archived := EXISTS ({APPROVED.format(id='NEW.id')}); RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER meeting_archived_truth BEFORE INSERT OR UPDATE OF archived ON meetings_meeting "
    "FOR EACH ROW EXECUTE FUNCTION meeting_archived_truth()",
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS minutes_archive_meeting ON minutes_minutes",
                 "DROP FUNCTION IF EXISTS minutes_archive_meeting()",
                 "DROP TRIGGER IF EXISTS meeting_archived_truth ON meetings_meeting",
                 "DROP FUNCTION IF EXISTS meeting_archived_truth()"]

FILL = ("UPDATE meetings_meeting SET archived = true WHERE id IN "
        "(SELECT meeting_id FROM minutes_minutes WHERE approved_at IS NOT NULL)")


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []))
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []))


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0004_close_records_of_distributed_minutes"),
        ("meetings", "0008_meeting_archived"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
