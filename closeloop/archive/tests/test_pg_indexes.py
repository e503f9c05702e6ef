"""PostgreSQL only: the search's filters are served by the trigram indexes of migration 0001, and a database user
who may not install pg_trgm gets no indexes and no error (search stays correct)."""

import importlib
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection

from closeloop.actions.models import ActionItem
from closeloop.archive import search as archive_search
from closeloop.archive.search import DECISIONS, ITEMS, MEETINGS, MINUTES
from closeloop.meetings.models import Meeting
from closeloop.minutes.models import Minutes
from closeloop.record.models import Decision

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"),
]
migration = importlib.import_module("closeloop.archive.migrations.0001_search_trigram_indexes")
INDEX_NAMES = [name for name, _table, _column in migration.INDEXES]


def index_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'archive_%%_trgm' ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


def plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: make the planner show what it could use
    return queryset.explain()


def test_migrating_installed_the_extension_and_every_index():
    assert index_names() == sorted(INDEX_NAMES)


@pytest.mark.parametrize("kind, model, index", [
    (MEETINGS, Meeting, "archive_meeting_title_trgm"),
    (DECISIONS, Decision, "archive_decision_text_trgm"),
    (ITEMS, ActionItem, "archive_item_task_trgm"),
    (ITEMS, ActionItem, "archive_item_deliverable_trgm"),
    (MINUTES, Minutes, "archive_minutes_content_trgm"),
])
def test_the_words_condition_of_each_kind_is_served_by_its_trigram_index(archive, kind, model, index):
    queryset = model.objects.filter(archive_search.words_in(kind, "成本报告")).order_by()
    assert f"Bitmap Index Scan on {index}" in plan(queryset)


def _without_the_extension():
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION pg_trgm CASCADE")  # the indexes go with it; the test's rollback restores both
    assert index_names() == []


def test_a_user_who_may_not_install_pg_trgm_gets_no_indexes_and_no_error(archive, people):
    _without_the_extension()
    role = f"cl_archive_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cursor.execute(f'SET ROLE "{role}"')
        try:
            migration.create_indexes(None, SimpleNamespace(connection=connection))
        finally:
            cursor.execute("RESET ROLE")
        cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()[0] == 0
    assert index_names() == []
    hits = {g.kind: g.count for g in archive_search.search(people["member"], "成本报告")}
    assert hits == {MEETINGS: 0, DECISIONS: 2, ITEMS: 1, MINUTES: 2}


def test_a_user_who_may_install_pg_trgm_gets_it_and_the_indexes(db):
    _without_the_extension()
    migration.create_indexes(None, SimpleNamespace(connection=connection))
    assert index_names() == sorted(INDEX_NAMES)
    migration.drop_indexes(None, SimpleNamespace(connection=connection))
    assert index_names() == []
