"""Approved minutes: the database also guards their state, which may only move forward
(approved → distributed → signed off); a raw UPDATE can no longer send them back to draft or review.

The triggers of 0002 are replaced: same frozen columns, plus the state rule.
"""

from django.db import migrations

FROZEN = ["meeting_id", "number", "content", "approved_at", "approved_by_id", "previous_id", "created_at"]
AFTER_APPROVAL = ("approved", "distributed", "signed_off")


def _state_goes_back(new, old, distinct):
    """SQL that is true when the state leaves the approved states or moves backwards among them."""
    allowed = ", ".join(f"'{s}'" for s in AFTER_APPROVAL)
    return (f"({new}.state NOT IN ({allowed}) "
            f"OR ({old}.state = 'distributed' AND {new}.state = 'approved') "
            f"OR ({old}.state = 'signed_off' AND {new}.state {distinct} 'signed_off'))")


def _sqlite_update(with_state):
    changed = [f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN]
    if with_state:
        changed.append(_state_goes_back("NEW", "OLD", "IS NOT"))
    return ("CREATE TRIGGER minutes_frozen_update BEFORE UPDATE ON minutes_minutes "
            "WHEN OLD.approved_at IS NOT NULL AND (" + " OR ".join(changed) + ") "
            "BEGIN SELECT RAISE(ABORT, 'approved minutes are immutable'); END")


def _postgres_function(with_state):
    changed = [f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN]
    if with_state:
        changed.append(_state_goes_back("NEW", "OLD", "IS DISTINCT FROM"))
    return ("CREATE OR REPLACE FUNCTION minutes_refuse_change() RETURNS trigger AS $$ BEGIN "
            "IF OLD.approved_at IS NOT NULL AND (TG_OP = 'DELETE' OR " + " OR ".join(changed) + ") "
            "THEN RAISE EXCEPTION 'approved minutes are immutable'; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql")


def _apply(schema_editor, with_state):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS minutes_frozen_update")
        schema_editor.execute(_sqlite_update(with_state))
    elif vendor == "postgresql":
        schema_editor.execute(_postgres_function(with_state))


def forwards(apps, schema_editor):
    _apply(schema_editor, True)


def backwards(apps, schema_editor):
    _apply(schema_editor, False)


class Migration(migrations.Migration):
    dependencies = [("minutes", "0002_frozen_when_approved")]
    operations = [migrations.RunPython(forwards, backwards)]
