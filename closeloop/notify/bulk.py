"""Queueing many outbox rows at once (the follow-up scans): the keys already queued left out, the rest inserted in
bulk, with `outbox_enqueue`'s rules (quiet hours, absolute links)."""

import json

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone

from closeloop.lib.lookups import AnyOf
from closeloop.notify.models import Channel, OutboxMessage
from closeloop.notify.services import LINK_HEADER, absolute_link


def outbox_enqueue_many(rows, *, now=None, checked=False):
    """Queue many messages in bulk; returns the rows that were new.

    Each row is a dict of `outbox_enqueue`'s arguments (key, recipient, address, channel, kind, subject,
    body_text, body_html, headers, link). The same rules: a key already queued is left alone, a recipient's
    quiet hours delay every channel but the inbox, links are made absolute. Call it inside the causing
    transaction, with the recipients' preferences preloaded (`preferences.preload`) so that nothing is read
    per person. `checked`: the caller has just left out the keys already queued."""
    from closeloop.notify.preferences import next_allowed_time

    keys = [] if checked else [row["key"] for row in rows]
    existing = set()
    for start in range(0, len(keys), 500):
        existing.update(OutboxMessage.objects.filter(AnyOf(F("idempotency_key"), keys[start:start + 500]))
                        .values_list("idempotency_key", flat=True))
    now = now or timezone.now()
    new, seen, later = [], set(), {}
    for row in rows:
        if row["key"] in existing or row["key"] in seen:
            continue
        seen.add(row["key"])
        recipient, channel = row.get("recipient"), row.get("channel", Channel.EMAIL)
        if recipient is not None and channel != Channel.INBOX and recipient.pk not in later:
            later[recipient.pk] = next_allowed_time(recipient, now)
        new.append({**row, "channel": channel,
                    "next_attempt_at": later[recipient.pk] if recipient is not None and channel != Channel.INBOX
                    else now})
    _insert_many(new, now)
    return new


# Columns filled from each row, by `outbox_enqueue`'s argument names; every other column takes its default.
_FROM_ROW = {"idempotency_key": "key", "recipient_id": "recipient", "address": "address", "channel": "channel",
             "kind": "kind", "subject": "subject", "body_text": "body_text", "body_html": "body_html",
             "headers": "headers", "link": "link", "next_attempt_at": "next_attempt_at"}


def _insert_many(rows, now):
    """INSERT the rows (one COPY on PostgreSQL, else one statement run for each row with executemany): building
    model instances and bulk_create's preparing of every value cost more than the database's work. A key that a
    racing scan inserted meanwhile is skipped."""
    if not rows:
        return
    fields = [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    key = quote(OutboxMessage._meta.get_field("idempotency_key").column)
    sql = (f"INSERT INTO {quote(OutboxMessage._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT ({key}) DO NOTHING")
    prepared = [isinstance(f, (models.JSONField, models.DateTimeField)) for f in fields]
    moments = {}  # a few distinct times (now, the ends of quiet hours): each prepared once
    postgresql = connection.vendor == "postgresql"

    def prepare(field, value):
        if isinstance(field, models.DateTimeField):
            if value not in moments:
                moments[value] = field.get_db_prep_save(value, connection)
            return moments[value]
        if postgresql:  # JSON text, which the server parses: psycopg's Jsonb wrapper cost a third of the COPY
            return json.dumps(value, cls=field.encoder)
        return field.get_db_prep_save(value, connection)

    defaults = {f.attname: f.get_default() for f in fields}
    defaults["created_at"] = now  # auto_now_add, which only save() and bulk_create apply
    defaults = {f.attname: prepare(f, defaults[f.attname]) if prep else defaults[f.attname]
                for f, prep in zip(fields, prepared, strict=True)}
    values = []
    for row in rows:
        given = {column: row[name] for column, name in _FROM_ROW.items() if name in row}
        if given.get("recipient_id") is not None:
            given["recipient_id"] = given["recipient_id"].pk
        given.update(subject=row["subject"][:300], body_html=row.get("body_html") or "",
                     link=absolute_link(row.get("link") or (row.get("headers") or {}).get(LINK_HEADER, ""))[:500])
        values.append([(prepare(f, given[f.attname]) if prep else given[f.attname]) if f.attname in given
                       else defaults[f.attname] for f, prep in zip(fields, prepared, strict=True)])
    if postgresql and _copy_rows(fields, values):
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _copy_rows(fields, values):
    """PostgreSQL: the rows in one COPY, in a savepoint; False (nothing written) when a key is already there.

    The callers have left out the keys already queued, so a conflict means only that a racing scan queued the
    same key meanwhile: then the INSERT … ON CONFLICT DO NOTHING does it row by row. Django's cursor binds the
    parameters on the client (each quoted in Python, each row a statement of its own for the server to parse);
    COPY sends the values as data, which halved the reminder scan's insert of 400 rows."""
    quote = connection.ops.quote_name
    sql = (f"COPY {quote(OutboxMessage._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"FROM STDIN")
    try:
        with transaction.atomic(), connection.cursor() as cursor, connection.wrap_database_errors:
            with cursor.copy(sql) as copy:  # psycopg's own cursor method: its errors made Django's above
                for row in values:
                    copy.write_row(row)
    except IntegrityError:
        return False
    return True
