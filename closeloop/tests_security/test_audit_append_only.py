"""The audit trail is append-only in the database itself: raw SQL cannot rewrite or erase it."""

import pytest
from django.db import DatabaseError, connection, transaction

from closeloop.audit.models import AuditEntry
from closeloop.audit.services import audit_record


@pytest.fixture
def entry(people):
    return audit_record(actor=people["admin"], action="meeting.create", object_type="meetings.meeting",
                        object_id="1", after={"title": "原标题"})


def raw(sql, params):
    # A savepoint keeps the test's transaction usable on PostgreSQL after the refusal.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_update_of_an_audit_entry_is_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["tampered", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "meeting.create"


def test_raw_sql_delete_of_an_audit_entry_is_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_orm_update_and_delete_are_refused_too(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "meeting.create"


def test_saving_or_deleting_a_loaded_entry_is_refused(entry):
    entry.action = "tampered"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_new_entries_can_still_be_appended(entry):
    audit_record(actor=None, action="meeting.update", object_type="meetings.meeting", object_id="1")
    assert AuditEntry.objects.count() == 2
