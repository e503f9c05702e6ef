"""Trigram indexes that keep the archive search fast on PostgreSQL; nothing on other databases.

The search filters with Django's `icontains`, which PostgreSQL receives as `UPPER(col::text) LIKE UPPER('%…%')`.
A GIN index with gin_trgm_ops on exactly that expression serves a substring anywhere in the text, Chinese
included (成本报告 inside 提交成本报告). pg_trgm is an extension: when it is missing and the database user may not
create it, the indexes are skipped with a warning — the search stays correct, only slower — and an administrator
can run `CREATE EXTENSION pg_trgm` and migrate this app again (`migrate archive zero`, then `migrate archive`).
"""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger("closeloop.archive")

# (index, table, column): the columns the search reads.
INDEXES = [
    ("archive_meeting_title_trgm", "meetings_meeting", "title"),
    ("archive_decision_text_trgm", "record_decision", "text"),
    ("archive_item_task_trgm", "actions_actionitem", "task"),
    ("archive_item_deliverable_trgm", "actions_actionitem", "deliverable"),
    ("archive_minutes_content_trgm", "minutes_minutes", "content"),
]


def trigram_available(connection):
    """Whether pg_trgm is installed, installing it when this user may; False (and a warning) when not."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return True
        try:
            with transaction.atomic(using=connection.alias):  # a savepoint: a refusal must not end the migration
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as exc:
            log.warning("Archive search: no trigram indexes, pg_trgm could not be installed (%s). Search works, "
                        "but slower on large archives; see closeloop/archive/migrations/0001.", exc)
            return False
    return True


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or not trigram_available(connection):
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, table, column in INDEXES:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} "
                           f"USING gin ((UPPER(({quote(column)})::text)) gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, _table, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("record", "0001_initial"),
        ("actions", "0001_initial"),
        ("minutes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
