"""Reading the audit trail back: what changed between two snapshots, and since a version."""

from closeloop.audit.models import AuditEntry

MISSING = object()


def diff_rows(before, after):
    """[(key, before, after)] for each key whose value differs; a creation has no before, a deletion no after."""
    before, after = before or {}, after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", before, after)] if before != after else []
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key, MISSING), after.get(key, MISSING)
        if old != new:
            rows.append((key, None if old is MISSING else old, None if new is MISSING else new))
    return rows


# Bookkeeping a person does not read as a change: optimistic-lock counters, timestamps the row keeps itself.
NOISE = {"id", "version", "revision", "section_revisions", "created_at", "updated_at", "token", "digest",
         "organisation"}
EMPTY = (None, "", [], {}, False)


def compact_rows(rows):
    """The rows worth a line on the audit page: no bookkeeping, and for a creation (or a deletion) only the
    fields that hold something."""
    creation = all(old is None for _key, old, _new in rows)
    deletion = all(new is None for _key, _old, new in rows)
    kept = [(key, old, new) for key, old, new in rows if key not in NOISE
            and not (creation and new in EMPTY) and not (deletion and old in EMPTY)]
    # A text filled in for the first time reads as set, one cleared as removed: no "→" from or to nothing.
    return [(key, None if old == "" else old, None if new == "" else new) for key, old, new in kept]


def fields_changed_since(*, obj, action, version, fields):
    """{field: entry} for the fields someone saved after `version` (newest entry per field wins)."""
    entries = (
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action)
        .select_related("actor").order_by("-at", "-id")[:50]
    )
    changed = {}
    for entry in entries:
        after, before = entry.after or {}, entry.before or {}
        if (after.get("version") or 0) <= (version or 0):
            continue
        for field in fields:
            if before.get(field) != after.get(field):
                changed.setdefault(field, entry)
    return changed
