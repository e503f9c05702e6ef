"""The item scans read open items by due window through the (status, due) index, never the closed ones."""

import datetime as dt

import pytest
from django.db import connection

from closeloop.actions.models import ActionItem
from closeloop.followup.scans import open_items, open_items_due

pytestmark = pytest.mark.django_db


def status_due_index():
    [index] = [i for i in ActionItem._meta.indexes if list(i.fields) == ["status", "due"]]
    return index.name


def plan(qs):
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A tiny test table is cheaper to read whole; the question is whether the index serves the query.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def test_the_reminder_query_searches_the_status_and_due_index(org):
    text = plan(open_items_due(dt.date(2026, 6, 16), dt.date(2026, 6, 18)))
    assert status_due_index() in text, text
    assert "SCAN actions_actionitem" not in text and "Seq Scan" not in text, text


def test_the_digest_query_searches_the_status_index_not_the_organisations_items(org):
    text = plan(open_items())
    assert status_due_index() in text, text
    assert "organisation" not in text and "Seq Scan" not in text, text
