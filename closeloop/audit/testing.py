"""Test helper: `audit_flushable`. Transactional tests (live server, threads, query counts outside a
transaction) end with a flush, which SQLite runs row by row and the append-only audit trigger refuses;
this lifts the trigger just for that. Use: `from closeloop.audit.testing import audit_flushable  # noqa: F401`.
"""

import importlib

import pytest
from django.db import connection


@pytest.fixture
def audit_flushable(transactional_db):
    yield
    if connection.vendor != "sqlite":
        return  # PostgreSQL truncates, which row triggers do not see
    triggers = importlib.import_module("closeloop.audit.migrations.0003_append_only_triggers")
    with connection.cursor() as cursor:
        for sql in triggers.SQLITE_REVERSE:
            cursor.execute(sql)
        cursor.execute("DELETE FROM audit_auditentry")
        for sql in triggers.SQLITE:
            cursor.execute(sql)
