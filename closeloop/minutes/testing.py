"""Test helpers for the minutes. `minutes_flushable`: transactional tests (live server, threads) end with a flush,
which SQLite runs row by row and the frozen-minutes trigger refuses for approved rows; this lifts the trigger just
for that. Use: `from closeloop.minutes.testing import minutes_flushable  # noqa: F401` and request the fixture.
"""

import importlib

import pytest
from django.db import connection


@pytest.fixture
def minutes_flushable(transactional_db):
    yield
    if connection.vendor != "sqlite":
        return  # PostgreSQL truncates, which row triggers do not see
    triggers = importlib.import_module("closeloop.minutes.migrations.0002_frozen_when_approved")
    with connection.cursor() as cursor:
        # Rows of the apps above that point at minutes go with the flush that follows; not checked here.
        cursor.execute("PRAGMA foreign_keys = OFF")
        for sql in triggers.SQLITE_REVERSE:
            cursor.execute(sql)
        cursor.execute("DELETE FROM minutes_signoff")
        cursor.execute("UPDATE minutes_minutes SET previous_id = NULL")
        cursor.execute("DELETE FROM minutes_minutes")
        for sql in triggers.SQLITE:
            cursor.execute(sql)
        cursor.execute("PRAGMA foreign_keys = ON")
