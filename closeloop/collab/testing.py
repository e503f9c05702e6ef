"""Test helpers for collab. `memos_flushable`: transactional tests (live server) end with a flush, which SQLite
runs row by row and the signed-memo triggers refuse; this lifts them just for that."""

import importlib

import pytest
from django.db import connection


@pytest.fixture
def memos_flushable(transactional_db):
    yield
    if connection.vendor != "sqlite":
        return  # PostgreSQL truncates, which row triggers do not see
    triggers = importlib.import_module("closeloop.collab.migrations.0003_memo_frozen_when_signed")
    with connection.cursor() as cursor:
        for sql in triggers.SQLITE_REVERSE:
            cursor.execute(sql)
        cursor.execute("DELETE FROM collab_memosignature")
        cursor.execute("UPDATE collab_memo SET previous_id = NULL")
        cursor.execute("DELETE FROM collab_memo")
        for sql in triggers.SQLITE:
            cursor.execute(sql)
